import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { PACKAGE_ROOT } from "../paths.js";
import { readFont, type FontInfo } from "./fonts.js";

/**
 * The fallback faces digest ships: the Noto families of npm's `@fontsource`
 * packages (SIL Open Font License 1.1), pinned by the lock file. Each package
 * holds static (not variable) TrueType-outlined WOFF2 files, one per slice of
 * the font (its `unicode.json` gives each slice's characters: `latin`, `greek`,
 * `[4]`, `[5]`… for the hundred-odd slices of a CJK font), weight and style.
 *
 * A character PT Serif (or PT Sans, PT Mono) lacks is printed by the first family
 * of its role below that has it: PT stays first for every character it has, so
 * an issue in Latin and Cyrillic prints as it always has, and loads none of these.
 */
export type Role = "serif" | "sans";

export interface ShippedFamily {
  /** The npm package, e.g. `@fontsource/noto-serif-sc`. */
  pkg: string;
  /** The family, e.g. `Noto Serif SC`. */
  family: string;
  /** What it is there for, as the README's table says it. */
  scripts: string;
  /** Only for symbols (Unicode's S categories: maths, arrows, currency, marks like ✓): Noto Sans Math has Arabic letters too, for Arabic maths, which are not for text. */
  symbolsOnly?: boolean;
}

const f = (id: string, family: string, scripts: string, symbolsOnly?: boolean): ShippedFamily => ({ pkg: `@fontsource/${id}`, family, scripts, ...(symbolsOnly ? { symbolsOnly } : {}) });

/** Arrows, maths and symbols (↩ ≥ ≧ → ✓): sans-serif designs, behind both typefaces. */
const SYMBOLS = [f("noto-sans-math", "Noto Sans Math", "maths, arrows (≥ ≧ → ↩)", true), f("noto-sans-symbols", "Noto Sans Symbols", "symbols", true), f("noto-sans-symbols-2", "Noto Sans Symbols 2", "symbols (✓), arrows", true)];
const SYMBOL = /\p{S}/u;

/** Chinese, Japanese and Korean, in the order a Han character is looked for; kana go to Japanese first, Hangul to Korean. */
const CJK: Record<Role, ShippedFamily[]> = {
  serif: [f("noto-serif-sc", "Noto Serif SC", "Chinese (simplified), Han"), f("noto-serif-tc", "Noto Serif TC", "Chinese (traditional)"), f("noto-serif-jp", "Noto Serif JP", "Japanese (kana)"), f("noto-serif-kr", "Noto Serif KR", "Korean (Hangul)")],
  sans: [f("noto-sans-sc", "Noto Sans SC", "Chinese (simplified), Han"), f("noto-sans-tc", "Noto Sans TC", "Chinese (traditional)"), f("noto-sans-jp", "Noto Sans JP", "Japanese (kana)"), f("noto-sans-kr", "Noto Sans KR", "Korean (Hangul)")],
};

/** The fallbacks of each role, in the order they are tried. */
export const SHIPPED: Record<Role, ShippedFamily[]> = {
  serif: [
    f("noto-serif", "Noto Serif", "Greek, Latin extended (Vietnamese, Azerbaijani ə), Cyrillic extended"),
    ...SYMBOLS,
    f("noto-serif-thai", "Noto Serif Thai", "Thai"),
    f("noto-serif-devanagari", "Noto Serif Devanagari", "Devanagari (Hindi, Nepali, Marathi)"),
    f("noto-serif-bengali", "Noto Serif Bengali", "Bengali"),
    f("noto-serif-sinhala", "Noto Serif Sinhala", "Sinhala"),
    f("noto-serif-khmer", "Noto Serif Khmer", "Khmer"),
    f("noto-naskh-arabic", "Noto Naskh Arabic", "Arabic, Persian, Urdu"),
    f("noto-serif-hebrew", "Noto Serif Hebrew", "Hebrew"),
    f("noto-serif-georgian", "Noto Serif Georgian", "Georgian"),
    f("noto-serif-armenian", "Noto Serif Armenian", "Armenian"),
    ...CJK.serif,
  ],
  sans: [
    f("noto-sans", "Noto Sans", "Greek, Latin extended (Vietnamese, Azerbaijani ə), Cyrillic extended"),
    ...SYMBOLS,
    f("noto-sans-thai", "Noto Sans Thai", "Thai"),
    f("noto-sans-devanagari", "Noto Sans Devanagari", "Devanagari (Hindi, Nepali, Marathi)"),
    f("noto-sans-bengali", "Noto Sans Bengali", "Bengali"),
    f("noto-sans-sinhala", "Noto Sans Sinhala", "Sinhala"),
    f("noto-sans-khmer", "Noto Sans Khmer", "Khmer"),
    f("noto-sans-arabic", "Noto Sans Arabic", "Arabic, Persian, Urdu"),
    f("noto-sans-hebrew", "Noto Sans Hebrew", "Hebrew"),
    f("noto-sans-georgian", "Noto Sans Georgian", "Georgian"),
    f("noto-sans-armenian", "Noto Sans Armenian", "Armenian"),
    ...CJK.sans,
  ],
};

