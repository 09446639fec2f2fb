import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, join } from "node:path";
import type { Font } from "fontkit";
import { PACKAGE_ROOT } from "../paths.js";

/**
 * What digest needs to know of a font file, read from its tables with fontkit
 * (TrueType, OpenType, WOFF, WOFF2): the characters it has glyphs for (its
 * character map), its names, weight and style, its x-height and cap height, and
 * whether Chromium can embed it as a TrueType font (not a Type 3 one) under its
 * licence.
 */
export interface FontInfo {
  path: string;
  /** The family name (typographic family when given), e.g. `PT Serif`. */
  family: string;
  /** The PostScript name, as a PDF's font list shows it (after the subset tag), e.g. `PTSerif-Regular`. */
  postscriptName: string;
  weight: number;
  italic: boolean;
  /** The code points that have a glyph. */
  coverage: ReadonlySet<number>;
  /** Why Chromium cannot embed it as a TrueType font, if it cannot. */
  unembeddable?: string;
  /** What to do about it, when more can be said than "use another font". */
  unembeddableHint?: string;
  /** Its container, as CSS `format()` names it. */
  format: FontFormat;
  /** The height of its lowercase x and of its capitals, in ems (OS/2), when the font gives them: what the fallbacks' sizes are matched by. */
  xHeight?: number;
  capHeight?: number;
}

/** The typefaces of the templates, in `fonts/`: TrueType outlines, so Chromium embeds them as TrueType, never Type 3. */
export const TYPEFACES: { family: string; file: string; weight: number; style: "normal" | "italic" }[] = [
  { family: "PT Serif", file: "PTSerif-Regular.ttf", weight: 400, style: "normal" },
  { family: "PT Serif", file: "PTSerif-Italic.ttf", weight: 400, style: "italic" },
  { family: "PT Serif", file: "PTSerif-Bold.ttf", weight: 700, style: "normal" },
  { family: "PT Serif", file: "PTSerif-BoldItalic.ttf", weight: 700, style: "italic" },
  { family: "PT Sans", file: "PTSans-Regular.ttf", weight: 400, style: "normal" },
  { family: "PT Sans", file: "PTSans-Italic.ttf", weight: 400, style: "italic" },
  { family: "PT Sans", file: "PTSans-Bold.ttf", weight: 700, style: "normal" },
  { family: "PT Sans", file: "PTSans-BoldItalic.ttf", weight: 700, style: "italic" },
  // Code (`code`, `pre`): the browser's own `monospace` would be a font of the machine.
  { family: "PT Mono", file: "PTMono-Regular.ttf", weight: 400, style: "normal" },
  { family: "PT Mono", file: "PTMono-Bold.ttf", weight: 700, style: "normal" },
];

/** Which shipped fallbacks stand in for a typeface: the serif ones behind PT Serif, the sans ones behind PT Sans and PT Mono. */
export function roleOf(family: string): "serif" | "sans" {
  return family === "PT Serif" ? "serif" : "sans";
}

/** A font file digest cannot read or use, with what to do about it. */
export class FontError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

const cache = new Map<string, { key: string; info: FontInfo }>();

/**
 * What fontkit read of each font file, by the file's SHA-1: a build of a Latin issue
 * reads its ten PT faces from here and never loads fontkit (50 to 130 ms), and a
 * Chinese one does not decode its slices' WOFF2 again. Derived from the bytes alone,
 * so it cannot go stale; when it cannot be written (a read-only install), fonts are
 * read each time.
 */
const FONT_CACHE_DIR = join(PACKAGE_ROOT, "node_modules", ".cache", "digest", "fonts");
const FONT_CACHE_VERSION = 1;

interface CachedFont extends Omit<FontInfo, "path" | "coverage"> {
  version: number;
  /** The character map as ranges, `[first, last]`. */
  ranges: [number, number][];
}

/** Reads a font file's tables, once per file (again only when it changes). Throws a FontError when it is not a font digest can read. */
export function readFont(path: string): FontInfo {
  const stats = statSync(path);
  const key = `${stats.size}:${stats.mtimeMs}`;
  const hit = cache.get(path);
  if (hit?.key === key) return hit.info;
  const data = readFileSync(path);
  const stored = join(FONT_CACHE_DIR, `${createHash("sha1").update(data).digest("hex")}.json`);
  let info = fromCache(path, stored);
  if (!info) {
    try {
      info = toCache(parseFont(path, data), stored);
    } catch (error) {
      if (error instanceof FontError) throw error;
      // A table that points past the end of the file, or reads past its own: a font damaged or cut short.
      throw new FontError(`Cannot read \`${basename(path)}\`: it is damaged or cut short (${error instanceof Error ? error.message.split("\n")[0] : String(error)})`, "Download or export the font again, as a TrueType font (.ttf)");
    }
  }
  cache.set(path, { key, info });
  return info;
}

