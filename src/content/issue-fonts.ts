// The fonts an issue prints with, besides the templates' typefaces: those it names
// under `fonts:` (read, and refused at their line when Chromium could not embed
// them), and the shipped fallbacks its text needs (src/content/fallbacks.ts).
import { existsSync, realpathSync, statSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import type { Point } from "unist";
import type { Problems } from "./problems.js";
import { FontError, hasGlyph, readFont, roleOf, TYPEFACES, type FontInfo } from "./fonts.js";
import type { ShippedFace } from "./fallbacks.js";
import type { PrintedText } from "./glyphs.js";
import { isInside } from "./source-file.js";
import { FONTS_DIR } from "../paths.js";

/** The characters printed that a face of the typefaces lacks and no font of the issue's `fonts:` has. */
export function lackingChars(printed: PrintedText[], typefaces: FontInfo[], extras: FontInfo[]): Set<string> {
  const seen = new Set<string>();
  const lacking = new Set<string>();
  for (const unit of printed) {
    for (const piece of unit.text) {
      for (const char of piece) {
        if (seen.has(char)) continue;
        seen.add(char);
        if (typefaces.some((f) => !hasGlyph(f, char)) && !extras.some((f) => hasGlyph(f, char))) lacking.add(char);
      }
    }
  }
  return lacking;
}

/**
 * The shipped fallbacks, as one more font for the glyph check: it has a character when,
 * for each face of the typefaces that lacks it, a shipped face of that face's role
 * (serif behind PT Serif, sans behind PT Sans and PT Mono) prints it.
 */
export function shippedCoverage(shipped: ShippedFace[], typefaces: FontInfo[]): FontInfo {
  const byRole = { serif: new Set<number>(), sans: new Set<number>() };
  for (const face of shipped) for (const c of face.chars) byRole[face.role].add(c);
  const coverage = new Set<number>();
  for (const c of new Set([...byRole.serif, ...byRole.sans])) {
    const char = String.fromCodePoint(c);
    if (typefaces.every((f, i) => hasGlyph(f, char) || byRole[roleOf(TYPEFACES[i]!.family)].has(c))) coverage.add(c);
  }
  return { path: "", family: "the Noto fonts digest ships", postscriptName: "", weight: 400, italic: false, coverage, format: "woff2" };
}

/**
 * Reads a font named in issue.yml `fonts:`: a path inside the issue folder, or a
 * file in digest's fonts/ folder (`fonts/NotoSansSC-Subset.ttf`, when the issue has
 * no such file). Returns it when Chromium can embed it as TrueType under its licence.
 */
export function readIssueFont(entry: string, issueDir: string, file: string, place: Point, problems: Problems): FontInfo | undefined {
  if (isAbsolute(entry) || /^[a-z][a-z0-9+.-]*:/i.test(entry)) {
    problems.error(file, place, `Cannot use the font \`${entry}\`: expected a path inside the issue folder or fonts/`, "font-outside-issue", "Copy the font into the issue folder (e.g. `fonts/`) and give its relative path");
    return undefined;
  }
  const inIssue = resolve(issueDir, entry);
  const inFonts = entry.startsWith("fonts/") ? resolve(FONTS_DIR, entry.slice("fonts/".length)) : undefined;
  const [path, root] = existsSync(inIssue) || !inFonts ? [inIssue, issueDir] : [inFonts, FONTS_DIR];
  if (!isInside(root, path) || (existsSync(path) && !isInside(realpathSync(root), realpathSync(path)))) {
    problems.error(file, place, `Cannot use the font \`${entry}\`: it is outside the issue folder and fonts/`, "font-outside-issue", "Copy the font into the issue folder and give its relative path");
    return undefined;
  }
  if (!existsSync(path) || !statSync(path).isFile()) {
    problems.error(file, place, `Cannot find the font \`${entry}\``, "missing-font", "Give its path relative to the issue folder, or `fonts/<file>` for one in digest's fonts/ folder");
    return undefined;
  }
  let font: FontInfo;
  try {
    font = readFont(path);
  } catch (error) {
    if (!(error instanceof FontError)) throw error;
    problems.error(file, place, error.message, "unreadable-font", error.hint);
    return undefined;
  }
  if (font.unembeddable) {
    problems.error(file, place, `Cannot embed the font \`${entry}\` (${font.family}): ${font.unembeddable}`, "unembeddable-font", font.unembeddableHint ?? "Use a TrueType (glyf) font whose licence allows embedding: OS/2 fsType installable, print and preview, or editable");
    return undefined;
  }
  return font;
}
