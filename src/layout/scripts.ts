import { statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { DigestError } from "../errors.js";

import { DISPLAY_FIT, IN_PAGE_DIR, PAGED_START } from "../paths.js";

export { DISPLAY_FIT, PAGED_START };

/**
 * digest's handlers for Paged.js, one classic script a concern, loaded after the
 * polyfill in this order. Each registers its own handlers as it runs, so this
 * order is the order Paged.js calls them in: the patches to Paged.js first
 * (BackToBack, ChecksNearPageEnd), the break rules (PlaceBreaks, which floats
 * pictures with picture-floats.js, and KeepSpilledLines), each page's unit (PageSides, before AdsAfterArticles, whose
 * ad pages take the unit of the page before), the ads, the page references
 * (PageNumbers), the progress (ReportProgress), and last the text layer's soft
 * hyphens (SoftHyphensAtLineEnds, once nothing moves any more). shared.js, first,
 * holds the helpers more than one of them uses.
 */
export const PAGED_HANDLERS: readonly string[] = [
  "shared.js",
  "paged-patches.js",
  "picture-floats.js",
  "break-rules.js",
  "page-splice.js",
  "ads-after-articles.js",
  "page-references.js",
  "progress.js",
  "layout-flaws.js",
  "soft-hyphens.js",
].map((file) => join(IN_PAGE_DIR, file));

/** The scripts of a document to lay out, in their order: the start and end signals, display fitting, Paged.js, our handlers. */
export function pagedScripts(): string[] {
  return [PAGED_START, DISPLAY_FIT, pagedPolyfillPath(), ...PAGED_HANDLERS];
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
