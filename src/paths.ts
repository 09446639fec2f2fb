import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The folder of digest's own package.json. Found by walking up, because this code
 * runs both from src/ and bundled into node_modules/.cache/digest/ (see bin/digest.js).
 */
function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "digest") return dir;
    if (dirname(dir) === dir) throw new Error(`Cannot find digest's package.json above ${from}`);
  }
}

/** The folder digest is installed in (its package.json's). */
export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));
/** The page templates and print CSS: a designer's folder. */
export const TEMPLATES_DIR = join(PACKAGE_ROOT, "templates");
/** The typefaces and their licence. */
export const FONTS_DIR = join(PACKAGE_ROOT, "fonts");
/** Where the layout cache keeps the pages of each unit (src/layout/cache.ts). */
export const LAYOUT_CACHE_DIR = join(PACKAGE_ROOT, "node_modules", ".cache", "digest", "layout");
/** Where the verdicts of pictures decoded whole are kept, by their content (src/content/picture-check.ts). */
export const PICTURE_CACHE_DIR = join(PACKAGE_ROOT, "node_modules", ".cache", "digest", "pictures");
/** Scripts that run in the browser, loaded as files (never bundled); src/layout/scripts.ts gives their order. */
export const IN_PAGE_DIR = join(PACKAGE_ROOT, "src", "layout", "in-page");
/** Loaded before Paged.js: fits display type to the page, then announces when the layout is done. */
export const PAGED_START = join(IN_PAGE_DIR, "start.js");
/** Scales display type (titles, month names, ads) to fit the page before Paged.js lays it out. */
export const DISPLAY_FIT = join(IN_PAGE_DIR, "display-fit.js");
/** The preview's script that reloads the page when a file changes. */
export const LIVE_RELOAD = join(PACKAGE_ROOT, "src", "preview", "live-reload.js");

/** digest's version, from its package.json. */
export function digestVersion(): string {
  return (JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string }).version;
}