/** The weights digest's typefaces have: a fallback's file is the nearest weight its package has. */
export const WEIGHTS = [400, 700] as const;

/** The weight of a package's files nearest to the one asked for (the heavier one on a tie). */
export function nearestWeight(available: number[], weight: number): number {
  return available.reduce((best, w) => (Math.abs(w - weight) < Math.abs(best - weight) || (Math.abs(w - weight) === Math.abs(best - weight) && w > best) ? w : best));
}

interface Slice {
  name: string;
  ranges: [number, number][];
}

interface Package {
  family: ShippedFamily;
  dir: string;
  id: string;
  weights: number[];
  italic: boolean;
  slices: Slice[];
  license: string;
}

const requireHere = createRequire(join(PACKAGE_ROOT, "package.json"));

/** The folder that holds the @fontsource packages (digest's node_modules/@fontsource, or the one above it where npm put them). */
export function shippedFontsRoot(): string {
  return dirname(dirname(requireHere.resolve(`${SHIPPED.serif[0]!.pkg}/package.json`)));
}
const packages = new Map<string, Package>();

/** A package's folder, slices, weights and styles (its metadata.json and unicode.json). */
function packageOf(family: ShippedFamily): Package {
  const known = packages.get(family.pkg);
  if (known) return known;
  const dir = dirname(requireHere.resolve(`${family.pkg}/package.json`));
  const meta = JSON.parse(readFileSync(join(dir, "metadata.json"), "utf8")) as { id: string; weights: number[]; styles: string[]; license: { type: string } };
  const unicode = JSON.parse(readFileSync(join(dir, "unicode.json"), "utf8")) as Record<string, string>;
  const slices = Object.entries(unicode).map(([key, range]) => ({
    name: key.replace(/^\[(.*)\]$/, "$1"),
    ranges: range.split(",").map((part): [number, number] => {
      const [a, b] = part.trim().replace(/^U\+/i, "").split("-");
      return [parseInt(a!, 16), parseInt(b ?? a!, 16)];
    }),
  }));
  const pkg = { family, dir, id: meta.id, weights: meta.weights, italic: meta.styles.includes("italic"), slices, license: meta.license.type };
  packages.set(family.pkg, pkg);
  return pkg;
}

/** The file of a slice in a weight and style (upright when the family has no italics). */
function fileOf(pkg: Package, slice: string, weight: number, italic: boolean): string {
  return join(pkg.dir, "files", `${pkg.id}-${slice}-${nearestWeight(pkg.weights, weight)}-${italic && pkg.italic ? "italic" : "normal"}.woff2`);
}

/**
 * The slice of a package that has a glyph for a code point: one whose range says so and
 * whose regular's character map confirms it; else, in a package of a few slices, one
 * whose file has it all the same (Noto Sans Math's one `latin` slice is the whole font,
 * arrows and all, though its range names Latin only).
 */
function sliceFor(pkg: Package, code: number): Slice | undefined {
  const has = (slice: Slice) => {
    const path = fileOf(pkg, slice.name, 400, false);
    return existsSync(path) && readFont(path).coverage.has(code);
  };
  const inRange = (slice: Slice) => slice.ranges.some(([a, b]) => code >= a && code <= b);
  return pkg.slices.find((slice) => inRange(slice) && has(slice)) ?? (pkg.slices.length <= 12 ? pkg.slices.find((slice) => !inRange(slice) && has(slice)) : undefined);
}

const HANGUL = /[\u1100-\u11FF\u3130-\u318F\uA960-\uA97F\uAC00-\uD7AF\uD7B0-\uD7FF\uFFA0-\uFFDC]/u;
const KANA = /[\u3040-\u30FF\u31F0-\u31FF\u32D0-\u32FE\uFF66-\uFF9F\u{1B000}-\u{1B16F}]/u;
const BOPOMOFO = /[\u3100-\u312F\u31A0-\u31BF]/u;

/** The families of a role in the order tried for a character: Hangul from the Korean font, kana from the Japanese, bopomofo from the traditional Chinese. */
function orderFor(role: Role, char: string): ShippedFamily[] {
  const list = SHIPPED[role];
  const [sc, tc, jp, kr] = CJK[role] as [ShippedFamily, ShippedFamily, ShippedFamily, ShippedFamily];
  const first = HANGUL.test(char) ? kr : KANA.test(char) ? jp : BOPOMOFO.test(char) ? tc : undefined;
  if (!first) return list;
  return [...list.filter((f) => !CJK[role].includes(f)), first, ...[sc, tc, jp, kr].filter((f) => f !== first)];
}

