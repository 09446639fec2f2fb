import type { Root } from "hast";
import type { Point } from "unist";
import { visit } from "unist-util-visit";
import { decodeNamedCharacterReference } from "decode-named-character-reference";
import { describeChar, hasGlyph, type FontInfo } from "./fonts.js";
import type { Problems } from "./problems.js";

/** The text one source file puts on the pages, and where to point when a character is not found in the file as typed. */
export interface PrintedText {
  /** The file, as problems name it. */
  file: string;
  /** The file's text as the editor typed it: a character is located at its first place there. */
  source: string;
  /** Everything printed from the file: titles, bodies, datelines, with the typographer's quotes. */
  text: string[];
  /** For characters the file does not contain as typed (quotes, dates and labels of its language): where that language is set. */
  fallback: { file: string; place?: Point };
  /** The file has bytes that are not UTF-8, reported already: the U+FFFD they are read as is no glyph problem of its own. */
  notUtf8?: boolean;
}

/** The text of a Markdown body as printed (its text nodes). */
export function textOf(tree: Root): string {
  const parts: string[] = [];
  visit(tree, "text", (node: { value: string }) => void parts.push(node.value));
  return parts.join(" ");
}

/**
 * Finds, before Chromium starts, every character that no font of the issue has a
 * glyph for: Chromium would take it from whatever font the machine has (or print a
 * blank box), so the PDF would differ from one machine to the next. A character is
 * covered when every face of the templates' typefaces has it, or one of the issue's
 * `fonts:` does (they are the typefaces' fallbacks). Each missing character is
 * reported once a file, at its first place there.
 */
export function checkGlyphs(printed: PrintedText[], typefaces: FontInfo[], extras: FontInfo[], problems: Problems): void {
  const verdicts = new Map<string, string[] | undefined>();
  /** The families that lack the character, or undefined when it is covered. */
  const lacking = (char: string): string[] | undefined => {
    if (verdicts.has(char)) return verdicts.get(char);
    let result: string[] | undefined;
    if (!extras.some((f) => hasGlyph(f, char))) {
      const without = [...new Set(typefaces.filter((f) => !hasGlyph(f, char)).map((f) => f.family))];
      if (without.length) result = [...without, ...new Set(extras.map((f) => f.family))];
    }
    verdicts.set(char, result);
    return result;
  };
  for (const unit of printed) {
    const missing = new Map<string, string[]>();
    const counts = new Map<string, number>();
    for (const piece of unit.text) {
      for (const char of piece) {
        if (unit.notUtf8 && char === "\uFFFD") continue;
        const families = lacking(char);
        if (!families) continue;
        missing.set(char, families);
        counts.set(char, (counts.get(char) ?? 0) + 1);
      }
    }
    for (const [char, families] of missing) {
      const at = placeOf(unit.source, char);
      const file = at >= 0 ? unit.file : unit.fallback.file;
      const place = at >= 0 ? pointAt(unit.source, at) : unit.fallback.place;
      const more = counts.get(char)! - 1;
      problems.error(
        file,
        place,
        `${describeChar(char)} has no glyph in ${list(families)}${more ? ` (here and in ${more} more place${more > 1 ? "s" : ""} in ${unit.file})` : ""}`,
        "missing-glyph",
        "Name a font that has it under `fonts:` in issue.yml (a TrueType .ttf in the issue folder or in fonts/), or write the text without it",
      );
    }
  }
}

/** A character reference as Markdown (and HTML) decode it: `&ngE;`, `&#992;`, `&#x3E0;`. */
const REFERENCE = /&(?:#[xX]([0-9A-Fa-f]{1,6})|#(\d{1,7})|([A-Za-z][A-Za-z0-9]{0,31}));/g;

/** What a character reference stands for (U+FFFD for none, as Markdown decodes `&#0;`), or undefined when it is no reference. */
function decodeReference(match: RegExpExecArray): string | undefined {
  if (match[3] !== undefined) {
    const named = decodeNamedCharacterReference(match[3]);
    return named === false ? undefined : named;
  }
  const code = match[1] !== undefined ? parseInt(match[1], 16) : Number(match[2]);
  return code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) ? "\uFFFD" : String.fromCodePoint(code);
}

/**
 * Where a character first stands in a file as the editor typed it: itself, or a
 * character reference (`&ngE;`, `&#992;`) that prints it. -1 when neither: the
 * character was made by digest (a typographer's quote, a date of the language).
 */
function placeOf(source: string, char: string): number {
  const typed = source.indexOf(char);
  for (const match of source.matchAll(REFERENCE)) {
    if (typed >= 0 && match.index > typed) break;
    if (decodeReference(match)?.includes(char)) return match.index;
  }
  return typed;
}

/** `PT Serif, PT Sans or Noto Sans CJK SC`. */
function list(names: string[]): string {
  return names.length > 1 ? `${names.slice(0, -1).join(", ")} or ${names.at(-1)}` : names[0]!;
}

/** The line and column (1-based) of an offset in a text. */
function pointAt(source: string, offset: number): Point {
  const before = source.slice(0, offset);
  const line = before.split("\n").length;
  return { line, column: offset - before.lastIndexOf("\n") };
}
