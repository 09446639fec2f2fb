import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { DigestError } from "../errors.js";
import { pageBoxes, renderPages, type PageBoxes } from "../preflight/poppler.js";
import { crop, drawLabel, fillRect, filled, labelWidth, paste, readPpm, writePng, type Raster } from "./raster.js";

/** Which pages to proof: a range, both ends included. */
export interface PageRange {
  first: number;
  last: number;
}

export interface ProofOptions {
  /** Where the pictures go (made if missing; earlier spreads there are replaced). */
  outDir: string;
  /** The resolution of the spreads. Default 100. */
  dpi?: number;
  /** Only the spreads that hold these pages (and the contact sheet of those). */
  pages?: PageRange;
  /** The height of a page on the contact sheet, in pixels. Default 240. */
  sheetPageHeight?: number;
  /**
   * The sections (from its plan, src/layout/page-count.ts), marked on the contact sheet: a band of the
   * section's colour under each of its pages, and on its first page its name and `note` (its pages, or how far
   * over or under its share of the page budget it runs). Left out when they do not fit the PDF's pages.
   */
  sections?: SectionMark[];
}

/** A section's pages, as the contact sheet marks them. */
export interface SectionMark {
  name: string;
  first: number;
  last: number;
  note?: string;
  /** Marked in red: it runs over its share of the page budget. */
  over?: boolean;
}

/** One spread written: its pages and its picture. */
export interface Spread {
  pages: number[];
  file: string;
}

export interface ProofReport {
  pdf: string;
  pageCount: number;
  spreads: Spread[];
  contactSheet: string;
}

/**
 * The spreads as a reader opens the issue: the cover alone (a right-hand page), then
 * 2–3, 4–5, …, and the back cover alone when the page count is even.
 */
export function spreadsOf(pageCount: number): number[][] {
  const spreads: number[][] = pageCount ? [[1]] : [];
  for (let left = 2; left <= pageCount; left += 2) spreads.push(left + 1 <= pageCount ? [left, left + 1] : [left]);
  return spreads;
}

const BACKDROP = [150, 150, 150] as const;
const INK = [30, 30, 30] as const;

/** The bands' colours, section after section; red for a section over its share of the page budget. */
const BANDS = [
  [29, 92, 150],
  [184, 137, 45],
] as const;
const OVER = [200, 40, 40] as const;

/**
 * A spread as one picture: the pages side by side on a grey backdrop, the cover on the right, the back cover on
 * the left, folios below; with `marks`, a band of its section's colour under each page and, on a section's first
 * page, its name and note under the folio.
 */
function composeSpread(pages: { number: number; picture: Raster }[], pageWidth: number, pageHeight: number, margin: number, labelScale: number, marks?: SectionMark[]): Raster {
  const half = Math.round(margin / 2);
  const band = marks ? Math.max(3, labelScale * 2) : 0;
  const markLine = marks ? 2 * labelScale * 7 + half : 0;
  const sheet = filled(2 * pageWidth + 2 * margin, margin + pageHeight + 2 * half + labelScale * 7 + band + markLine, BACKDROP);
  for (const { number, picture } of pages) {
    // Odd pages are right-hand pages.
    const x = margin + (number % 2 === 1 ? pageWidth : 0);
    paste(sheet, picture, x, margin);
    const label = String(number);
    drawLabel(sheet, label, x + Math.round((pageWidth - labelWidth(label, labelScale)) / 2), margin + pageHeight + half + band, labelScale, INK);
    const i = marks?.findIndex((m) => number >= m.first && number <= m.last) ?? -1;
    if (i < 0) continue;
    const mark = marks![i]!;
    const colour = mark.over ? OVER : BANDS[i % BANDS.length]!;
    fillRect(sheet, { x, y: margin + pageHeight + 1, width: pageWidth, height: band }, colour);
    if (number !== mark.first) continue;
    // The name as far as it fits the page's width, then the note on a line of its own.
    const fit = (text: string) => text.slice(0, Math.max(1, Math.floor(pageWidth / (6 * labelScale))));
    const y = margin + pageHeight + half + band + labelScale * 7 + Math.round(half / 2);
    drawLabel(sheet, fit(mark.name), x, y, labelScale, colour);
    if (mark.note) drawLabel(sheet, fit(mark.note), x, y + labelScale * 8, labelScale, colour);
  }
  return sheet;
}

