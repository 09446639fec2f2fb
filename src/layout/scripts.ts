import { statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { DigestError } from "../errors.js";

import { DISPLAY_FIT, PAGED_HANDLERS, PAGED_START } from "../paths.js";

export { DISPLAY_FIT, PAGED_HANDLERS, PAGED_START };

/** The scripts of a document to lay out, in their order: the start and end signals, display fitting, Paged.js, our handlers. */
export function pagedScripts(): string[] {
  return [PAGED_START, DISPLAY_FIT, pagedPolyfillPath(), PAGED_HANDLERS];
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * Paged.js's browser polyfill, the one script that lays out the pages for the PDF
 * and in the preview alike. The package exports no subpaths, so find its folder
 * from its main file.
 */
export function pagedPolyfillPath(): string {
  let dir = dirname(createRequire(import.meta.url).resolve("pagedjs"));
  while (!isFile(join(dir, "package.json")) && dirname(dir) !== dir) dir = dirname(dir);
  const path = join(dir, "dist", "paged.polyfill.js");
  if (!isFile(path)) throw new DigestError("Cannot find Paged.js's browser polyfill (pagedjs/dist/paged.polyfill.js)", "Reinstall the packages: `npm ci`.");
  return path;
}
