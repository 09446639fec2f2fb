import type { Root, Element, Text } from "hast";
import { visitParents } from "unist-util-visit-parents";

const OPENS_AFTER = /(^|[\s([{\u2013\u2014/-])/;

/** Typed quotes made typographic: "word" → “word”, it's → it’s, 'word' → ‘word’. */
export function smartQuotes(text: string): string {
  if (!text.includes('"') && !text.includes("'")) return text;
  return text
    .replace(new RegExp(`${OPENS_AFTER.source}"`, "g"), "$1\u201C")
    .replace(/"/g, "\u201D")
    .replace(/'(?=\d)/g, "\u2019") // the ’90s
    .replace(new RegExp(`${OPENS_AFTER.source}'(?=\\S)`, "g"), "$1\u2018")
    .replace(/'/g, "\u2019");
}

/** Elements whose text is printed as typed: code. */
const VERBATIM = new Set(["code", "pre"]);

/** Gives a body's running text typographic quotes (not code). */
export function typesetTree(tree: Root): void {
  visitParents(tree, "text", (node: Text, ancestors) => {
    if (ancestors.some((a) => a.type === "element" && VERBATIM.has((a as Element).tagName))) return;
    node.value = smartQuotes(node.value);
  });
}
