import { existsSync, realpathSync, statSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve } from "node:path";
import type { Root as MdastRoot, RootContent as MdastContent, Definition, FootnoteDefinition, Html, Parent as MdastParent, PhrasingContent } from "mdast";
import type { Root as HastRoot, Element, ElementContent, Nodes as HastNodes } from "hast";
import type { Position } from "unist";
import { unified } from "unified";
import remarkParse from "remark-parse";
import remarkGfm from "remark-gfm";
import remarkRehype from "remark-rehype";
import rehypeParse from "rehype-parse";
import { visit, SKIP } from "unist-util-visit";
import type { Problems } from "./problems.js";
import { hyphenateTree } from "./hyphenate.js";
import { typesetTree } from "./typography.js";
import { breakLongAddresses } from "./break-points.js";
import { pictureShape, pictureSize } from "./picture-type.js";
import { inspectPicture } from "./picture-check.js";
import { scanNesting, treeTooDeep } from "./limits.js";

/** What a Markdown body needs to know of where it stands. */
export interface MarkdownContext {
  /** The file, relative to the issue folder (how problems name it). */
  file: string;
  /** The file's absolute path. */
  path: string;
  issueDir: string;
  problems: Problems;
  /** The language the file's text is set in (its quotes): the issue's, or the file's own `language:`. */
  language: string;
  hyphenate?: (text: string) => string;
}

const parser = unified().use(remarkParse).use(remarkGfm);
/** The mdast-to-hast processors, one for each prefix of footnote ids (see `toHast`). */
const toHastProcessors = new Map<string, Processor>();
type Processor = ReturnType<typeof makeToHast>;
const makeToHast = (prefix: string) => unified().use(remarkRehype, { allowDangerousHtml: false, clobberPrefix: prefix });
function hastOf(root: MdastRoot, prefix: string): HastRoot {
  if (!toHastProcessors.has(prefix)) toHastProcessors.set(prefix, makeToHast(prefix));
  return toHastProcessors.get(prefix)!.runSync(root as never) as HastRoot;
}

/** `months/2024-07/01-x.md` (the file in the issue folder) → `fn-months-2024-07-01-x-`: ids of a body's footnotes, unique in the issue. */
export function idPrefixOf(file: string): string {
  return `fn-${file.replace(/\.md$/, "").replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "")}-`;
}

/**
 * The footnotes of a body, as a magazine prints them: numbered notes under a short
 * rule at the body's end, without the screen's "Footnotes" heading and without
 * the ↩ links back to the text (a printed page has no links; the note's number
 * pairs it with its call, and the fonts have no ↩). The call stays a link to its
 * note, for the screen edition.
 */
function footnotesForPrint(tree: HastRoot): void {
  visit(tree, "element", (node: Element, index, parent) => {
    if (node.tagName === "section" && node.properties.dataFootnotes !== undefined) {
      node.children = node.children.filter((c) => !(c.type === "element" && /^h[1-6]$/.test(c.tagName)));
      // The notes' place in the source, for problems found once the pages are laid out.
      const first = node.children.find((c): c is Element => c.type === "element" && c.tagName === "ol")?.children.find((c): c is Element => c.type === "element" && c.tagName === "li");
      if (first?.position) node.position = first.position;
      return;
    }
    if (node.tagName === "a" && node.properties.dataFootnoteBackref !== undefined && parent && index !== undefined) {
      parent.children.splice(index, 1);
      // The space put before the link goes with it.
      const before = parent.children[index - 1];
      if (before?.type === "text") before.value = before.value.replace(/ $/, "");
      return [SKIP, index];
    }
    if (node.tagName === "a" && node.properties.dataFootnoteRef !== undefined) delete node.properties.ariaDescribedBy;
    return undefined;
  });
}
const htmlParser = unified().use(rehypeParse, { fragment: true });

/**
 * Parses a Markdown body (front matter already blanked) into mdast, checking what
 * editors can get wrong. Nesting past digest's limits is refused before the parser
 * sees it (it would take minutes, or overflow its stack); reference-style pictures
 * and links become inline ones, so that their pictures are found like any other;
 * raw HTML becomes its plain text (see `replaceHtml`).
 */
export function parseMarkdown(body: string, ctx: MarkdownContext): MdastRoot {
  const empty: MdastRoot = { type: "root", children: [] };
  const tooDeep = scanNesting(body);
  if (tooDeep) {
    ctx.problems.error(ctx.file, tooDeep.place, tooDeep.reason, "too-deeply-nested", tooDeep.hint);
    return empty;
  }
  let tree: MdastRoot;
  try {
    tree = parser.runSync(parser.parse(body)) as MdastRoot;
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    ctx.problems.error(ctx.file, { line: 1, column: 1 }, "Cannot read this file: its Markdown is nested deeper than digest can follow", "too-deeply-nested", "Close what is opened (`]`, `*`, `>`), or write it flatter");
    return empty;
  }
  const deep = treeTooDeep(tree);
  if (deep) {
    ctx.problems.error(ctx.file, deep.place, deep.reason, "too-deeply-nested", deep.hint);
    return empty;
  }
  inlineReferences(tree);
  refuseLongListNumbers(tree, ctx);
  replaceHtml(tree, ctx);
  reportUnusedFootnotes(tree, ctx);
  visit(tree, "image", (node) => {
    const path = resolvePicture(node.url, ctx, node.position);
    node.url = path ?? "";
    // The file's path as it is: the HTML's `src` would otherwise be escaped as a URL (`100%.png` as `100%25.png`), and then again as a file URL.
    if (path) node.data = { ...node.data, hProperties: { ...node.data?.hProperties, src: path } };
  });
  return tree;
}

