import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { writeWhole } from "../write-whole.js";
import { basename, extname, join, relative } from "node:path";
import type { Element, Root as HastRoot } from "hast";
import type { Image, Link, Paragraph, PhrasingContent, Root as MdastRoot, RootContent } from "mdast";
import mammoth from "mammoth";
import JSZip from "jszip";
import { toString } from "mdast-util-to-string";
import rehypeParse from "rehype-parse";
import rehypeRemark from "rehype-remark";
import remarkGfm from "remark-gfm";
import remarkStringify from "remark-stringify";
import { unified } from "unified";
import { visit } from "unist-util-visit";
import { stringify as yaml } from "yaml";
import { DigestError } from "../errors.js";
import { monthName, quarterMonths } from "./calendar.js";
import { readDateline } from "./dateline.js";

/** Something of the Word document that the article does not keep as it was. */
export interface ImportNote {
  message: string;
}

export interface ImportOptions {
  /** The Word document. */
  docx: string;
  /** The issue folder. */
  issueDir: string;
  /** Where in the issue: `months/2024-09` (or `2024-09`), or `spotlight`. */
  section: string;
}

/** What an import made. */
export interface ImportResult {
  /** The Markdown file written. */
  file: string;
  /** The pictures written into the issue's images/ folder. */
  pictures: string[];
  title: string;
  date?: string;
  place?: string;
  /** What could not be kept, in the words of an editor; Word's own messages (mammoth's) among them. */
  notes: ImportNote[];
}

/** Picture types digest prints, by the content type Word stores them with. */
const PRINTABLE: Record<string, string> = { "image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/webp": "webp", "image/svg+xml": "svg" };

/** The folder an article goes to, from `months/2024-09`, `2024-09` or `spotlight`; fails in the editor's words. */
export function sectionFolder(issueDir: string, section: string): { dir: string; month?: string } {
  const s = section.replace(/^\/+|\/+$/g, "");
  if (s === "spotlight") {
    if (existsSync(join(issueDir, "spotlight.md")) && !existsSync(join(issueDir, "spotlight"))) {
      throw new DigestError("Cannot add an article to the spotlight: it is one file, spotlight.md", "Make it a folder: move spotlight.md to spotlight/01-<name>.md, then import again.");
    }
    return { dir: join(issueDir, "spotlight") };
  }
  const m = /^(?:months\/)?(\d{4}-(0[1-9]|1[0-2]))$/.exec(s);
  if (!m) throw new DigestError(`Expected a month or the spotlight after the issue, not \`${section}\``, "e.g. 2024-q3/months/2024-09, 2024-q3/2024-09 or 2024-q3/spotlight");
  const allowed = quarterMonths(basename(issueDir));
  if (allowed && !allowed.includes(m[1]!)) {
    throw new DigestError(`Month \`${m[1]}\` is outside the issue's quarter (${allowed.join(", ")})`, "Import it into one of the issue's months, or into another issue.");
  }
  return { dir: join(issueDir, "months", m[1]!), month: m[1] };
}

/** The article's name in its file: plain letters, digits and hyphens, from its title. */
export function slugOfTitle(title: string): string {
  const words = title.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  let slug = "";
  for (const w of words.split("-")) {
    if (slug && slug.length + w.length + 1 > 60) break;
    slug = slug ? `${slug}-${w}` : w;
  }
  return slug || "article";
}

/** The next file name in a folder of numbered articles: `07-<slug>.md` after `06-…`, never an existing slug. */
function nextFileName(dir: string, slug: string): string {
  const names = existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith(".md")) : [];
  const numbers = names.map((n) => /^(\d+)[-_. ]/.exec(n)?.[1]).filter(Boolean).map(Number);
  const taken = new Set(names.map((n) => basename(n, ".md").replace(/^\d+[-_. ]+/, "")));
  let unique = slug;
  for (let k = 2; taken.has(unique); k++) unique = `${slug}-${k}`;
  return `${String(Math.max(0, ...numbers) + 1).padStart(2, "0")}-${unique}.md`;
}

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Parts of a Word file mammoth passes over without a word: charts, diagrams, embedded objects, shapes. */
async function unreadParts(bytes: Buffer): Promise<ImportNote[]> {
  const zip = await JSZip.loadAsync(bytes);
  const xml = (await zip.file("word/document.xml")?.async("string")) ?? "";
  const found = (re: RegExp) => (xml.match(re) ?? []).length;
  const notes: ImportNote[] = [];
  const charts = found(/<c:chart\b/g);
  const diagrams = found(/<dgm:relIds\b/g);
  const objects = found(/<o:OLEObject\b/g);
  const shapes = found(/<wps:wsp\b/g) - found(/<wps:txbx\b/g);
  if (charts) notes.push({ message: `Cannot keep ${count(charts, "chart")}: save ${charts === 1 ? "it" : "each"} as a picture (PNG) and add it to the article` });
  if (diagrams) notes.push({ message: `Cannot keep ${count(diagrams, "SmartArt diagram")}: save ${diagrams === 1 ? "it" : "each"} as a picture (PNG) and add it to the article` });
  if (objects) notes.push({ message: `Cannot keep ${count(objects, "embedded object")} (a spreadsheet or other file placed in the document)` });
  if (shapes > 0) notes.push({ message: `Cannot keep ${count(shapes, "drawn shape")} (lines, arrows, boxes without text)` });
  return notes;
}

