#!/usr/bin/env node
// Runs digest's TypeScript sources directly (no build step) through tsx, with
// digest's own tsconfig wherever it is run from (an editor's folder has none).
import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";

register({ tsconfig: fileURLToPath(new URL("../tsconfig.json", import.meta.url)) });
await import("../src/cli.ts");
