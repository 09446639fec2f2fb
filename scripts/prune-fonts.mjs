#!/usr/bin/env node
// Runs after `npm install` / `npm ci` (package.json "postinstall"). The @fontsource
// packages digest ships as fallback faces (src/content/fallbacks.ts) hold every
// weight from 100 to 900, each as WOFF2 and WOFF: some 670 MB, nine tenths of it
// in the eight CJK families. digest prints only the weights nearest to 400 and 700
// (its typefaces' regular and bold), and only the WOFF2 files, so this removes the
// rest from node_modules/@fontsource/*/files: what is left is some 80 MB. It keeps
// every package's metadata, unicode.json, CSS and LICENSE. Safe to run again.
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const WEIGHTS = [400, 700];

/** The weight nearest to the one asked for (the heavier on a tie): as src/content/fallbacks.ts picks it. */
const nearest = (available, weight) =>
  available.reduce((best, w) => (Math.abs(w - weight) < Math.abs(best - weight) || (Math.abs(w - weight) === Math.abs(best - weight) && w > best) ? w : best));

let removed = 0;
let bytes = 0;
for (const name of Object.keys(manifest.dependencies ?? {}).filter((n) => n.startsWith("@fontsource/"))) {
  // Where npm put it: digest's own node_modules, or (as someone's dependency) a node_modules above.
  let dir;
  for (let at = root; ; at = dirname(at)) {
    const candidate = join(at, "node_modules", name);
    if (existsSync(join(candidate, "metadata.json"))) {
      dir = candidate;
      break;
    }
    if (dirname(at) === at) break;
  }
  if (!dir) continue;
  const meta = JSON.parse(readFileSync(join(dir, "metadata.json"), "utf8"));
  const keep = new Set(WEIGHTS.map((w) => nearest(meta.weights, w)));
  const files = join(dir, "files");
  if (!existsSync(files)) continue;
  for (const file of readdirSync(files)) {
    const m = /-(\d+)-(normal|italic)\.(woff2?)$/.exec(file);
    if (m && m[3] === "woff2" && keep.has(Number(m[1]))) continue;
    const path = join(files, file);
    bytes += statSync(path).size;
    rmSync(path);
    removed++;
  }
}
if (removed) console.log(`digest: removed ${removed} font files digest does not print (${(bytes / 1e6).toFixed(0)} MB) from node_modules/@fontsource`);
