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
  de: "hyphen/de-1996",
  el: "hyphen/el-monoton",
  mn: "hyphen/mn-cyrl",
  sr: "hyphen/sr-cyrl",
};

/**
 * The patterns for a word in another script than the text's own: a Latin name in
 * Russian text is hyphenated as English, a Cyrillic one in English text as Russian.
 * Words of any other script are not hyphenated.
 */
const SCRIPT_DEFAULTS: Record<string, string> = { Latn: "en", Cyrl: "ru", Grek: "el" };
const SCRIPTS = ["Latn", "Cyrl", "Grek"] as const;
const SCRIPT_TEST: Record<(typeof SCRIPTS)[number], RegExp> = {
  Latn: /\p{Script=Latin}/u,
  Cyrl: /\p{Script=Cyrillic}/u,
  Grek: /\p{Script=Greek}/u,
};

/** Elements whose text is never hyphenated: headings, links, code, furniture. */
const SKIP = new Set(["a", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "figcaption", "th"]);
const SOFT_HYPHEN = "\u00AD";

const loaded = new Map<string, HyphenateSync | undefined>();
/** The `hyphen` package's patterns for a language tag, loaded once; undefined when it has none. */
function patternsFor(tag: string): HyphenateSync | undefined {
  const lower = tag.toLowerCase();
  const module = PATTERNS[lower] ?? PATTERNS[lower.split("-")[0]!] ?? `hyphen/${lower.split("-")[0]}`;
  if (!loaded.has(module)) {
    try {
      loaded.set(module, (require(module) as { hyphenateSync: HyphenateSync }).hyphenateSync);
    } catch {
      loaded.set(module, undefined);
    }
  }
  return loaded.get(module);
}

/** The script a language is written in (`ru` → `Cyrl`), by the platform's likely-subtags data. */
function scriptOf(tag: string): string | undefined {
  try {
    return new Intl.Locale(tag).maximize().script;
  } catch {
    return undefined;
  }
}

/** The one script of a word's letters (`Latn`, `Cyrl`, `Grek`), or undefined for a mix or another script. */
function wordScript(letters: string): string | undefined {
  const found = SCRIPTS.filter((s) => SCRIPT_TEST[s].test(letters));
  if (found.length !== 1) return undefined;
  return letters.replace(new RegExp(SCRIPT_TEST[found[0]!].source, "gu"), "") === "" ? found[0] : undefined;
}

/** Whether digest has hyphenation patterns for a language's own words. */
export function hasPatterns(language: string): boolean {
  return patternsFor(language) !== undefined;
}

/**
 * Returns a function that puts soft hyphens into running text of `language`: its own
 * words by its patterns, words in another script by that script's (English for Latin,
 * Russian for Cyrillic), or not at all. Undefined when there are no patterns for the
 * language's own words.
 */
export function loadHyphenator(language: string): ((text: string) => string) | undefined {
  const own = patternsFor(language);
  if (!own) return undefined;
  const ownScript = scriptOf(language);
  // Another script's patterns are loaded only when a word in that script turns up.
  const patternsOf = (script: string) => (script === ownScript ? own : patternsFor(SCRIPT_DEFAULTS[script]!));
  // An issue repeats its words (CICA, Secretary, cooperation…): each is hyphenated once.
  const seen = new Map<string, string>();
  return (text) =>
    text.replace(/\S+/g, (token) => {
      // Leave alone what is not a plain word: addresses, numbers, acronyms.
      if (/[@/\\\d_]|\.\p{L}/u.test(token) || token.includes(SOFT_HYPHEN)) return token;
      const letters = token.replace(/[^\p{L}]/gu, "");
      if (letters.length < 6 || (letters.length >= 2 && letters === letters.toUpperCase())) return token;
      let done = seen.get(token);
      if (done === undefined) {
        const script = wordScript(letters);
        const hyphenateSync = script ? patternsOf(script) : undefined;
        done = hyphenateSync ? hyphenateSync(token, { minWordLength: 6 }) : token;
        seen.set(token, done);
      }
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
