// The layout cache: the pages of each unit of an issue (the cover, a month, an
// ad…), kept by a hash of everything their layout depends on: the unit's markup
// and the document's head (page size, grid, fonts' faces, the issue's title for
// the running heads), the pictures the unit shows, the fonts, the stylesheet,
// Paged.js and digest's layout scripts, and the Chromium that laid them out.
// A unit whose hash is unchanged is not laid out again: its pages are taken in
// (src/layout/units.ts, insertPages) and numbered for where they fall.
// Pages change sides freely (the grid mirrors the margins), so where a unit
// starts is not part of its hash. A build that takes pages from the cache writes
// the same bytes as one that lays out everything (test/layout-cache.e2e.test.ts).
//
// It lives in node_modules/.cache/digest/layout/, one JSON file per unit, and
// keeps the most recently used MAX_ENTRIES.
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { PageHtml } from "./units.js";

/** Bump when what is stored changes shape. */
const FORMAT = "digest-layout-1";
const MAX_ENTRIES = 2000;

/** A unit's pages as kept, and the copyfitting variant each of its sections was set in. */
export interface CachedUnit {
  pages: PageHtml[];
  variants: Record<string, string>;
}

/** What a unit's layout depends on, besides its markup. */
export interface LayoutInputs {
  /** The document's head: page size, grid, fonts' faces, stylesheets, title. */
  head: string;
  /** Files whose bytes shape every unit's layout: fonts, stylesheet, layout scripts. */
  files: string[];
  /** The Chromium that lays out, e.g. `Chrome/131.0.6778.85`. */
  browser: string;
}

/** The file:// pictures and other files a unit's markup names. */
function filesNamedIn(markup: string): string[] {
  const found = new Set<string>();
  for (const [, url] of markup.matchAll(/(?:src|href)="(file:[^"]+)"/g)) {
    try {
      found.add(fileURLToPath(url!.replace(/&amp;/g, "&")));
    } catch {
      // not a local file: it cannot load anyway
    }
  }
  return [...found].sort();
}

export class LayoutCache {
  private fileHashes = new Map<string, string>();

  constructor(readonly dir: string) {}

  /** The bytes of a file, hashed once a build (a missing file hashes as missing). */
  private hashFile(path: string): string {
    let hash = this.fileHashes.get(path);
    if (!hash) {
      try {
        hash = createHash("sha256").update(readFileSync(path)).digest("hex");
      } catch {
        hash = "missing";
      }
      this.fileHashes.set(path, hash);
    }
    return hash;
  }

  /** Each unit's key: a hash of its markup, the files it names, and the inputs every unit shares. */
  keys(units: string[], inputs: LayoutInputs): string[] {
    const shared = createHash("sha256")
      .update(`${FORMAT}\0${inputs.browser}\0${inputs.head}\0`)
      .update([...inputs.files].sort().map((f) => `${f}=${this.hashFile(f)}`).join("\0"))
      .digest("hex");
    return units.map((markup) =>
      createHash("sha256")
        .update(`${shared}\0${markup}\0`)
        .update(filesNamedIn(markup).map((f) => `${f}=${this.hashFile(f)}`).join("\0"))
        .digest("hex"),
    );
  }

  /** The unit kept under a key, if any (a damaged entry counts as none). */
  get(key: string): CachedUnit | undefined {
    const path = join(this.dir, `${key}.json`);
    try {
      const kept = JSON.parse(readFileSync(path, "utf8")) as CachedUnit;
      const { pages, variants } = kept;
      if (!Array.isArray(pages) || !pages.length || !pages.every((p) => typeof p.html === "string" && Number.isInteger(p.unit))) return undefined;
      if (typeof variants !== "object" || !variants) return undefined;
      const now = new Date();
      utimesSync(path, now, now);
      return kept;
    } catch {
      return undefined;
    }
  }

  /** Keeps a unit's pages under its key (written whole, then renamed), and forgets the least recently used beyond MAX_ENTRIES. A cache that cannot be written is no cache. */
  put(entries: { key: string; unit: CachedUnit }[]): void {
    if (!entries.length) return;
    try {
      mkdirSync(this.dir, { recursive: true });
      for (const { key, unit } of entries) {
        const tmp = join(this.dir, `.${key}.${process.pid}.tmp`);
        writeFileSync(tmp, JSON.stringify(unit));
        renameSync(tmp, join(this.dir, `${key}.json`));
      }
      const files = readdirSync(this.dir).filter((f) => f.endsWith(".json"));
      if (files.length > MAX_ENTRIES) {
        const byAge = files.map((f) => ({ f, t: statSync(join(this.dir, f)).mtimeMs })).sort((a, b) => a.t - b.t);
        for (const { f } of byAge.slice(0, files.length - MAX_ENTRIES)) rmSync(join(this.dir, f), { force: true });
      }
    } catch {
      // read-only or full: the next build lays these units out again
    }
  }
}