/**
 * `![caption][photo]` with `[photo]: ../../images/photo.png` becomes
 * `![caption](../../images/photo.png)`, and likewise for links: a picture is then
 * found, checked and printed as an inline one is, and a flash briefing's items
 * (each made into HTML alone) keep the definitions written in another item.
 */
function inlineReferences(tree: MdastRoot): void {
  const definitions = new Map<string, Definition>();
  visit(tree, "definition", (node) => {
    if (!definitions.has(node.identifier)) definitions.set(node.identifier, node);
  });
  visit(tree, (node, index, parent) => {
    if ((node.type !== "imageReference" && node.type !== "linkReference") || !parent || index === undefined) return;
    const definition = definitions.get(node.identifier);
    if (!definition) return;
    const common = { url: definition.url, title: definition.title ?? null, position: node.position };
    parent.children[index] = (node.type === "imageReference" ? { type: "image", alt: node.alt ?? "", ...common } : { type: "link", children: node.children, ...common }) as never;
  });
}

/** A list's numbers stand in the margin before its text: past five digits they reach the trim. */
const LIST_NUMBER_DIGITS = 5;

/**
 * A line that starts with a long number and a full stop (`123456789. ok`) is a
 * numbered list in Markdown, whose number would print in the margin, cut by the
 * trim: refused at its line, with how to write it as text.
 */
