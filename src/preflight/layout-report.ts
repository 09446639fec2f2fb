// The layout report: what an art director would send back before press, read
// from the finished PDF (poppler's words and their boxes, the pictures' boxes)
// and from the flaws the layout itself reported (widows, orphans, stranded
// headlines, clipped text). The fuzzer counts these; `digest preflight --layout`
// and `digest build` show them.
import { readFile } from "node:fs/promises";
import { PDFDocument } from "pdf-lib";
import { DigestError } from "../errors.js";
import { readPictures, readTrimBoxes, readWords, type Rect, type TextLine } from "./page-reader.js";
import { LAYOUT_LIMITS, type LayoutFault, type LayoutReport, type ReportedFlaw } from "./layout-summary.js";

export { LAYOUT_LIMITS, layoutChecks, summariseLayout, type LayoutFault, type LayoutReport, type ReportedFlaw } from "./layout-summary.js";

const PT_PER_MM = 72 / 25.4;

export interface LayoutReportOptions {
  /** The flaws the layout reported (`BuildReport.flaws`): included as faults. */
  flaws?: ReportedFlaw[];
  /** Pages designed as a whole, not judged as pages of text: the contents, and those printed only to fill the binding (the house page, notes pages). */
  fillerPages?: number[];
  /** The PDF already loaded (saves loading it again). */
  doc?: PDFDocument;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : NaN;
};
/** The most frequent value after rounding to `step`. */
const mode = (xs: number[], step: number) => {
  const counts = new Map<number, number>();
  for (const x of xs) {
    const k = Math.round(x / step) * step;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  let best = NaN;
  let n = 0;
  for (const [k, c] of counts) if (c > n || (c === n && k < best)) [best, n] = [k, c];
  return best;
};
const lineText = (line: TextLine) => line.words.map((w) => w.text).join(" ").replace(/\u00AD/g, "");
const firstWords = (text: string, n = 8) => text.split(/\s+/).slice(0, n).join(" ");
const height = (r: Rect) => r.bottom - r.top;

/** The parts of a page of running text: its furniture (running head, folio) and the text area between. */
interface TextPage {
  page: number;
  body: TextLine[];
  runningHead?: TextLine;
  folio: TextLine;
}

/** The folio: a line at the foot of the page that reads the page number. */
function findFolio(lines: TextLine[], page: number, trim: Rect): TextLine | undefined {
  const foot = trim.top + 0.8 * height(trim);
  return lines.filter((l) => l.top > foot && lineText(l).trim() === String(page)).sort((a, b) => b.bottom - a.bottom)[0];
}

/** The running head: the topmost line, in capitals, in the page's head margin, standing apart from the text. */
function findRunningHead(lines: TextLine[], trim: Rect): TextLine | undefined {
  const top = [...lines].sort((a, b) => a.top - b.top)[0];
  if (!top || top.top > trim.top + 0.15 * height(trim)) return undefined;
  const text = lineText(top);
  if (!/\p{Lu}/u.test(text) || text !== text.toUpperCase()) return undefined;
  const others = lines.filter((l) => l !== top && !(Math.abs(l.top - top.top) < 1));
  return others.every((l) => l.top >= top.bottom) ? top : undefined;
}

/** Reads a PDF and reports the faults of its layout. */
export async function layoutReport(pdfPath: string, options: LayoutReportOptions = {}): Promise<LayoutReport> {
  // poppler reads the words while pdf-lib reads the pictures.
  const reading = readWords(pdfPath);
  reading.catch(() => {});
  const doc = options.doc ?? (await loadDoc(pdfPath));
  const trims = readTrimBoxes(doc);
  // Reading a page's content for its pictures is the slow part: only for pages whose text alone does not settle the question.
  const pictures = new Map<number, Rect[]>();
  const picturesOn = (page: number) => pictures.get(page) ?? pictures.set(page, readPictures(doc, page - 1)).get(page)!;
  const words = await reading;
  const pageCount = trims.length;
  const faults: LayoutFault[] = [];
  const safe = LAYOUT_LIMITS.safeMarginMm * PT_PER_MM;

  const textPages: TextPage[] = [];
  for (let i = 0; i < pageCount; i++) {
    const page = i + 1;
    const trim = trims[i]!;
    const lines = (words[i] ?? []).filter((l) => lineText(l).trim());

    // Text outside the safe area. A word's box holds the font's whole ascent and descent,
    // more than its letters: it may reach a fifth of its height past the line vertically.
    for (const line of lines) {
      for (const w of line.words) {
        const slack = 0.2 * height(w);
        if (w.left < trim.left + safe - 0.5 || w.right > trim.right - safe + 0.5 || w.top < trim.top + safe - slack || w.bottom > trim.bottom - safe + slack) {
          const where = w.right <= trim.left || w.left >= trim.right || w.bottom <= trim.top || w.top >= trim.bottom ? "outside the trim" : w.left < trim.left || w.right > trim.right || w.top < trim.top || w.bottom > trim.bottom ? "cut by the trim" : `within ${LAYOUT_LIMITS.safeMarginMm} mm of the trim`;
          faults.push({ kind: "outside-safe-area", page, text: w.text.replace(/\u00AD/g, ""), detail: where });
        }
      }
    }

    const shown = () => picturesOn(page).some((p) => p.right > trim.left && p.left < trim.right && p.bottom > trim.top && p.top < trim.bottom);
    if (!lines.length && !shown()) {
      faults.push({ kind: "blank-page", page, detail: "no text and no picture" });
      continue;
    }
    const folio = findFolio(lines, page, trim);
    if (!folio || options.fillerPages?.includes(page)) continue;
    const rest = lines.filter((l) => l !== folio);
    const runningHead = findRunningHead(rest, trim);
    const body = rest.filter((l) => l !== runningHead);
    // Furniture and nothing else is a blank page too.
    if (!body.length && !shown()) {
      faults.push({ kind: "blank-page", page, detail: "only its running head and folio" });
      continue;
    }
    textPages.push({ page, folio, runningHead, body });
  }

  // Near-empty pages: the text area runs from under the running head to above the folio.
  const headBottoms = textPages.flatMap((t) => (t.runningHead ? [t.runningHead.bottom - trims[t.page - 1]!.top] : []));
  for (const [k, t] of textPages.entries()) {
    const trim = trims[t.page - 1]!;
    const top = t.runningHead ? t.runningHead.bottom : headBottoms.length ? trim.top + median(headBottoms) : Math.min(...t.body.map((l) => l.top), t.folio.top);
    const bottom = t.folio.top;
    const inArea = (r: Rect) => r.bottom > top && r.top < bottom;
    const fillOf = (content: Rect[]) => {
      const lowest = content.length ? Math.min(bottom, Math.max(...content.filter(inArea).map((r) => r.bottom), top)) : top;
      return bottom > top ? (lowest - top) / (bottom - top) : 1;
    };
    let fill = fillOf(t.body);
    if (fill < LAYOUT_LIMITS.nearEmptyFill) fill = fillOf([...t.body, ...picturesOn(t.page)]);
    // Only the last page of text may end where its text ends: nothing is left to move there.
    // The last page of any other section is judged like the rest (copyfitting mends it, src/layout/copyfit.ts).
    const lastOfText = k === textPages.length - 1;
    if (fill < LAYOUT_LIMITS.nearEmptyFill && !lastOfText) {
      faults.push({ kind: "near-empty-page", page: t.page, text: t.body.length ? firstWords(lineText(t.body[0]!)) : undefined, detail: `filled ${Math.round(fill * 100)} % of the text area` });
    }
  }

  // Loose lines in justified body text.
  const { justified, loose } = looseLines(textPages);
  faults.push(...loose);

  for (const flaw of options.flaws ?? []) {
    faults.push({ kind: flaw.kind, page: flaw.page, text: flaw.text, detail: flaw.detail, source: flaw.source });
  }
  faults.sort((a, b) => a.page - b.page);
  const counts: Record<string, number> = {};
  for (const f of faults) counts[f.kind] = (counts[f.kind] ?? 0) + 1;
  return {
    file: pdfPath,
    pages: pageCount,
    textPages: textPages.map((t) => t.page),
    justifiedLines: justified,
    looseLines: loose.length,
    loosePercent: justified ? (100 * loose.length) / justified : 0,
    faults,
    counts,
    fromBuild: options.flaws !== undefined,
  };
}

/**
 * Finds the justified lines of body text and the loose ones among them. Body text
 * is the most common line height; a line is justified when it ends flush with its
 * column's right edge (an edge at least three lines of the page share), which also
 * leaves out a paragraph's last line; the line height is the usual distance from
 * one line to the next in a column (the leading).
 */
function looseLines(pages: TextPage[]): { justified: number; loose: LayoutFault[] } {
  const candidates = pages.flatMap((t) => t.body.filter((l) => l.words.length >= 3));
  const bodyHeight = mode(candidates.map(height), 0.1);
  if (!Number.isFinite(bodyHeight)) return { justified: 0, loose: [] };
  const isBody = (l: TextLine) => Math.abs(height(l) - bodyHeight) <= 0.08 * bodyHeight;
  const pitches: number[] = [];
  for (const t of pages) {
    const body = t.body.filter(isBody).sort((a, b) => a.left - b.left || a.top - b.top);
    for (let i = 1; i < body.length; i++) {
      const [a, b] = [body[i - 1]!, body[i]!];
      const dy = b.top - a.top;
      if (Math.abs(b.left - a.left) < 20 && dy > 0.5 * bodyHeight && dy < 2 * bodyHeight) pitches.push(dy);
    }
  }
  // Chromium puts lines on whole device pixels (13 pt leading gives steps of 12.75 and 13.5 pt): the mean of the usual steps is the leading.
  const middle = median(pitches);
  const usual = pitches.filter((p) => Math.abs(p - middle) <= 0.08 * middle);
  const lineHeight = usual.length ? usual.reduce((a, b) => a + b, 0) / usual.length : 1.3 * bodyHeight;
  let justified = 0;
  const loose: LayoutFault[] = [];
  for (const t of pages) {
    const lines = t.body.filter(isBody);
    const rights = sharedEdges(lines.map((l) => l.right));
    const lefts = sharedEdges(lines.map((l) => l.left));
    const body = joinSplitLines(lines, rights, lefts, 3 * bodyHeight).filter((l) => l.words.length >= 3);
    for (const l of body) {
      if (!rights.some((x) => Math.abs(l.right - x) <= 0.75)) continue;
      justified++;
      let widest = 0;
      for (let i = 1; i < l.words.length; i++) widest = Math.max(widest, l.words[i]!.left - l.words[i - 1]!.right);
      if (widest > LAYOUT_LIMITS.looseGap * lineHeight) {
        loose.push({ kind: "loose-line", page: t.page, text: lineText(l), detail: `word gap ${widest.toFixed(1)} pt, line height ${lineHeight.toFixed(1)} pt` });
      }
    }
  }
  return { justified, loose };
}

/** Positions (to half a point) that at least three lines of a page share: the edges of its columns. */
function sharedEdges(xs: number[]): number[] {
  const counts = new Map<number, number>();
  for (const x of xs) counts.set(Math.round(x * 2) / 2, (counts.get(Math.round(x * 2) / 2) ?? 0) + 1);
  return [...counts].filter(([, n]) => n >= 3).map(([x]) => x);
}

/**
 * Joins the pieces of a line that poppler split at a wide word gap (the very gaps
 * looked for) back into one line: pieces on the same baseline, close together,
 * with no column edge between them.
 */
function joinSplitLines(lines: TextLine[], rights: number[], lefts: number[], reach: number): TextLine[] {
  // A column's right edge, or another column's left edge, between the two pieces: they are in different columns.
  const gutterBetween = (a: TextLine, b: TextLine) => rights.some((e) => e >= a.right - 0.75 && e < b.left) || lefts.some((e) => e > a.right && e <= b.left + 0.75);
  const sorted = [...lines].sort((a, b) => a.top - b.top || a.left - b.left);
  const out: TextLine[] = [];
  for (const line of sorted) {
    let prev: TextLine | undefined;
    for (let k = out.length - 1; k >= 0 && !prev; k--) {
      const p = out[k]!;
      if (Math.abs(p.top - line.top) <= 0.3 && Math.abs(p.bottom - line.bottom) <= 0.3 && line.left > p.right && line.left - p.right < reach) prev = p;
    }
    if (prev && !gutterBetween(prev, line)) {
      out[out.indexOf(prev)] = { left: prev.left, top: prev.top, right: line.right, bottom: Math.max(prev.bottom, line.bottom), words: [...prev.words, ...line.words] };
    } else {
      out.push(line);
    }
  }
  return out;
}

async function loadDoc(path: string): Promise<PDFDocument> {
  const bytes = await readFile(path).catch((e: NodeJS.ErrnoException) => {
    throw new DigestError(e.code === "ENOENT" ? `No such file: ${path}` : `Cannot read ${path}: ${e.message}`);
  });
  try {
    return await PDFDocument.load(bytes, { updateMetadata: false, ignoreEncryption: true });
  } catch (error) {
    throw new DigestError(`${path} is not a readable PDF: ${(error as Error).message.split("\n")[0]}`);
  }
}

