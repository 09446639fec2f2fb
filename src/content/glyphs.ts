import type { Root } from "hast";
import type { Point } from "unist";
import { visit } from "unist-util-visit";
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
        const families = lacking(char);
        if (!families) continue;
        missing.set(char, families);
        counts.set(char, (counts.get(char) ?? 0) + 1);
      }
    }
    for (const [char, families] of missing) {
      const at = unit.source.indexOf(char);
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
