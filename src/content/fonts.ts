import { readFileSync, statSync } from "node:fs";
import { basename } from "node:path";

/**
 * What digest needs to know of a font file, read from its tables: the characters
 * it has glyphs for (its character map), its names, weight and style, and whether
 * Chromium can embed it as a TrueType font (not a Type 3 one) under its licence.
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

/** Reads a font file's tables, once per file (again only when it changes). Throws a FontError when it is not a font digest can read. */
export function readFont(path: string): FontInfo {
  const stats = statSync(path);
  const key = `${stats.size}:${stats.mtimeMs}`;
  const hit = cache.get(path);
  if (hit?.key === key) return hit.info;
  let info: FontInfo;
  try {
    info = parseFont(path, readFileSync(path));
  } catch (error) {
    if (error instanceof FontError) throw error;
    // A table that points past the end of the file, or reads past its own: a font damaged or cut short.
    if (error instanceof RangeError) throw new FontError(`Cannot read \`${basename(path)}\`: it is damaged or cut short (a table points past its end)`, "Download or export the font again, as a TrueType font (.ttf)");
    throw error;
  }
  cache.set(path, { key, info });
  return info;
}

/** The table directory of an sfnt font: tag → [offset, length]. */
function tablesOf(data: Buffer, name: string): Map<string, [number, number]> {
  if (data.length < 12) throw new FontError(`Cannot read \`${name}\`: it is not a font file`, "Name a TrueType font (.ttf)");
  const magic = data.toString("latin1", 0, 4);
  if (magic === "ttcf") throw new FontError(`Cannot use \`${name}\`: it is a font collection (.ttc), not one font`, "Extract the one font you need as a .ttf (fontTools: `fonttools ttLib -y 0 …`)");
  if (magic === "wOFF" || magic === "wOF2") throw new FontError(`Cannot use \`${name}\`: it is a web font (WOFF)`, "Name the font's TrueType file (.ttf) instead");
  if (magic !== "\0\x01\0\0" && magic !== "true" && magic !== "OTTO") throw new FontError(`Cannot read \`${name}\`: it is not a TrueType or OpenType font`, "Name a TrueType font (.ttf)");
  const tables = new Map<string, [number, number]>();
  const count = data.readUInt16BE(4);
  for (let i = 0; i < count; i++) {
    const at = 12 + i * 16;
    if (at + 16 > data.length) break;
    const offset = data.readUInt32BE(at + 8);
    const length = data.readUInt32BE(at + 12);
    if (offset + length <= data.length) tables.set(data.toString("latin1", at, at + 4), [offset, length]);
  }
  return tables;
}

function parseFont(path: string, data: Buffer): FontInfo {
  const name = basename(path);
  const tables = tablesOf(data, name);
  const cmap = tables.get("cmap");
  if (!cmap) throw new FontError(`Cannot read \`${name}\`: it has no character map (cmap table)`, "Name a TrueType font (.ttf) made for text");
  const names = readNames(data, tables.get("name"));
  const os2 = tables.get("OS/2");
  const fsType = os2 && os2[1] >= 10 ? data.readUInt16BE(os2[0] + 8) : 0;
  const weight = os2 && os2[1] >= 6 ? data.readUInt16BE(os2[0] + 4) : 400;
  const head = tables.get("head");
  const italic = os2 && os2[1] >= 64 ? (data.readUInt16BE(os2[0] + 62) & 1) === 1 : head ? (data.readUInt16BE(head[0] + 44) & 2) === 2 : false;
  const family = names.get(16) ?? names.get(1) ?? name;
  // What makes Chromium (Skia) print a font as Type 3 instead of embedding it as TrueType.
  let unembeddable: string | undefined;
  if (fsType & 0x0002) unembeddable = `its licence does not allow embedding (OS/2 fsType ${fsType}: restricted licence embedding)`;
  else if (fsType & 0x0200) unembeddable = `its licence allows embedding its bitmaps only (OS/2 fsType ${fsType})`;
  else if (tables.has("fvar")) unembeddable = "it is a variable font, which Chromium prints as a Type 3 font";
  else if (!tables.has("glyf")) unembeddable = tables.has("CFF ") || tables.has("CFF2") ? "its outlines are PostScript (CFF), which Chromium prints as a Type 3 font" : "it has no TrueType outlines (glyf table)";
  return {
    path,
    family,
    postscriptName: names.get(6) ?? family.replace(/\s+/g, ""),
    weight,
    italic,
    coverage: readCmap(data, cmap[0], name),
    unembeddable,
  };
}

