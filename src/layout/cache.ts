// The layout cache: the pages of each unit of an issue (the cover, a month, an
// ad…), kept by a hash of everything their layout depends on: the unit's markup
// and the document's head (page size, grid, fonts' faces, the issue's title for
// the running heads), the pictures the unit shows, the fonts, the stylesheet,
// Paged.js and digest's layout scripts, the Chromium that laid them out,
// digest's version and its own layout code (src/layout: copyfitting, the
// binding, pagination, the in-page scripts; digestFingerprint), and the fonts'
// environment (what fontconfig gives Chromium: fontEnvironment).
// A unit whose hash is unchanged is not laid out again: its pages are taken in
// (src/layout/units.ts, insertPages) and numbered for where they fall.
// Pages change sides freely (the grid mirrors the margins), so where a unit
// starts is not part of its hash. A build that takes pages from the cache writes
// the same bytes as one that lays out everything (test/layout-units.e2e.test.ts),
// and any change to what it hashes lays everything out again (test/layout-cache.e2e.test.ts).
//
// It lives in node_modules/.cache/digest/layout/, one JSON file per unit, and
// keeps the most recently used MAX_ENTRIES.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { digestVersion, PACKAGE_ROOT } from "../paths.js";
import type { PageHtml } from "./units.js";

/** Bump when what is stored changes shape. */
const FORMAT = "digest-layout-1";
/** How many units the cache keeps: the most recently used. */
export const MAX_ENTRIES = 2000;

/** The folder of digest's own layout code: the stage's modules and the scripts that run in the page. */
export const LAYOUT_CODE_DIR = join(PACKAGE_ROOT, "src", "layout");

/** Every file under a folder, by its path from there, sorted. */
function filesUnder(dir: string): string[] {
  const found: string[] = [];
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) found.push(relative(dir, path));
    }
  };
  walk(dir);
  return found.sort();
}

/**
 * What of digest itself decides how units are laid out: its version, and a hash of
 * its layout code (every file of src/layout: pagination, units, copyfitting, the
 * binding, Chromium's settings, the in-page scripts). digest runs these sources
 * (or a bundle of them, bin/digest.js, made from the same files), so a change to
 * any of them, an upgrade included, lays every unit out again. `codeDir` is for the tests.
 */
export function digestFingerprint(codeDir = LAYOUT_CODE_DIR): string {
  const hash = createHash("sha256");
  for (const file of filesUnder(codeDir)) hash.update(`${file}\0`).update(readFileSync(join(codeDir, file))).update("\0");
  return `digest ${digestVersion()} layout ${hash.digest("hex")}`;
}

/** What fontconfig reads to decide which fonts there are and how they are rendered. */
const FONTCONFIG_VARIABLES = ["FONTCONFIG_FILE", "FONTCONFIG_PATH", "FONTCONFIG_SYSROOT", "HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME"];

