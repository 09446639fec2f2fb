#!/usr/bin/env node
// Starts digest. Its TypeScript sources are bundled by esbuild (in a tenth of a
// second) into node_modules/.cache/digest/<version of the sources>/, once, and
// again whenever a source changes: loading a few bundled files is much faster
// than compiling the sources at every start, and the parts a command does not
// need (pdf-lib, until the pages are laid out) load only when needed.
// Without esbuild it runs the sources with tsx.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const cache = join(root, "node_modules", ".cache", "digest");

/** The newest modification time among the sources that go into the bundle. */
function newestSource() {
  // This file's own settings shape the bundle too.
  let newest = Math.max(statSync(join(root, "package.json")).mtimeMs, statSync(fileURLToPath(import.meta.url)).mtimeMs);
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|tsx)$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  walk(join(root, "src"));
  walk(join(root, "templates"));
  return Math.floor(newest);
}

async function start() {
  const version = join(cache, String(newestSource()));
  const entry = join(version, "cli.js");
  if (!existsSync(entry)) {
    let esbuild;
    try {
      esbuild = await import("esbuild");
    } catch {
      const { register } = await import("tsx/esm/api");
      register({ tsconfig: join(root, "tsconfig.json") });
      return import(pathToFileURL(join(root, "src", "cli.ts")).href);
    }
    // Built aside and renamed into place, so two digests starting at once never load half a bundle.
    const tmp = `${version}.${process.pid}.tmp`;
    await esbuild.build({
      entryPoints: { cli: join(root, "src", "cli.ts") },
      outdir: tmp,
      bundle: true,
      splitting: true,
      platform: "node",
      format: "esm",
      target: "node20",
      // The many small ES modules (unified, remark, micromark…) are bundled: loading one
      // file beats resolving hundreds. The big CommonJS packages are loaded as they are, and fontkit, which reads its data files (data.trie) beside its own code;
      // so are the picture decoders, which src/content/picture-check.ts loads only for a picture of their kind.
      external: ["puppeteer", "pdf-lib", "react", "react-dom", "hyphen", "esbuild", "tsx", "pagedjs", "fontkit", "jpeg-js", "omggif", "fast-xml-parser"],
      jsx: "automatic",
      // Bundled CommonJS (commander…) requires Node's own modules: give every file a require().
      banner: { js: 'import { createRequire as __digestRequire } from "node:module"; const require = __digestRequire(import.meta.url);' },
      sourcemap: "inline",
      logLevel: "error",
    });
    try {
      renameSync(tmp, version);
    } catch {
      rmSync(tmp, { recursive: true, force: true }); // another digest got there first
    }
    // Bundles of older sources are of no more use, once no digest started an hour ago can still be loading from them.
    for (const old of readdirSync(cache)) {
      const path = join(cache, old);
      if (path !== version && Date.now() - statSync(path).mtimeMs > 3_600_000) rmSync(path, { recursive: true, force: true });
    }
  }
  mkdirSync(cache, { recursive: true });
  return import(pathToFileURL(entry).href);
}

await start();