/** Formatting in the document that Markdown has no way to keep, found in mammoth's reading of it. */
function lostFormatting(document: unknown): ImportNote[] {
  const found = { underline: 0, smallCaps: 0, allCaps: 0, highlight: 0, raised: 0, comments: 0, notes: 0 };
  const walk = (node: { type?: string; children?: unknown[]; isUnderline?: boolean; isSmallCaps?: boolean; isAllCaps?: boolean; highlight?: string | null; verticalAlignment?: string }) => {
    if (node.type === "run") {
      if (node.isUnderline) found.underline++;
      if (node.isSmallCaps) found.smallCaps++;
      if (node.isAllCaps) found.allCaps++;
      if (node.highlight) found.highlight++;
      if (node.verticalAlignment && node.verticalAlignment !== "baseline") found.raised++;
    }
    if (node.type === "commentReference") found.comments++;
    if (node.type === "noteReference") found.notes++;
    for (const child of node.children ?? []) walk(child as typeof node);
  };
  walk(document as Parameters<typeof walk>[0]);
  const notes: ImportNote[] = [];
  if (found.underline) notes.push({ message: `Underlined text (${count(found.underline, "place")}) is printed without the underline` });
  if (found.smallCaps) notes.push({ message: `Small capitals (${count(found.smallCaps, "place")}) are printed as ordinary letters` });
  if (found.allCaps) notes.push({ message: `Text formatted as all capitals (${count(found.allCaps, "place")}) is printed as typed` });
  if (found.highlight) notes.push({ message: `Highlighting (${count(found.highlight, "place")}) is left out` });
  if (found.raised) notes.push({ message: `Superscript and subscript (${count(found.raised, "place")}) are printed on the line` });
  if (found.comments) notes.push({ message: `${found.comments === 1 ? "A comment is" : `${found.comments} comments are`} left out` });
  if (found.notes) notes.push({ message: `Footnotes (${found.notes}) are kept as a numbered list at the end of the article, marked [1], [2]… in the text` });
  return notes;
}

/** What the HTML that mammoth wrote holds that Markdown's tables and links cannot. */
function checkHtml(tree: HastRoot, notes: ImportNote[]): void {
  let merged = 0;
  let blocks = 0;
  let nested = 0;
  visit(tree, "element", (node: Element) => {
    if (node.tagName === "td" || node.tagName === "th") {
      if (Number(node.properties.colSpan ?? 1) > 1 || Number(node.properties.rowSpan ?? 1) > 1) merged++;
      const kids = node.children.filter((c) => c.type === "element");
      if (kids.length > 1 || kids.some((c) => (c as Element).tagName !== "p")) blocks++;
      if (kids.some((c) => (c as Element).tagName === "table")) nested++;
    }
  });
  if (merged) notes.push({ message: `Merged table cells (${count(merged, "cell")}) are split: check the table's columns` });
  if (blocks) notes.push({ message: `Table cells with several paragraphs or a list (${count(blocks, "cell")}) are joined into one line each` });
  if (nested) notes.push({ message: "A table within a table is flattened" });
}

