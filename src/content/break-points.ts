import type { Root, Element, ElementContent, Text } from "hast";
import { visitParents } from "unist-util-visit-parents";

/** A web address or an e-mail address: these have no spaces to break at, and must never gain a hyphen. */
const ADDRESS = /^(?:[a-z][a-z0-9+.-]*:\/\/\S+|www\.\S+|[^\s@]+@[^\s@]+\.[^\s@]+|\S*[a-z0-9-]\.[a-z]{2,}\/\S*)$/i;
/** Shorter than this, an address fits any column. */
const MIN_LENGTH = 16;
/** Elements whose text is printed as typed. */
const VERBATIM = new Set(["code", "pre"]);

/** The pieces of an address, each ending after a `/`, `.`, `@`, `-`, `_`, `?`, `&`, `=` or `#` where a line may break. */
export function addressPieces(address: string): string[] {
  const pieces = address.match(/[^/.@\-_?&=#]*[/.@\-_?&=#]+|[^/.@\-_?&=#]+$/g) ?? [address];
  return pieces;
}

/**
 * Lets long web and e-mail addresses in running text wrap at their natural points
 * (after `/`, `.`, `@`, `-` …) without a hyphen: a `<wbr>` after each. Run after
 * hyphenation, which leaves addresses alone.
 */
export function breakLongAddresses(tree: Root): void {
  const edits: { parent: Element | Root; node: Text }[] = [];
  visitParents(tree, "text", (node: Text, ancestors) => {
    if (ancestors.some((a) => a.type === "element" && VERBATIM.has((a as Element).tagName))) return;
    if (!/\S{16,}/.test(node.value)) return;
    edits.push({ parent: ancestors[ancestors.length - 1] as Element | Root, node });
  });
  for (const { parent, node } of edits) {
    const parts: ElementContent[] = [];
    let plain = "";
    for (const token of node.value.split(/(\s+)/)) {
      const bare = token.replace(/[),;:!?\]]+$/, "").replace(/^[(\[]+/, "");
      if (token.length < MIN_LENGTH || !ADDRESS.test(bare)) {
        plain += token;
        continue;
      }
      const pieces = addressPieces(token);
      pieces.forEach((piece, i) => {
        plain += piece;
        if (i < pieces.length - 1) {
          parts.push({ type: "text", value: plain });
          parts.push({ type: "element", tagName: "wbr", properties: {}, children: [] });
          plain = "";
        }
      });
    }
    if (!parts.length) continue;
    if (plain) parts.push({ type: "text", value: plain });
    const at = parent.children.indexOf(node as never);
    parent.children.splice(at, 1, ...(parts as never[]));
  }
}
