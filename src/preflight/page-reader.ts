// What a PDF's pages show, read back as a printer's tools read it: the words
// with their boxes (poppler's `pdftotext -bbox-layout`), the pictures with the
// boxes they are painted in (the page's content stream), and the page boxes.
// The layout report judges the pages from this.
import { constants, inflateSync } from "node:zlib";
import { PDFArray, PDFDict, PDFName, PDFNumber, PDFRawStream, PDFRef, PDFStream, decodePDFRawStream, type PDFDocument, type PDFObject } from "pdf-lib";
import { runPoppler } from "./poppler.js";
import { parseBboxLayout, type Rect, type TextLine } from "./text-layer.js";

export { parseBboxLayout, type Rect, type TextLine } from "./text-layer.js";

/** One page's content. */
export interface PageContent {
  /** 1-based. */
  page: number;
  trim: Rect;
  lines: TextLine[];
  /** The boxes pictures are painted in, clipped to nothing: a picture running into the bleed reaches past the trim. */
  pictures: Rect[];
}

/** Runs poppler's pdftotext for the words and their boxes on every page. */
export async function readWords(pdfPath: string): Promise<TextLine[][]> {
  return parseBboxLayout(await runPoppler("pdftotext", ["-bbox-layout", "-enc", "UTF-8", pdfPath, "-"], pdfPath, "the layout report"));
}

type Matrix = [number, number, number, number, number, number];
const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];
/** m × n, as PDF concatenates matrices (`cm` puts the new matrix first). */
const multiply = (m: Matrix, n: Matrix): Matrix => [
  m[0] * n[0] + m[1] * n[2],
  m[0] * n[1] + m[1] * n[3],
  m[2] * n[0] + m[3] * n[2],
  m[2] * n[1] + m[3] * n[3],
  m[4] * n[0] + m[5] * n[2] + n[4],
  m[4] * n[1] + m[5] * n[3] + n[5],
];

function streamText(stream: PDFObject | undefined): string {
  if (!(stream instanceof PDFRawStream)) return "";
  const filter = stream.dict.lookup(PDFName.of("Filter"));
  const filters = filter instanceof PDFArray ? filter.asArray() : filter ? [filter] : [];
  try {
    const bytes =
      filters.every((f) => f === PDFName.of("FlateDecode")) && !stream.dict.has(PDFName.of("DecodeParms"))
        ? filters.reduce<Uint8Array>((b) => inflateSync(b, { finishFlush: constants.Z_SYNC_FLUSH }), stream.contents)
        : decodePDFRawStream(stream).decode();
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
  } catch {
    return "";
  }
}

/**
 * The operators of a content stream with their operands. Strings, arrays and
 * dictionaries are skipped as whole operands (only numbers and names matter here),
 * and inline image data is jumped over.
 */
function* operators(text: string): Generator<{ op: string; args: string[] }> {
  let args: string[] = [];
  let i = 0;
  const n = text.length;
  const isSpace = (c: string) => c === " " || c === "\n" || c === "\r" || c === "\t" || c === "\f" || c === "\0";
  const isDelimiter = (c: string) => "()<>[]{}/%".includes(c);
  while (i < n) {
    const c = text[i]!;
    if (isSpace(c)) {
      i++;
    } else if (c === "%") {
      while (i < n && text[i] !== "\n" && text[i] !== "\r") i++;
    } else if (c === "(") {
      let depth = 0;
      for (; i < n; i++) {
        const ch = text[i];
        if (ch === "\\") i++;
        else if (ch === "(") depth++;
        else if (ch === ")" && --depth === 0) break;
      }
      i++;
      args.push("(string)");
    } else if (c === "<" && text[i + 1] === "<") {
      let depth = 0;
      for (; i < n; i++) {
        if (text[i] === "<" && text[i + 1] === "<") (depth++, i++);
        else if (text[i] === ">" && text[i + 1] === ">" && (i++, --depth === 0)) break;
      }
      i++;
      args.push("(dict)");
    } else if (c === "<") {
      i = text.indexOf(">", i) + 1 || n;
      args.push("(string)");
    } else if (c === "[" || c === "]" || c === "{" || c === "}") {
      i++; // array contents stay on the stack: TJ's and d's operands are never read here
    } else if (c === "/") {
      let j = i + 1;
      while (j < n && !isSpace(text[j]!) && !isDelimiter(text[j]!)) j++;
      args.push(text.slice(i, j));
      i = j;
    } else {
      let j = i;
      while (j < n && !isSpace(text[j]!) && !isDelimiter(text[j]!)) j++;
      if (j === i) j++;
      const token = text.slice(i, j);
      i = j;
      if (/^[-+]?(\d+\.?\d*|\.\d+)$/.test(token)) {
        args.push(token);
        continue;
      }
      yield { op: token, args };
      args = [];
      if (token === "ID") {
        // Inline image data runs to the first "EI" that stands alone.
        const end = /\sEI(?=[\s]|$)/g;
        end.lastIndex = i;
        const m = end.exec(text);
        i = m ? m.index + m[0].length : n;
        yield { op: "EI", args: [] };
      }
    }
  }
}

