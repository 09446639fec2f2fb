import { existsSync, realpathSync, statSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve } from "node:path";
import type { Root as MdastRoot, RootContent as MdastContent, Definition, FootnoteDefinition } from "mdast";
import type { Root as HastRoot, Element, ElementContent } from "hast";
import { unified } from "unified";
import remarkParse from "remark-parse";
import remarkGfm from "remark-gfm";
import remarkRehype from "remark-rehype";
import { visit, SKIP } from "unist-util-visit";
import type { Problems } from "./problems.js";
import { hyphenateTree } from "./hyphenate.js";
import { typesetTree } from "./typography.js";
import { breakLongAddresses } from "./break-points.js";
import { pictureShape, pictureSize } from "./picture-type.js";
import { inspectPicture } from "./picture-check.js";
import { scanNesting, treeTooDeep } from "./limits.js";
import { replaceHtml } from "./raw-html.js";
import { isInside } from "./source-file.js";

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

function pictureSizeOrNone(path: string) {
  try {
    return pictureSize(path);
  } catch {
    return undefined; // unreadable pictures are reported where they are resolved
  }
}