/** The name table's strings we use (family 1 and 16, PostScript name 6), Windows Unicode first. */
function readNames(data: Buffer, table: [number, number] | undefined): Map<number, string> {
  const found = new Map<number, string>();
  if (!table) return found;
  const [base] = table;
  const count = data.readUInt16BE(base + 2);
  const strings = base + data.readUInt16BE(base + 4);
  const mac = new Map<number, string>();
  for (let i = 0; i < count; i++) {
    const at = base + 6 + i * 12;
    const [platform, encoding, language, nameId, length, offset] = [0, 2, 4, 6, 8, 10].map((o) => data.readUInt16BE(at + o)) as [number, number, number, number, number, number];
    if (![1, 6, 16].includes(nameId)) continue;
    const bytes = data.subarray(strings + offset, strings + offset + length);
    if ((platform === 3 && (encoding === 1 || encoding === 10)) || platform === 0) {
      // English (US) first, then whatever language the font gives.
      if (!found.has(nameId) || language === 0x409) found.set(nameId, Buffer.from(bytes.subarray(0, length & ~1)).swap16().toString("utf16le"));
    } else if (platform === 1 && encoding === 0 && !mac.has(nameId)) {
      mac.set(nameId, bytes.toString("latin1"));
    }
  }
  for (const [id, value] of mac) if (!found.has(id)) found.set(id, value);
  return found;
}

/** The code points of a cmap table: its best Unicode subtable (format 12 for all planes, else 4, 6 or 0). */
function readCmap(data: Buffer, base: number, name: string): Set<number> {
  const count = data.readUInt16BE(base + 2);
  const subtables: { platform: number; encoding: number; offset: number; format: number }[] = [];
  for (let i = 0; i < count; i++) {
    const at = base + 4 + i * 8;
    const offset = base + data.readUInt32BE(at + 4);
    subtables.push({ platform: data.readUInt16BE(at), encoding: data.readUInt16BE(at + 2), offset, format: data.readUInt16BE(offset) });
  }
  const unicode = (s: (typeof subtables)[number]) => s.platform === 0 || (s.platform === 3 && (s.encoding === 1 || s.encoding === 10));
  const best = subtables.find((s) => unicode(s) && s.format === 12) ?? subtables.find((s) => unicode(s) && s.format === 4) ?? subtables.find((s) => unicode(s) && (s.format === 6 || s.format === 0));
  if (!best) throw new FontError(`Cannot read \`${name}\`: its character map has no Unicode table`, "Name a font made for Unicode text (a current .ttf)");
  const points = new Set<number>();
  const at = best.offset;
  if (best.format === 12) {
    const groups = data.readUInt32BE(at + 12);
    for (let g = 0; g < groups; g++) {
      const start = data.readUInt32BE(at + 16 + g * 12);
      const end = data.readUInt32BE(at + 20 + g * 12);
      const glyph = data.readUInt32BE(at + 24 + g * 12);
      for (let c = start; c <= end; c++) if (glyph + (c - start) !== 0) points.add(c);
    }
  } else if (best.format === 4) {
    const segments = data.readUInt16BE(at + 6) / 2;
    const ends = at + 14;
    const starts = ends + segments * 2 + 2;
    const deltas = starts + segments * 2;
    const rangeOffsets = deltas + segments * 2;
    for (let s = 0; s < segments; s++) {
      const end = data.readUInt16BE(ends + s * 2);
      const start = data.readUInt16BE(starts + s * 2);
      const delta = data.readInt16BE(deltas + s * 2);
      const rangeOffset = data.readUInt16BE(rangeOffsets + s * 2);
      for (let c = start; c <= end && c !== 0xffff; c++) {
        let glyph: number;
        if (rangeOffset === 0) glyph = (c + delta) & 0xffff;
        else {
          const where = rangeOffsets + s * 2 + rangeOffset + (c - start) * 2;
          glyph = where + 2 <= data.length ? data.readUInt16BE(where) : 0;
          if (glyph !== 0) glyph = (glyph + delta) & 0xffff;
        }
        if (glyph !== 0) points.add(c);
      }
    }
  } else if (best.format === 6) {
    const first = data.readUInt16BE(at + 6);
    const entries = data.readUInt16BE(at + 8);
    for (let i = 0; i < entries; i++) if (data.readUInt16BE(at + 10 + i * 2) !== 0) points.add(first + i);
  } else {
    for (let c = 0; c < 256; c++) if (data.readUInt8(at + 6 + c) !== 0) points.add(c);
  }
  return points;
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