/** A fontconfig tool's answer, or what stood in its way. */
function fontconfig(tool: string, args: string[], env: NodeJS.ProcessEnv): string {
  try {
    return execFileSync(tool, args, { env, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    return `${tool}: ${(error as NodeJS.ErrnoException).code ?? "failed"}`;
  }
}

/**
 * The environment that changes fonts, as Chromium (started with this environment) sees it
 * through fontconfig: its variables, the font files it finds (each with its size and time),
 * and the rendering it gives (hinting, antialiasing, subpixel order, for the generic serif).
 * Chromium falls back to these for a character the issue's fonts lack, and renders with
 * these settings: a build in another font environment lays every unit out again.
 */
export function fontEnvironment(env: NodeJS.ProcessEnv = process.env): string {
  const variables = FONTCONFIG_VARIABLES.map((name) => `${name}=${env[name] ?? ""}`);
  const files = [...new Set(fontconfig("fc-list", ["--format", "%{file}\n"], env).split("\n").filter(Boolean))].sort().map((file) => {
    try {
      const stat = statSync(file);
      return `${file} ${stat.size} ${Math.floor(stat.mtimeMs)}`;
    } catch {
      return `${file} missing`;
    }
  });
  // The settings a configuration gives apply to every family alike: one family tells them.
  const rendering = fontconfig("fc-match", ["--format", "%{family[0]}|%{file}|%{hinting}|%{hintstyle}|%{antialias}|%{rgba}|%{lcdfilter}|%{autohint}|%{embeddedbitmap}", "serif"], env);
  return createHash("sha256").update([...variables, ...files, rendering].join("\n")).digest("hex");
}

/** A unit's pages as kept, and the copyfitting variant each of its sections was set in. */
export interface CachedUnit {
  pages: PageHtml[];
  variants: Record<string, string>;
}

/**
 * What fitting the page count (src/layout/page-count.ts) did to one issue, kept under
 * the hash of all its units' keys: which units it changed (their pages as it left
 * them are kept under fittedKey), and the changes, for the build's report. Fitting
 * weighs every section against the others, so a unit's pages as fitted hold only
 * for the very issue they were fitted in; under its own key a unit keeps its pages
 * as they were before fitting, which any issue may start from.
 */
export interface FittedIssue {
  units: number[];
  changes: { section: string; variant: string; pages: number }[];
}

/** The key of an issue as a whole: all its units' keys, and what its page count is fitted to (the binding, the fill, `page.count`: none of them is in a unit's markup). */
export function issueKey(keys: string[], fitting: string): string {
  return createHash("sha256").update(`issue\0${fitting}\0${keys.join("\0")}`).digest("hex");
}

/** The key of a unit's pages as fitting left them, in one issue. */
export function fittedKey(key: string, issue: string): string {
  return createHash("sha256").update(`fitted\0${issue}\0${key}`).digest("hex");
}

/** What a unit's layout depends on, besides its markup. */
export interface LayoutInputs {
  /** The document's head: page size, grid, fonts' faces, stylesheets, title. */
  head: string;
  /** Files whose bytes shape every unit's layout: fonts, stylesheet, layout scripts. */
  files: string[];
  /** The Chromium that lays out, e.g. `Chrome/131.0.6778.85`. */
  browser: string;
  /** digest's version and its layout code; digestFingerprint() unless given (the tests give others). */
  digest?: string;
  /** The environment that changes fonts; fontEnvironment() unless given. */
  fonts?: string;
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

  /** `maxEntries`: how many units to keep (the most recently used); MAX_ENTRIES unless a test says. */
  constructor(
    readonly dir: string,
    private readonly maxEntries = MAX_ENTRIES,
  ) {}

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

  /** Each unit's key: a hash of its markup, the files it names, and the inputs every unit shares (digest's own layout code and the fonts' environment among them). */
  keys(units: string[], inputs: LayoutInputs): string[] {
    const shared = createHash("sha256")
      .update(`${FORMAT}\0${inputs.digest ?? digestFingerprint()}\0${inputs.fonts ?? fontEnvironment()}\0${inputs.browser}\0${inputs.head}\0`)
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

  /** What fitting did to the issue of this key, if it is kept. */
  getIssue(key: string): FittedIssue | undefined {
    try {
      const kept = JSON.parse(readFileSync(join(this.dir, `issue-${key}.json`), "utf8")) as FittedIssue;
      return Array.isArray(kept.units) && Array.isArray(kept.changes) ? kept : undefined;
    } catch {
      return undefined;
    }
  }

  /** Keeps what fitting did to the issue of this key. */
  putIssue(key: string, fitted: FittedIssue): void {
    try {
      mkdirSync(this.dir, { recursive: true });
      const tmp = join(this.dir, `.issue-${key}.${process.pid}.tmp`);
      writeFileSync(tmp, JSON.stringify(fitted));
      renameSync(tmp, join(this.dir, `issue-${key}.json`));
    } catch {
      // no cache
    }
  }

  /** Keeps a unit's pages under its key (written whole, then renamed), and forgets the least recently used beyond maxEntries. A cache that cannot be written is no cache. */
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
      if (files.length > this.maxEntries) {
        const byAge = files.map((f) => ({ f, t: statSync(join(this.dir, f)).mtimeMs })).sort((a, b) => a.t - b.t);
        for (const { f } of byAge.slice(0, files.length - this.maxEntries)) rmSync(join(this.dir, f), { force: true });
      }
    } catch {
      // read-only or full: the next build lays these units out again
    }
  }
}
