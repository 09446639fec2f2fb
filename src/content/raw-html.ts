// Raw HTML in Markdown: printed as its plain text (a `<br>` a line break, comments
// left out), with one warning a block at its own line; HTML that shows something
// other than text (a picture, a frame) would print nothing of itself and is refused.
import type { Root as MdastRoot, Html, Parent as MdastParent, PhrasingContent } from "mdast";
import type { Root as HastRoot, Nodes as HastNodes } from "hast";
import type { Position } from "unist";
import { unified } from "unified";
import rehypeParse from "rehype-parse";
import { visit, SKIP } from "unist-util-visit";
import type { Problems } from "./problems.js";

/** Where the HTML stands: the file (as problems name it) and the problems to report to. */
export interface HtmlContext {
  file: string;
  problems: Problems;
}

const htmlParser = unified().use(rehypeParse, { fragment: true });

/** Elements that show something other than text: printed as plain text, they would leave nothing of themselves. */
const CONTENT_ELEMENTS = new Set(["img", "picture", "video", "audio", "iframe", "object", "embed", "svg", "canvas", "math", "input", "select", "button", "frame", "frameset", "image"]);
/** Elements whose text a browser does not show. */
const UNSHOWN_ELEMENTS = new Set(["script", "style", "template", "noscript", "head", "title"]);
/** Elements that start a new paragraph of the plain text. */
const BLOCK_ELEMENTS = new Set(["address", "article", "aside", "blockquote", "body", "br", "center", "dd", "details", "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "html", "legend", "li", "main", "menu", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "caption", "option", "textarea"]);
const BREAK = /^<br\s*\/?>$/i;

/** What a piece of raw HTML holds: its paragraphs of text, the tags it has, what it shows that is not text, and script or style left out. */
function readHtml(value: string): { paragraphs: string[]; tags: string[]; content: string[]; unshown: string[] } {
  const fragment = htmlParser.parse(value) as HastRoot;
  const paragraphs: string[] = [""];
  const tags = new Set<string>();
  const content = new Set<string>();
  const unshown = new Set<string>();
  const stack: HastNodes[] = [...fragment.children].reverse();
  const end = { type: "comment", value: "" } as HastNodes; // marks the end of a block element
  while (stack.length) {
    const node = stack.pop()!;
    if (node === end) {
      paragraphs.push("");
      continue;
    }
    if (node.type === "text") paragraphs[paragraphs.length - 1] += node.value;
    if (node.type !== "element") continue;
    tags.add(node.tagName);
    if (CONTENT_ELEMENTS.has(node.tagName)) content.add(node.tagName);
    if (UNSHOWN_ELEMENTS.has(node.tagName)) {
      unshown.add(node.tagName);
      continue;
    }
    const block = BLOCK_ELEMENTS.has(node.tagName);
    if (block) paragraphs.push("");
    else if (node.tagName === "td" || node.tagName === "th") paragraphs[paragraphs.length - 1] += " ";
    if (block) stack.push(end);
    const kids = node.children as HastNodes[];
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  }
  return {
    paragraphs: paragraphs.map((p) => p.replace(/\s+/g, " ").trim()).filter(Boolean),
    tags: [...tags],
    content: [...content],
    unshown: [...unshown],
  };
}

/** Only comments, processing instructions and declarations: nothing a reader would see. */
const INVISIBLE = /^(?:\s*(?:<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<![A-Za-z][^>]*>|<!\[CDATA\[[\s\S]*?\]\]>))+\s*$/;

/**
 * Raw HTML is never run or laid out as HTML: digest prints content, not code. Its
 * text is printed as plain text instead, so that no word is lost, and one warning
 * a block, at its own line, says what was left out (the tags, their formatting).
 * A `<br>` is a line break. HTML that shows something other than text (a picture,
 * a video, a frame) cannot be printed as text: an error at its line. Comments are
 * left out without a word, as a reader of the page never sees them.
 */
export function replaceHtml(tree: MdastRoot, ctx: HtmlContext): void {
  /** Inline tags by the block they stand in: one warning a block. */
  const inline = new Map<MdastParent, { first: Position | undefined; tags: Set<string> }>();
  /** The warnings, given in the file's order once all are found. */
  const warnings: { place: Position | undefined; reason: string; hint: string }[] = [];
  const refuse = (node: Html, content: string[]) =>
    ctx.problems.error(
      ctx.file,
      node.position,
      `Cannot print the HTML ${content.map((t) => `\`<${t}>\``).join(", ")}: digest prints Markdown, and HTML that shows something other than text would leave nothing on the page`,
      "raw-html-content",
      content.some((t) => t === "img" || t === "picture" || t === "svg" || t === "image") ? "Write the picture in Markdown: `![Caption](../../images/picture.png)`" : "Leave it out, or print a picture of it: `![Caption](../../images/still.png)`",
    );
  visit(tree, (node, index, parent) => {
    if (!parent || index === undefined) return;
    // A block in its own right: a child of the document, a quote or a list item.
    const isBlock = parent.type === "root" || parent.type === "blockquote" || parent.type === "listItem" || parent.type === "footnoteDefinition";
    if (node.type !== "html") return;
    const value = node.value;
    if (INVISIBLE.test(value)) {
      const comment = /^\s*<!--/.test(value) && !/<\?|<!\[|<![A-Za-z]/.test(value);
      if (!comment) warnings.push({ place: node.position, reason: "Raw HTML is not printed: this processing instruction or declaration is left out", hint: "Delete it: digest prints Markdown, it does not run code" });
      parent.children.splice(index, 1);
      return [SKIP, index];
    }
    if (!isBlock) {
      if (BREAK.test(value.trim())) {
        parent.children[index] = { type: "break", position: node.position } as PhrasingContent;
        return SKIP;
      }
      const { content, tags, paragraphs } = readHtml(value);
      if (content.length) refuse(node, content);
      const seen = inline.get(parent) ?? { first: node.position, tags: new Set<string>() };
      const name = /^<\/?([A-Za-z][\w-]*)/.exec(value)?.[1]?.toLowerCase();
      for (const t of name ? [name] : tags) seen.tags.add(t);
      inline.set(parent, seen);
      // An inline tag holds no text, but an inline comment or odd markup may: keep it, as text.
      const text = paragraphs.join(" ");
      if (text && !name) {
        parent.children[index] = { type: "text", value: text, position: node.position } as PhrasingContent;
        return SKIP;
      }
      parent.children.splice(index, 1);
      return [SKIP, index];
    }
    const { paragraphs, tags, content, unshown } = readHtml(value);
    if (content.length) refuse(node, content);
    const shown = tags.filter((t) => !UNSHOWN_ELEMENTS.has(t));
    const what = [
      shown.length ? `its tags (${shown.slice(0, 4).map((t) => `\`<${t}>\``).join(", ")}${shown.length > 4 ? ", …" : ""}) are left out${paragraphs.length ? " and its text is printed plain" : ""}` : "",
      unshown.length ? `its ${unshown.map((t) => `\`<${t}>\``).join(", ")} is not printed` : "",
    ].filter(Boolean);
    if (!content.length) {
      warnings.push({ place: node.position, reason: `Raw HTML is not rendered: ${what.join("; ") || "it is left out"}`, hint: "Write it in Markdown instead (digest prints content, it does not run code)" });
    }
    const replacement = paragraphs.map((text) => ({ type: "paragraph", position: node.position, children: [{ type: "text", value: text, position: node.position }] }));
    parent.children.splice(index, 1, ...(replacement as never[]));
    return [SKIP, index + replacement.length];
  });
  for (const { first, tags } of inline.values()) {
    const list = [...tags].slice(0, 4).map((t) => `\`<${t}>\``).join(", ");
    warnings.push({ place: first, reason: `Raw HTML is not rendered: the tags ${list}${tags.size > 4 ? ", …" : ""} are left out and their text is printed plain`, hint: "Write it in Markdown instead: `**bold**`, `*italic*`; digest prints content, it does not run code" });
  }
  const at = (w: (typeof warnings)[number]) => (w.place?.start.line ?? 0) * 1e6 + (w.place?.start.column ?? 0);
  for (const w of warnings.sort((a, b) => at(a) - at(b))) ctx.problems.warn(ctx.file, w.place, w.reason, "raw-html", w.hint);
}

