#!/usr/bin/env node
// Starts digest. Its TypeScript sources are bundled once into one file under
// node_modules/.cache/digest/ (by esbuild, in a tenth of a second) and bundled
// again whenever a source changes: loading one file is much faster than
// compiling the sources at every start. Without esbuild it runs them with tsx.
import { existsSync, mkdirSync, readdirSync, renameSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const cache = join(root, "node_modules", ".cache", "digest");
const bundle = join(cache, "cli.mjs");

/** The newest modification time among the sources that go into the bundle. */
function newestSource() {
  let newest = statSync(join(root, "package.json")).mtimeMs;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|tsx)$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  walk(join(root, "src"));
  walk(join(root, "templates"));
  return newest;
}

async function start() {
  if (!existsSync(bundle) || statSync(bundle).mtimeMs < newestSource()) {
    let esbuild;
    try {
      esbuild = await import("esbuild");
    } catch {
      const { register } = await import("tsx/esm/api");
      register({ tsconfig: join(root, "tsconfig.json") });
      return import(pathToFileURL(join(root, "src", "cli.ts")).href);
    }
    mkdirSync(cache, { recursive: true });
    // Written aside and renamed, so two digests starting at once never load half a bundle.
    const tmp = `${bundle}.${process.pid}.tmp`;
    await esbuild.build({
      entryPoints: [join(root, "src", "cli.ts")],
      outfile: tmp,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      packages: "external",
      jsx: "automatic",
      sourcemap: "inline",
      logLevel: "error",
    });
    renameSync(tmp, bundle);
  }
  return import(pathToFileURL(bundle).href);
}

await start();