/** A paragraph that holds a picture and text becomes paragraphs of text with the picture between them, on its own line (a figure). */
function pictureParagraphs(paragraph: Paragraph): Paragraph[] {
  const out: Paragraph[] = [];
  let run: PhrasingContent[] = [];
  const flush = () => {
    // Spaces left at the edges of a run by the picture taken out of it.
    const trimmed = run.filter((n, i) => !(n.type === "text" && !n.value.trim() && (i === 0 || i === run.length - 1)));
    if (trimmed.length) out.push({ type: "paragraph", children: trimmed });
    run = [];
  };
  for (const child of paragraph.children) {
    if (child.type === "image") {
      flush();
      out.push({ type: "paragraph", children: [child] });
    } else run.push(child);
  }
  flush();
  return out;
}

/**
 * Turns a Word document into the next article of a month or of the spotlight:
 * mammoth reads the .docx into HTML, rehype-remark turns that into Markdown
 * (with GitHub's tables), and the title and dateline go into the front matter.
 * Pictures are saved in the issue's images/ folder, their alt text as captions.
 * Whatever cannot be kept is said in the notes.
 */
export async function importDocx(options: ImportOptions): Promise<ImportResult> {
  const { issueDir } = options;
  const shown = relative(process.cwd(), options.docx) || options.docx;
  if (!existsSync(options.docx)) throw new DigestError(`No such file: ${shown}`);
  if (statSync(options.docx).isDirectory()) throw new DigestError(`${shown} is a folder, not a Word document`);
  const { dir, month } = sectionFolder(issueDir, options.section);
  const bytes = readFileSync(options.docx);
  if (bytes.subarray(0, 2).toString("latin1") !== "PK") {
    throw new DigestError(`Cannot read ${shown}: it is not a Word document (.docx)`, extname(options.docx).toLowerCase() === ".doc" ? "Save it from Word as .docx (Word Document), then import that." : "Save it as .docx, then import that.");
  }

  const notes: ImportNote[] = await unreadParts(bytes).catch(() => {
    throw new DigestError(`Cannot read ${shown}: it is not a Word document (.docx)`, "Save it as .docx, then import that.");
  });
  const pictures: { data: Buffer; ext: string; alt?: string }[] = [];
  let dropped = 0;
  const converted = await mammoth
    .convertToHtml(
      { buffer: bytes },
      {
        styleMap: ["p[style-name='Title'] => h1:fresh"],
        transformDocument: (document: unknown) => {
          notes.push(...lostFormatting(document));
          return document;
        },
        convertImage: mammoth.images.imgElement(async (image) => {
          const ext = PRINTABLE[image.contentType];
          if (!ext) {
            dropped++;
            notes.push({ message: `Cannot keep a picture stored as ${image.contentType}: save it as PNG or JPEG and add it to the article` });
            return { src: "digest-dropped:" };
          }
          pictures.push({ data: await image.readAsBuffer(), ext, alt: (image as unknown as { altText?: string }).altText });
          return { src: `digest-picture:${pictures.length - 1}` };
        }),
      },
    )
    .catch((error: Error) => {
      throw new DigestError(`Cannot read ${shown}: ${error.message.split("\n")[0]}`, "Open it in Word and save it again as .docx.");
    });
  for (const m of converted.messages) notes.push({ message: `Word: ${m.message}` });

  // HTML → Markdown, by the unified collective's tools.
  const hast = unified().use(rehypeParse, { fragment: true }).parse(converted.value) as HastRoot;
  checkHtml(hast, notes);
  const mdast = (await unified().use(rehypeRemark).run(hast as never)) as MdastRoot;

  // The title: the first heading.
  let title: string | undefined;
  const first = mdast.children.findIndex((n) => n.type === "heading");
  const heading = first >= 0;
  if (first >= 0) {
    title = toString(mdast.children[first]!).trim() || undefined;
    mdast.children.splice(first, 1);
  }
  if (!title) {
    title = basename(options.docx, extname(options.docx)).replace(/[-_]+/g, " ").trim();
    notes.push({ message: `The document has no heading: the title is its file name, “${title}”; change it in the front matter` });
  }
  // Headings within the article are its subheads.
  visit(mdast, "heading", (h) => {
    if (h.depth < 2) h.depth = 2;
  });

  // The dateline: the first paragraph, when it is one.
  let date: string | undefined;
  let place: string | undefined;
  const lead = mdast.children.findIndex((n) => n.type === "paragraph");
  if (lead >= 0 && lead === mdast.children.findIndex((n) => n.type !== "heading")) {
    const paragraph = mdast.children[lead] as Paragraph;
    const dateline = paragraph.children.some((c) => c.type === "image") ? undefined : readDateline(toString(paragraph));
    if (dateline?.rest) {
      // Run into the first sentence: the dateline's words go, the sentence stays (as plain text).
      paragraph.children = [{ type: "text", value: dateline.rest }];
    } else if (dateline) mdast.children.splice(lead, 1);
    date = dateline?.date;
    place = dateline?.place;
  }
  if (date && month && !date.split("/").every((d) => d.startsWith(month))) {
    throw new DigestError(
      `Expected a date in ${monthName(month)} (the month folder \`${month}\`), not ${date} (the document's dateline)`,
      `Import it into the month of its date, or correct the dateline in the document.`,
    );
  }

  // Links: to the web, e-mail and phone only; Word's links within the document (footnote marks, bookmarks) become plain text.
  let inner = 0;
  visit(mdast, "link", (link: Link, index, parent) => {
    if (!parent || index === undefined) return;
    if (/^(https?|mailto|tel):/i.test(link.url)) return;
    if (link.url && !link.url.startsWith("#")) inner++;
    const text = toString(link);
    // A footnote's way back to its mark ("↑") has no use in print.
    parent.children.splice(index, 1, ...(text === "↑" ? [] : link.children));
    return index;
  });
  if (inner) notes.push({ message: `${count(inner, "link")} to files or places outside the web ${inner === 1 ? "is" : "are"} printed as plain text` });

  // Pictures: each on its own line (a figure, its alt text the caption), saved in images/.
  mdast.children = mdast.children.flatMap((n): RootContent[] => (n.type === "paragraph" && n.children.some((c) => c.type === "image") && n.children.length > 1 ? pictureParagraphs(n) : [n]));
  const slug = slugOfTitle(title);
  const fileName = nextFileName(dir, slug);
  const file = join(dir, fileName);
  const imagesDir = join(issueDir, "images");
  const written: string[] = [];
  const paths = pictures.map((p, i) => {
    let name = `${slug}-${i + 1}.${p.ext}`;
    for (let k = 2; existsSync(join(imagesDir, name)) || written.includes(join(imagesDir, name)); k++) name = `${slug}-${i + 1}-${k}.${p.ext}`;
    written.push(join(imagesDir, name));
    return join(imagesDir, name);
  });
  let captionless = 0;
  visit(mdast, "image", (img: Image, index, parent) => {
    if (img.url === "digest-dropped:" && parent && index !== undefined) {
      parent.children.splice(index, 1);
      return index;
    }
    const m = /^digest-picture:(\d+)$/.exec(img.url);
    if (!m) return;
    const picture = pictures[Number(m[1])]!;
    img.url = relative(dir, paths[Number(m[1])]!).split("\\").join("/");
    img.alt = picture.alt?.trim() || img.alt || "";
    if (!img.alt) captionless++;
  });
  // A paragraph left empty by a picture that could not be kept.
  mdast.children = mdast.children.filter((n) => !(n.type === "paragraph" && !n.children.length));
  if (captionless) notes.push({ message: `${captionless === 1 ? "A picture has" : `${captionless} pictures have`} no alt text in Word, so no caption: add one in the brackets of ![…]` });
  if (dropped && !pictures.length) notes.push({ message: "The article has no pictures left" });
  // A document with no words (its text in text boxes or shapes, which Word keeps apart, or an empty file) would import as a title alone.
  const words = mdast.children.some((n) => n.type !== "image" && toString(n).trim() !== "");
  if (!words && !pictures.length) {
    throw new DigestError(
      `Cannot import ${shown}: it has no text${heading ? " under its heading" : ""} and no pictures`,
      "Check that it is the right document. Text in text boxes or shapes is not read: move it into the document's body, then import again.",
    );
  }
  if (!words) notes.push({ message: "The document has no text, only pictures: the article is its title and pictures; write its text in the Markdown file" });

  const body = String(
    unified()
      .use(remarkGfm)
      .use(remarkStringify, { bullet: "-", emphasis: "*", strong: "*", listItemIndent: "one", rule: "-", fences: true })
      .stringify(mdast),
  );
  const front = yaml({ title, ...(date ? { date } : {}), ...(place ? { place } : {}) }, { lineWidth: 0 });
  for (const [i, p] of pictures.entries()) writeWhole(paths[i]!, p.data);
  writeWhole(file, `---\n${front}---\n\n${body.trim()}\n`);
  return { file, pictures: paths, title, date, place, notes };
}
