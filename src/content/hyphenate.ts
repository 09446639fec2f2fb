import { createRequire } from "node:module";
import type { Root, Element, Text } from "hast";
import { visitParents } from "unist-util-visit-parents";

const require = createRequire(import.meta.url);
type HyphenateSync = (text: string, options?: { minWordLength?: number; hyphenChar?: string }) => string;

/** Hyphenation patterns per language; Chromium headless has no dictionaries, so soft hyphens are put in here. */
const PATTERNS: Record<string, string> = {
  en: "hyphen/en-gb",
  "en-gb": "hyphen/en-gb",
  "en-us": "hyphen/en-us",
};

/** Elements whose text is never hyphenated: headings, links, code, furniture. */
const SKIP = new Set(["a", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "figcaption", "th"]);
const SOFT_HYPHEN = "\u00AD";

/** Returns a function that puts soft hyphens into running text of `language`, or undefined if there are no patterns for it. */
export function loadHyphenator(language: string): ((text: string) => string) | undefined {
  const tag = language.toLowerCase();
  const module = PATTERNS[tag] ?? PATTERNS[tag.split("-")[0]!] ?? `hyphen/${tag.split("-")[0]}`;
  let hyphenateSync: HyphenateSync;
  try {
    hyphenateSync = (require(module) as { hyphenateSync: HyphenateSync }).hyphenateSync;
  } catch {
    return undefined;
  }
  // An issue repeats its words (CICA, Secretary, cooperation…): each is hyphenated once.
  const seen = new Map<string, string>();
  return (text) =>
    text.replace(/\S+/g, (token) => {
      // Leave alone what is not a plain word: addresses, numbers, acronyms.
      if (/[@/\\\d_]|\.\p{L}/u.test(token) || token.includes(SOFT_HYPHEN)) return token;
      const letters = token.replace(/[^\p{L}]/gu, "");
      if (letters.length < 6 || (letters.length >= 2 && letters === letters.toUpperCase())) return token;
      let done = seen.get(token);
      if (done === undefined) seen.set(token, (done = hyphenateSync(token, { minWordLength: 6 })));
      return done;
    });
}

/** Puts soft hyphens into the running text of a hast tree (not headings, links or code). */
export function hyphenateTree(tree: Root, hyphenate: (text: string) => string): void {
  visitParents(tree, "text", (node: Text, ancestors) => {
    if (ancestors.some((a) => a.type === "element" && SKIP.has((a as Element).tagName))) return;
    node.value = hyphenate(node.value);
  });
}