const pixelBox = (b: PageBoxes, scale: number) => ({
  x: Math.round(b.trim.x * scale),
  y: Math.round(b.trim.y * scale),
  width: Math.round(b.trim.width * scale),
  height: Math.round(b.trim.height * scale),
});

/**
 * Writes an issue's PDF as spreads, one PNG each, cut at the trim as the reader sees
 * them, and a contact sheet of all of them in one picture.
 */
export async function proofPdf(pdfPath: string, options: ProofOptions): Promise<ProofReport> {
  const pdf = resolve(pdfPath);
  const dpi = options.dpi ?? 100;
  const boxes = await pageBoxes(pdf);
  if (!boxes.length) throw new DigestError(`${pdfPath} has no pages`);
  const range = options.pages ?? { first: 1, last: boxes.length };
  if (range.first < 1 || range.last < range.first || range.first > boxes.length) {
    const asked = range.last >= Number.MAX_SAFE_INTEGER ? `${range.first}–` : `${range.first}–${range.last}`;
    throw new DigestError(`Cannot proof pages ${asked}: the PDF has ${boxes.length} pages`, `Give a range within 1–${boxes.length}, e.g. --pages 1-${Math.min(4, boxes.length)}`);
  }
  const spreads = spreadsOf(boxes.length).filter((s) => s.some((p) => p >= range.first && p <= Math.min(range.last, boxes.length)));
  const first = spreads[0]![0]!;
  const last = spreads.at(-1)!.at(-1)!;
  const outDir = resolve(options.outDir);
  mkdirSync(outDir, { recursive: true });
  // Spreads of an earlier proof would mix with these: they go.
  for (const name of readdirSync(outDir)) if (/^spread-[\d-]+\.png$|^contact-sheet\.png$/.test(name)) rmSync(join(outDir, name));

  const work = mkdtempSync(join(tmpdir(), "digest-proof-"));
  try {
    const digits = Math.max(2, String(boxes.length).length);
    const pad = (n: number) => String(n).padStart(digits, "0");
    const scale = dpi / 72;
    const renders = await renderPages(pdf, work, dpi, first, last, "p");
    const size = pixelBox(boxes[first - 1]!, scale);
    const written: Spread[] = [];
    for (const pages of spreads) {
      const pictures = pages.map((n) => ({ number: n, picture: crop(readPpm(renders.get(n)!), pixelBox(boxes[n - 1]!, scale)) }));
      for (const n of pages) rmSync(renders.get(n)!);
      const picture = composeSpread(pictures, size.width, size.height, Math.round(size.width * 0.04), Math.max(2, Math.round(scale * 2)));
      const file = join(outDir, `spread-${pages.map(pad).join("-")}.png`);
      writePng(file, picture);
      written.push({ pages, file });
    }

    // The contact sheet: every spread small, in reading order, rows of a few spreads.
    const sheetHeight = options.sheetPageHeight ?? 240;
    const sheetDpi = (sheetHeight * 72) / boxes[first - 1]!.trim.height;
    const small = await renderPages(pdf, work, Number(sheetDpi.toFixed(4)), first, last, "s");
    const sScale = sheetDpi / 72;
    const cell = pixelBox(boxes[first - 1]!, sScale);
    const margin = Math.max(6, Math.round(cell.width * 0.06));
    // Sections are marked only when they fit these pages (a plan of other sources than the PDF's would not).
    const marks = options.sections?.length && options.sections.every((m) => m.first >= 1 && m.last <= boxes.length && m.first <= m.last) ? options.sections : undefined;
    const cells = spreads.map((pages) =>
      composeSpread(pages.map((n) => ({ number: n, picture: crop(readPpm(small.get(n)!), pixelBox(boxes[n - 1]!, sScale)) })), cell.width, cell.height, margin, 2, marks),
    );
    const columns = Math.min(cells.length, Math.max(2, Math.round(Math.sqrt(cells.length * 1.2))));
    const rows = Math.ceil(cells.length / columns);
    const cw = cells[0]!.width;
    const ch = cells[0]!.height;
    const sheet = filled(columns * cw, rows * ch, BACKDROP);
    cells.forEach((c, i) => paste(sheet, c, (i % columns) * cw, Math.floor(i / columns) * ch));
    const contactSheet = join(outDir, "contact-sheet.png");
    writePng(contactSheet, sheet);
    return { pdf, pageCount: boxes.length, spreads: written, contactSheet };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