function fromCache(path: string, stored: string): FontInfo | undefined {
  try {
    const { version, ranges, ...rest } = JSON.parse(readFileSync(stored, "utf8")) as CachedFont;
    if (version !== FONT_CACHE_VERSION || !Array.isArray(ranges)) return undefined;
    const coverage = new Set<number>();
    for (const [a, b] of ranges) for (let c = a; c <= b; c++) coverage.add(c);
    return { ...rest, path, coverage };
  } catch {
    return undefined;
  }
}

function toCache(info: FontInfo, stored: string): FontInfo {
  const { path: _path, coverage, ...rest } = info;
  const sorted = [...coverage].sort((a, b) => a - b);
  const ranges: [number, number][] = [];
  for (const c of sorted) {
    const last = ranges.at(-1);
    if (last && last[1] === c - 1) last[1] = c;
    else ranges.push([c, c]);
  }
  const entry: CachedFont = { version: FONT_CACHE_VERSION, ...rest, ranges };
  try {
    mkdirSync(FONT_CACHE_DIR, { recursive: true });
    const temporary = `${stored}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(entry));
    renameSync(temporary, stored);
  } catch {
    // A cache that cannot be written only costs the reading again.
  }
  return info;
}

/** fontkit, loaded on the first font that is not in the cache (Node 20.19 and later load its ES module with `require`). */
let fontkit: typeof import("fontkit") | undefined;
function fontkitCreate(data: Buffer): ReturnType<typeof import("fontkit").create> {
  fontkit ??= createRequire(import.meta.url)("fontkit") as typeof import("fontkit");
  return fontkit.create(data);
}

/** The CSS `format()` of a font file, from its container. */
export type FontFormat = "truetype" | "opentype" | "woff" | "woff2";

/** What a font file is, by its first bytes (before fontkit reads it, so that the refusals can say what it is). */
function containerOf(data: Buffer, name: string): { format: FontFormat; woff: boolean } {
  const hint = "Name a TrueType font (.ttf), or its web font (.woff, .woff2)";
  if (data.length < 12) throw new FontError(`Cannot read \`${name}\`: it is not a font file`, hint);
  const magic = data.toString("latin1", 0, 4);
  if (magic === "ttcf") throw new FontError(`Cannot use \`${name}\`: it is a font collection (.ttc), not one font`, "Extract the one font you need as a .ttf (fontTools: `fonttools ttLib -y 0 …`)");
  if (magic === "wOFF") return { format: "woff", woff: true };
  if (magic === "wOF2") return { format: "woff2", woff: true };
  if (magic === "OTTO") return { format: "opentype", woff: false };
  if (magic === "\0\x01\0\0" || magic === "true") return { format: "truetype", woff: false };
  throw new FontError(`Cannot read \`${name}\`: it is not a TrueType or OpenType font`, hint);
}

/** The OS/2 fsType bits fontkit reads, as the number the specification gives them. */
function fsTypeOf(font: Font): number {
  const t = font["OS/2"]?.fsType;
  if (!t) return 0;
  return (t.noEmbedding ? 0x2 : 0) | (t.viewOnly ? 0x4 : 0) | (t.editable ? 0x8 : 0) | (t.noSubsetting ? 0x100 : 0) | (t.bitmapOnly ? 0x200 : 0);
}