/** One slice of a shipped family standing in for one role, and the characters of the issue it prints. */
export interface ShippedFace {
  role: Role;
  family: string;
  pkg: string;
  slice: string;
  /** The code points it prints, in order. */
  chars: number[];
  /** Its file for a weight and style of the typeface it stands in for. */
  file(weight: number, italic: boolean): string;
  /**
   * The x-height and cap height in ems of its role's Latin family (Noto Serif, Noto Sans), to match its size to the
   * typeface's: the Noto families share one design (a Devanagari or Chinese Noto is drawn to sit beside Noto Sans),
   * so one ratio keeps them all in proportion, where their own x-heights would not (Devanagari's is its headline's).
   */
  xHeight?: number;
  capHeight?: number;
}

/** The x-height and cap height of a role's first family, Noto Serif or Noto Sans, from its Latin regular. */
function referenceMetrics(role: Role): { xHeight?: number; capHeight?: number } {
  const pkg = packageOf(SHIPPED[role][0]!);
  const font = readFont(fileOf(pkg, "latin", 400, false));
  return { xHeight: font.xHeight, capHeight: font.capHeight };
}

/**
 * Which shipped faces print the characters that the typefaces lack (and the issue's
 * own `fonts:` do not have), for each role: each character goes to the first family
 * of the role that has it. Characters no shipped font has are left out (the glyph
 * check refuses them).
 */
export function shippedFacesFor(chars: Iterable<string>): ShippedFace[] {
  const faces = new Map<string, ShippedFace>();
  for (const char of [...new Set(chars)].sort()) {
    const code = char.codePointAt(0)!;
    for (const role of ["serif", "sans"] as Role[]) {
      for (const family of orderFor(role, char)) {
        if (family.symbolsOnly && !SYMBOL.test(char)) continue;
        const pkg = packageOf(family);
        const slice = sliceFor(pkg, code);
        if (!slice) continue;
        const key = `${role} ${family.pkg} ${slice.name}`;
        let face = faces.get(key);
        if (!face) {
          face = { role, family: family.family, pkg: family.pkg, slice: slice.name, chars: [], file: (w, i) => fileOf(pkg, slice.name, w, i), ...referenceMetrics(role) };
          faces.set(key, face);
        }
        face.chars.push(code);
        break;
      }
    }
  }
  // A stable order, whatever order the characters came in: by role, then as the families are tried, then slice.
  const rank = (face: ShippedFace) => SHIPPED[face.role].findIndex((f) => f.pkg === face.pkg);
  return [...faces.values()]
    .map((face) => ({ ...face, chars: face.chars.sort((a, b) => a - b) }))
    .sort((a, b) => a.role.localeCompare(b.role) || rank(a) - rank(b) || a.slice.localeCompare(b.slice, "en", { numeric: true }));
}

/** The characters that the shipped faces print in every role: what `digest check` counts as covered. */
export function coveredByShipped(faces: ShippedFace[]): Set<number> {
  const serif = new Set(faces.filter((f) => f.role === "serif").flatMap((f) => f.chars));
  return new Set(faces.filter((f) => f.role === "sans").flatMap((f) => f.chars).filter((c) => serif.has(c)));
}

/** Every file the faces may load (each weight and style of the typefaces they stand in for): what Chromium may read, and what the layout cache hashes. */
export function shippedFilesOf(faces: ShippedFace[]): string[] {
  const files = new Set<string>();
  for (const face of faces) for (const w of WEIGHTS) for (const italic of [false, true]) files.add(face.file(w, italic));
  return [...files].sort();
}

/** The fonts (one file per family, weight and style) that the faces' files are cut from: their PostScript names are what the PDF may contain. */
export function shippedFontsOf(faces: ShippedFace[]): FontInfo[] {
  const files = new Map<string, string>();
  for (const face of faces) {
    for (const w of WEIGHTS) for (const italic of [false, true]) {
      const path = face.file(w, italic);
      const key = `${face.pkg} ${w} ${italic}`;
      if (!files.has(key) && existsSync(path)) files.set(key, path);
    }
  }
  return [...files.values()].map((path) => readFont(path));
}

/** Every shipped family, once, with its package's folder, version and licence: the README's table and the install's check. */
export function shippedFamilies(): { family: ShippedFamily; dir: string; version: string; license: string; weights: number[]; italic: boolean }[] {
  const seen = new Set<string>();
  return [...SHIPPED.serif, ...SHIPPED.sans]
    .filter((f) => !seen.has(f.pkg) && seen.add(f.pkg))
    .map((family) => {
      const pkg = packageOf(family);
      const version = (JSON.parse(readFileSync(join(pkg.dir, "package.json"), "utf8")) as { version: string }).version;
      return { family, dir: pkg.dir, version, license: pkg.license, weights: WEIGHTS.map((w) => nearestWeight(pkg.weights, w)), italic: pkg.italic };
    });
}