function refuseLongListNumbers(tree: MdastRoot, ctx: MarkdownContext): void {
  visit(tree, "list", (node) => {
    if (!node.ordered) return;
    const highest = (node.start ?? 1) + node.children.length - 1;
    if (String(highest).length <= LIST_NUMBER_DIGITS) return;
    const first = node.start ?? 1;
    ctx.problems.error(
      ctx.file,
      node.position,
      `Cannot number a list from ${first}: numbers of more than ${LIST_NUMBER_DIGITS} digits print in the margin, cut off by the trim`,
      "list-number-too-long",
      `If it is not a list, write the number's full stop with a backslash (\`${first}\\.\`); if it is, number it from 1`,
    );
  });
}

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
function replaceHtml(tree: MdastRoot, ctx: MarkdownContext): void {
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

/** A footnote written but never called (`[^1]` nowhere in the text) would not print: say so at its line. */
function reportUnusedFootnotes(tree: MdastRoot, ctx: MarkdownContext): void {
  const called = new Set<string>();
  visit(tree, "footnoteReference", (node) => void called.add(node.identifier));
  visit(tree, "footnoteDefinition", (node: FootnoteDefinition) => {
    if (!called.has(node.identifier)) {
      ctx.problems.warn(ctx.file, node.position, `The footnote \`[^${node.label ?? node.identifier}]\` is never called, so it is not printed`, "unused-footnote", `Call it in the text with \`[^${node.label ?? node.identifier}]\`, or delete it`);
    }
  });
}

/**
 * Turns mdast (or a run of its top-level nodes) into hast, with figures, footnotes
 * for print, soft hyphens and break points in long addresses. `idPrefix` keeps the
 * footnotes' ids apart from every other body's in the issue.
 */
export function toHast(tree: MdastRoot | MdastContent[], ctx: MarkdownContext, idPrefix = idPrefixOf(relative(ctx.issueDir, ctx.path))): HastRoot {
  const root: MdastRoot = Array.isArray(tree) ? { type: "root", children: tree } : tree;
  const hast = hastOf(root, idPrefix);
  makeFigures(hast);
  footnotesForPrint(hast);
  markSources(hast, ctx.file);
  dropUnsafeLinks(hast, ctx);
  typesetTree(hast, ctx.language);
  if (ctx.hyphenate) hyphenateTree(hast, ctx.hyphenate);
  breakLongAddresses(hast);
  return hast;
}

/**
 * Marks each top-level block with the file and line it comes from, so a problem
 * found only after pagination (a table taller than the page) can point at its source.
 */
function markSources(tree: HastRoot, file: string): void {
  for (const node of tree.children) {
    if (node.type === "element" && node.position) node.properties.dataSource = `${file}:${node.position.start.line}:${node.position.start.column}`;
  }
}

/** Links may go to the web, to e-mail and phone numbers, or within the issue: a `javascript:` link prints as plain text. */
function dropUnsafeLinks(tree: HastRoot, ctx: MarkdownContext): void {
  visit(tree, "element", (node: Element) => {
    if (node.tagName !== "a" || typeof node.properties.href !== "string") return;
    const href = node.properties.href;
    if (/^[a-z][a-z0-9+.-]*:/i.test(href) && !/^(https?|mailto|tel):/i.test(href)) {
      ctx.problems.warn(ctx.file, node.position, `Cannot link to \`${href.slice(0, 40)}\``, "unsafe-link", "Links may only go to http(s), mailto: or tel: addresses; the text is printed without the link");
      node.tagName = "span";
      node.properties = {};
    }
  });
}

/**
 * A paragraph that holds only a picture becomes a figure: the alt text is its
 * caption, the title its credit. The figure says the picture's shape (a class the
 * stylesheet sets by: panorama, landscape, portrait) and its width-to-height
 * ratio (`--ratio`), so that a tall picture is set narrower rather than cut.
 */
function makeFigures(tree: HastRoot): void {
  visit(tree, "element", (node: Element, index, parent) => {
    if (node.tagName !== "p" || !parent || index === undefined) return;
    const kids = node.children.filter((c) => !(c.type === "text" && !c.value.trim()));
    if (kids.length !== 1 || kids[0]!.type !== "element" || kids[0]!.tagName !== "img") return;
    const img = kids[0] as Element;
    const caption = String(img.properties.alt ?? "");
    const credit = img.properties.title ? String(img.properties.title) : "";
    delete img.properties.title;
    const captionKids: ElementContent[] = [];
    if (caption) captionKids.push({ type: "text", value: caption });
    if (credit)
      captionKids.push({ type: "element", tagName: "span", properties: { className: ["credit"] }, children: [{ type: "text", value: credit }] });
    const size = img.properties.src ? pictureSizeOrNone(String(img.properties.src)) : undefined;
    if (size) img.properties.dataPixels = `${size.width}x${size.height}`;
    const figure: Element = {
      type: "element",
      tagName: "figure",
      position: node.position,
      properties: {
        className: [`picture-${pictureShape(size)}`],
        ...(size && size.height ? { style: `--ratio:${(size.width / size.height).toFixed(4)}` } : {}),
      },
      children: [img, ...(captionKids.length ? [{ type: "element", tagName: "figcaption", properties: {}, children: captionKids } as Element] : [])],
    };
    parent.children[index] = figure;
  });
}

/**
 * Resolves a picture path named in a file (front matter or body): relative to that
 * file, inside the issue folder, never remote. Returns the absolute path, or undefined
 * after recording the problem.
 */
export function resolvePicture(url: string, ctx: MarkdownContext, place: Parameters<Problems["error"]>[1]): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith("//")) {
    ctx.problems.error(ctx.file, place, `Cannot use the remote picture \`${url}\``, "remote-picture", "Save the picture in the issue's images/ folder and give its relative path");
    return undefined;
  }
  if (isAbsolute(url)) {
    ctx.problems.error(ctx.file, place, `Cannot use the absolute path \`${url}\``, "picture-outside-issue", "Give a path relative to this file, inside the issue folder");
    return undefined;
  }
  if (!url.trim()) {
    ctx.problems.error(ctx.file, place, "Expected the path of a picture, not nothing", "missing-picture", "Give the picture's path relative to this file, e.g. `../../images/photo.png`");
    return undefined;
  }
  // A URL's escapes (`%20`) are decoded; a `%` that starts none (`100%.png`) is the file's own.
  const path = [safeDecode(url), url].map((u) => resolve(dirname(ctx.path), u)).find((p) => existsSync(p)) ?? resolve(dirname(ctx.path), safeDecode(url));
  if (!isInside(ctx.issueDir, path)) {
    ctx.problems.error(ctx.file, place, `Cannot use \`${url}\`: it is outside the issue folder`, "picture-outside-issue", "Copy the picture into the issue's images/ folder");
    return undefined;
  }
  if (!existsSync(path) || !statSync(path).isFile()) {
    ctx.problems.error(ctx.file, place, `Cannot find the picture \`${url}\``, "missing-picture", `Expected a file at ${relative(ctx.issueDir, path)} in the issue folder`);
    return undefined;
  }
  if (!isInside(realpathSync(ctx.issueDir), realpathSync(path))) {
    ctx.problems.error(ctx.file, place, `Cannot use \`${url}\`: it links to a file outside the issue folder`, "picture-outside-issue", "Copy the picture into the issue folder instead of linking it");
    return undefined;
  }
  const verdict = inspectPicture(path, url);
  if (verdict.problem) {
    ctx.problems.error(ctx.file, place, verdict.problem.reason, verdict.problem.ruleId, verdict.problem.hint);
    return undefined;
  }
  return path;
}

/** `decodeURI`, or the text as it is when it holds a `%` that escapes nothing. */
function safeDecode(url: string): string {
  try {
    return decodeURI(url);
  } catch {
    return url;
  }
}

function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel);
}

function pictureSizeOrNone(path: string) {
  try {
    return pictureSize(path);
  } catch {
    return undefined; // unreadable pictures are reported where they are resolved
  }
}