/** Reads a font with fontkit: TrueType, OpenType (CFF), WOFF and WOFF2. */
function parseFont(path: string, data: Buffer): FontInfo {
  const name = basename(path);
  const { format } = containerOf(data, name);
  let parsed: ReturnType<typeof fontkitCreate>;
  try {
    parsed = fontkitCreate(data);
  } catch (error) {
    throw new FontError(`Cannot read \`${name}\`: ${error instanceof Error ? error.message : String(error)}`, "Name a TrueType font (.ttf), or its web font (.woff, .woff2)");
  }
  if ("fonts" in parsed) throw new FontError(`Cannot use \`${name}\`: it is a font collection, not one font`, "Extract the one font you need as a .ttf (fontTools: `fonttools ttLib -y 0 …`)");
  const font = parsed;
  const tables = font.directory.tables;
  if (!tables.cmap) throw new FontError(`Cannot read \`${name}\`: it has no character map (cmap table)`, "Name a TrueType font (.ttf) made for text");
  let coverage: Set<number>;
  try {
    coverage = new Set(font.characterSet);
  } catch {
    throw new FontError(`Cannot read \`${name}\`: its character map has no Unicode table`, "Name a font made for Unicode text (a current .ttf)");
  }
  const os2 = font["OS/2"];
  const fsType = fsTypeOf(font);
  const family = font.getName("preferredFamily") ?? font.familyName ?? name;
  // What makes Chromium (Skia) print a font as Type 3 instead of embedding it as TrueType.
  // Chromium 156 tried: a CFF-outlined OpenType font (test/fixtures/cjk/…/NotoSansCJKsc-Subset.otf) prints as Type 3
  // (test/font-embedding.e2e.test.ts), the same glyphs with TrueType outlines as CID TrueType.
  let unembeddable: string | undefined;
  let unembeddableHint: string | undefined;
  if (fsType & 0x0002) unembeddable = `its licence does not allow embedding (OS/2 fsType ${fsType}: restricted licence embedding)`;
  else if (fsType & 0x0200) unembeddable = `its licence allows embedding its bitmaps only (OS/2 fsType ${fsType})`;
  else if (tables.fvar) {
    unembeddable = "it is a variable font, which Chromium prints as a Type 3 font";
    unembeddableHint = "Use a static instance of it: the family's static .ttf files, or make one with fontTools, e.g. `fonttools varLib.instancer font.ttf wght=400 -o font-Regular.ttf`";
  } else if (!tables.glyf) {
    unembeddable = tables["CFF "] || tables.CFF2 ? "its outlines are PostScript (CFF), which Chromium prints as a Type 3 font" : "it has no TrueType outlines (glyf table)";
    unembeddableHint = "Use the family's TrueType release (.ttf, or its .woff2 from @fontsource), or convert the outlines with FontForge (Debian: fontforge-nox): `fontforge -lang=ff -c 'Open($1); Generate($2)' font.otf font.ttf`";
  }
  const em = font.unitsPerEm || 1000;
  return {
    path,
    family,
    postscriptName: font.postscriptName ?? family.replace(/\s+/g, ""),
    weight: os2?.usWeightClass ?? 400,
    italic: os2 ? os2.fsSelection.italic : font.head.macStyle.italic,
    coverage,
    unembeddable,
    ...(unembeddableHint ? { unembeddableHint } : {}),
    format,
    xHeight: font.xHeight > 0 ? font.xHeight / em : undefined,
    capHeight: font.capHeight > 0 ? font.capHeight / em : undefined,
  };
}

/** Characters that need no glyph of their own: controls, soft hyphens, joiners, variation selectors. */
const IGNORABLE = /[\p{Cc}\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0\u{E0000}-\u{E0FFF}]/u;
/** Spaces: Chromium sets them with the font's own space, narrowed or widened, when it has no glyph for them. */
const SPACE = /\p{Zs}/u;

/** Whether a font prints a character without another font's help. */
export function hasGlyph(font: FontInfo, char: string): boolean {
  const code = char.codePointAt(0)!;
  if (font.coverage.has(code) || IGNORABLE.test(char)) return true;
  if (SPACE.test(char)) return font.coverage.has(0x20);
  // A no-break hyphen is shaped as the font's hyphen.
  if (code === 0x2011) return font.coverage.has(0x2010) || font.coverage.has(0x2d);
  return false;
}

/** `U+674E 李`, as messages name a character. */
export function describeChar(char: string): string {
  const code = char.codePointAt(0)!;
  const shown = SPACE.test(char) || IGNORABLE.test(char) ? "" : ` ${char}`;
  return `U+${code.toString(16).toUpperCase().padStart(4, "0")}${shown}`;
}

/** Code points as CSS `unicode-range` values, consecutive ones joined: `U+674E, U+6653-6654`. */
export function unicodeRange(points: Iterable<number>): string {
  const sorted = [...points].sort((a, b) => a - b);
  const ranges: string[] = [];
  const hex = (n: number) => n.toString(16).toUpperCase();
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    ranges.push(i === j ? `U+${hex(sorted[i]!)}` : `U+${hex(sorted[i]!)}-${hex(sorted[j]!)}`);
    i = j + 1;
  }
  return ranges.join(",");
}
