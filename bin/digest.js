#!/usr/bin/env node
// Runs digest's TypeScript sources directly (no build step) through tsx.
import { register } from "tsx/esm/api";

register();
await import("../src/cli.ts");
