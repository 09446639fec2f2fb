import { existsSync, realpathSync, statSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve } from "node:path";
import type { Root as MdastRoot, RootContent as MdastContent } from "mdast";
import type { Root as HastRoot, Element, ElementContent } from "hast";
import type { Node } from "unist";
import { unified } from "unified";
import remarkParse from "remark-parse";
import remarkGfm from "remark-gfm";
import remarkRehype from "remark-rehype";
import { visit } from "unist-util-visit";
import type { Problems } from "./problems.js";
import { hyphenateTree } from "./hyphenate.js";
import { typesetTree } from "./typography.js";
import { breakLongAddresses } from "./break-points.js";
import { pictureShape, pictureSize, pictureType } from "./picture-type.js";

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
const toHastProcessor = unified().use(remarkRehype, { allowDangerousHtml: false });

/** Parses a Markdown body (front matter already blanked) into mdast, checking what editors can get wrong. */
export function parseMarkdown(body: string, ctx: MarkdownContext): MdastRoot {
  const tree = parser.runSync(parser.parse(body)) as MdastRoot;
  const html: Node[] = [];
  visit(tree, (node) => {
    if (node.type === "html") html.push(node);
    if (node.type === "image") {
      const path = resolvePicture(node.url, ctx, node.position);
      node.url = path ?? "";
    }
  });
  // Once a file, at the first place: a table full of <br> should not bury the other messages.
  if (html.length) {
    ctx.problems.warn(
      ctx.file,
      html[0]!.position,
      `Raw HTML is not rendered${html.length > 1 ? ` (here and in ${html.length - 1} more place${html.length > 2 ? "s" : ""})` : ""}`,
      "raw-html",
      "Write it in Markdown instead (digest prints content, it does not run code)",
    );
  }
  return tree;
}

/** Turns mdast (or a run of its top-level nodes) into hast, with figures, soft hyphens and break points in long addresses. */
export function toHast(tree: MdastRoot | MdastContent[], ctx: MarkdownContext): HastRoot {
  const root: MdastRoot = Array.isArray(tree) ? { type: "root", children: tree } : tree;
  const hast = toHastProcessor.runSync(root as never) as HastRoot;
  makeFigures(hast);
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
  const path = resolve(dirname(ctx.path), decodeURI(url));
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
  let kind: string | undefined;
  try {
    kind = pictureType(path);
  } catch {
    ctx.problems.error(ctx.file, place, `Cannot read the picture \`${url}\``, "unreadable-picture", "Check the file's permissions");
    return undefined;
  }
  if (!kind) {
    ctx.problems.error(ctx.file, place, `Cannot print \`${url}\`: it is not a PNG, JPEG, GIF, WebP or SVG picture`, "unreadable-picture", "Save it in one of those formats");
    return undefined;
  }
  return path;
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