/** The boxes, in default user space, of the pictures a content stream paints (through forms too). */
function picturesIn(doc: PDFDocument, content: string, resources: PDFDict | undefined, start: Matrix, out: Matrix[], depth: number): void {
  let ctm = start;
  const stack: Matrix[] = [];
  for (const { op, args } of operators(content)) {
    if (op === "q") stack.push(ctm);
    else if (op === "Q") ctm = stack.pop() ?? start;
    else if (op === "cm" && args.length >= 6) {
      const m = args.slice(-6).map(Number) as Matrix;
      ctm = multiply(m, ctm);
    } else if (op === "EI") out.push(ctm);
    else if (op === "Do" && args.length) {
      const xobjects = resources?.lookupMaybe(PDFName.of("XObject"), PDFDict);
      const x = xobjects?.lookup(PDFName.of(args[args.length - 1]!.slice(1)));
      if (!(x instanceof PDFStream)) continue;
      const subtype = x.dict.lookup(PDFName.of("Subtype"));
      if (subtype === PDFName.of("Image")) out.push(ctm);
      else if (subtype === PDFName.of("Form") && depth < 8) {
        const matrix = x.dict.lookupMaybe(PDFName.of("Matrix"), PDFArray)?.asArray().map((v) => (v instanceof PDFNumber ? v.asNumber() : 0));
        const formMatrix = matrix?.length === 6 ? (matrix as Matrix) : IDENTITY;
        picturesIn(doc, streamText(x), x.dict.lookupMaybe(PDFName.of("Resources"), PDFDict) ?? resources, multiply(formMatrix, ctm), out, depth + 1);
      }
    }
  }
}

/** Whether any tiling pattern of these resources holds a picture (a CSS background image may be painted as one). */
function patternHasPicture(doc: PDFDocument, resources: PDFDict | undefined): boolean {
  const patterns = resources?.lookupMaybe(PDFName.of("Pattern"), PDFDict);
  for (const [, ref] of patterns?.entries() ?? []) {
    const p = doc.context.lookup(ref);
    if (!(p instanceof PDFStream)) continue;
    const found: Matrix[] = [];
    picturesIn(doc, streamText(p), p.dict.lookupMaybe(PDFName.of("Resources"), PDFDict), IDENTITY, found, 1);
    if (found.length) return true;
  }
  return false;
}

/** Where the pictures of a page (0-based) are painted, in poppler's coordinates (top-left of the MediaBox). */
export function readPictures(doc: PDFDocument, index: number): Rect[] {
  const page = doc.getPage(index);
  const media = page.getMediaBox();
  const resources = page.node.Resources();
  const contents = page.node.Contents();
  const text = (contents instanceof PDFArray ? contents.asArray() : contents ? [contents] : [])
    .map((ref) => streamText(ref instanceof PDFRef ? doc.context.lookup(ref) : ref))
    .join("\n");
  const matrices: Matrix[] = [];
  picturesIn(doc, text, resources, IDENTITY, matrices, 0);
  const rects = matrices.map((m) => {
    const corners = [[0, 0], [1, 0], [0, 1], [1, 1]].map(([x, y]) => [m[0] * x! + m[2] * y! + m[4], m[1] * x! + m[3] * y! + m[5]] as const);
    const xs = corners.map((c) => c[0] - media.x);
    const ys = corners.map((c) => media.y + media.height - c[1]);
    return { left: Math.min(...xs), right: Math.max(...xs), top: Math.min(...ys), bottom: Math.max(...ys) };
  });
  // A picture in a pattern has no box of its own here: count it as covering the page.
  if (!rects.length && patternHasPicture(doc, resources)) rects.push({ left: 0, top: 0, right: media.width, bottom: media.height });
  return rects.filter((r) => r.right - r.left > 0.5 && r.bottom - r.top > 0.5);
}

/** Each page's TrimBox (its MediaBox when it has none), in poppler's coordinates. */
export function readTrimBoxes(doc: PDFDocument): Rect[] {
  return doc.getPages().map((page) => {
    const media = page.getMediaBox();
    const trim = page.getTrimBox();
    return { left: trim.x - media.x, right: trim.x + trim.width - media.x, top: media.y + media.height - (trim.y + trim.height), bottom: media.y + media.height - trim.y };
  });
}

/** The first page of each top-level entry of the PDF's outline (its sections), 1-based; empty without an outline. */
export function readSectionStarts(doc: PDFDocument): number[] {
  const outlines = doc.catalog.lookupMaybe(PDFName.of("Outlines"), PDFDict);
  const pageRefs = doc.getPages().map((p) => p.ref);
  const starts: number[] = [];
  let item = outlines?.lookupMaybe(PDFName.of("First"), PDFDict);
  for (let guard = 0; item && guard < 10_000; guard++) {
    let dest = item.lookup(PDFName.of("Dest"));
    const action = item.lookupMaybe(PDFName.of("A"), PDFDict);
    if (!dest && action) dest = action.lookup(PDFName.of("D"));
    const target = dest instanceof PDFArray ? dest.get(0) : undefined;
    const index = target instanceof PDFRef ? pageRefs.findIndex((r) => r === target || (r.objectNumber === target.objectNumber && r.generationNumber === target.generationNumber)) : -1;
    if (index >= 0) starts.push(index + 1);
    item = item.lookupMaybe(PDFName.of("Next"), PDFDict);
  }
  return [...new Set(starts)].sort((a, b) => a - b);
}
