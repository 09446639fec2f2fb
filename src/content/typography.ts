import type { Root, Element, Text } from "hast";
import { visitParents } from "unist-util-visit-parents";
import { languageOf } from "./language.js";

/** Characters after which a typed quote opens: the start, a space, an opening bracket or a dash. */
const OPENS_AFTER = /[\s([{\u2013\u2014/\u00AB\u201E\u201A\u201C\u2018-]/u;
/** Characters before which a typed quote closes: the end, a space, punctuation. */
const CLOSES_BEFORE = /[\s)\]}.,;:!?\u2013\u2014\u00BB\u201C\u201D\u2019-]/u;

/**
 * The quotes open so far in one paragraph, so that a quote inside a quote gets the
 * inner marks and a quote split by emphasis (`"**word**"`) closes where it opened.
 */
export class QuoteState {
  /** The typed marks (`"` or `'`) open, outermost first, with the pair each was given. */
  readonly open: { mark: string; pair: [string, string] }[] = [];
  /** The last character set, for a quote at the start of the next piece of text. */
  before = "";
}

/**
 * Typed quotes made typographic by the language's rules: "word" → “word” (English),
 * «word» (Russian), „word“ (German), « word » (French); a quote inside a quote gets
 * the inner marks („лапки“ inside «ёлочки»), as does a quote typed with single
 * quotes; it's → it’s.
 */
export function smartQuotes(text: string, language = "en", state = new QuoteState()): string {
  if (!text.includes('"') && !text.includes("'")) {
    if (text) state.before = text.at(-1)!;
    return text;
  }
  const quotes = languageOf(language).quotes;
  const isOpen = (mark: string) => state.open.some((q) => q.mark === mark);
  let out = "";
  const open = (mark: string) => {
    const pair = mark === "'" || state.open.length % 2 === 1 ? quotes.inner : quotes.outer;
    state.open.push({ mark, pair });
    out += pair[0];
    if (pair === quotes.outer) out += quotes.padding;
  };
  const close = (mark: string) => {
    // Close the innermost quote typed with this mark (and any left open inside it).
    let at = state.open.map((q) => q.mark).lastIndexOf(mark);
    if (at < 0) at = state.open.length - 1;
    const pair = at < 0 ? (mark === "'" ? quotes.inner : quotes.outer) : state.open[at]!.pair;
    state.open.length = Math.max(at, 0);
    // The padding (French) takes the place of a space typed before the mark.
    if (pair === quotes.outer && quotes.padding) out = out.replace(/[\s\u202F]$/u, "") + quotes.padding;
    out += pair[1];
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== '"' && c !== "'") {
      out += c;
      continue;
    }
    const before = i > 0 ? text[i - 1]! : state.before;
    const after = text[i + 1] ?? "";
    const mayOpen = before === "" || OPENS_AFTER.test(before);
    const mayClose = after === "" || CLOSES_BEFORE.test(after);
    if (c === "'") {
      if (mayOpen && /\d/.test(after)) out += quotes.apostrophe; // the '90s
      else if (mayOpen && after !== "" && !/\s/.test(after)) open(c);
      else if (mayClose && isOpen(c)) close(c);
      else out += quotes.apostrophe; // it's, the Secretariats'
    } else if (mayOpen && mayClose) {
      // A mark between spaces (French `" mot "`): it closes a quote if one is open.
      if (state.open.length) close(c);
      else open(c);
    } else if (mayOpen || (!mayClose && !state.open.length)) {
      open(c);
    } else {
      close(c);
    }
    // The padding (French) takes the place of a space typed after an opening mark.
    if (quotes.padding && out.endsWith(quotes.padding) && /\s/.test(after)) i++;
  }
  state.before = out.at(-1) ?? state.before;
  return out;
}

/** Elements whose text is printed as typed: code. */
const VERBATIM = new Set(["code", "pre"]);
/** Elements that end a run of text: quotes never stay open across them. */
const BLOCKS = new Set(["p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "figcaption", "blockquote", "dd", "dt"]);

/** Gives a body's running text the language's typographic quotes (not code). */
export function typesetTree(tree: Root, language = "en"): void {
  let block: unknown;
  let state = new QuoteState();
  visitParents(tree, "text", (node: Text, ancestors) => {
    if (ancestors.some((a) => a.type === "element" && VERBATIM.has((a as Element).tagName))) return;
    const nearest = [...ancestors].reverse().find((a) => a.type === "element" && BLOCKS.has((a as Element).tagName));
    if (nearest !== block) {
      block = nearest;
      state = new QuoteState();
    }
    node.value = smartQuotes(node.value, language, state);
  });
}
