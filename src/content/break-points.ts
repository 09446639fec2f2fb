import type { Root, Element, ElementContent, Text } from "hast";
import { visitParents } from "unist-util-visit-parents";

/** A web address or an e-mail address: these have no spaces to break at, and must never gain a hyphen. */
const ADDRESS = /^(?:[a-z][a-z0-9+.-]*:\/\/\S+|www\.\S+|[^\s@]+@[^\s@]+\.[^\s@]+|\S*[a-z0-9-]\.[a-z]{2,}\/\S*)$/i;
/** Shorter than this, an address fits any column. */
const MIN_LENGTH = 16;
/** The blocks whose alignment an address can spoil. */
const BLOCKS = new Set(["p", "li", "dd", "td", "th", "blockquote"]);
/** Elements whose text is printed as typed. */
const VERBATIM = new Set(["code", "pre"]);

/**
 * The pieces of an address, split where a line may break: after `/` (not inside
 * `//`), `@`, `?`, `&` and `=`; before `.`, `-`, `_`, `#` and `~`, so that a line
 * never ends in a hyphen or full stop that a reader (or a PDF's text extraction)
 * would take for hyphenation or the end of a sentence.
 */
export function addressPieces(address: string): string[] {
  const pieces: string[] = [];
  let piece = "";
  for (let i = 0; i < address.length; i++) {
    const c = address[i]!;
    if (".-_#~".includes(c) && piece && !"/@?&=.-_#~".includes(piece.at(-1)!)) {
      pieces.push(piece);
      piece = "";
    }
    piece += c;
    if ("/@?&=".includes(c) && address[i + 1] !== "/" && i < address.length - 1) {
      pieces.push(piece);
      piece = "";
    }
  }
  if (piece) pieces.push(piece);
  return pieces;
}

/**
 * Lets long web and e-mail addresses in running text wrap at their natural points
 * (see addressPieces) without a hyphen: each piece unbreakable, a `<wbr>` between them. Run after
 * hyphenation, which leaves addresses alone.
 */
export function breakLongAddresses(tree: Root): void {
  const edits: { parent: Element | Root; node: Text; block?: Element }[] = [];
  visitParents(tree, "text", (node: Text, ancestors) => {
    if (ancestors.some((a) => a.type === "element" && VERBATIM.has((a as Element).tagName))) return;
    if (!/\S{16,}/.test(node.value)) return;
    const block = [...ancestors].reverse().find((a) => a.type === "element" && BLOCKS.has((a as Element).tagName)) as Element | undefined;
    edits.push({ parent: ancestors[ancestors.length - 1] as Element | Root, node, block });
  });
  for (const { parent, node, block } of edits) {
    const parts: ElementContent[] = [];
    let plain = "";
    for (const token of node.value.split(/(\s+)/)) {
      const bare = token.replace(/[),;:!?\]]+$/, "").replace(/^[(\[]+/, "");
      if (token.length < MIN_LENGTH || !ADDRESS.test(bare)) {
        plain += token;
        continue;
      }
      // Each piece is kept whole (a browser would also break after a hyphen inside it), with a `<wbr>` between pieces.
      if (plain) parts.push({ type: "text", value: plain });
      plain = "";
      addressPieces(token).forEach((piece, i) => {
        if (i) parts.push({ type: "element", tagName: "wbr", properties: {}, children: [] });
        parts.push({ type: "element", tagName: "span", properties: { className: ["address-piece"] }, children: [{ type: "text", value: piece }] });
      });
    }
    if (!parts.length) continue;
    // A justified line with a long unbreakable piece opens wide gaps: such a paragraph is set ragged-right.
    if (block) block.properties.className = [...((block.properties.className as string[] | undefined) ?? []), "with-address"];
    if (plain) parts.push({ type: "text", value: plain });
    const at = parent.children.indexOf(node as never);
    parent.children.splice(at, 1, ...(parts as never[]));
  }
}
