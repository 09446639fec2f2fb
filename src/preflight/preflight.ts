// The printer's preflight: a PDF read back as a printer's tools read it (poppler's
// pdffonts and pdfimages, pdf-lib for the boxes and content streams, Ghostscript
// for the ink), one row a check (page-checks.ts, ink-checks.ts).
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { EncryptedPDFError, PDFDocument, type PDFObject } from "pdf-lib";
import { DigestError } from "../errors.js";
import { runPoppler } from "./poppler.js";
import { streamText } from "../press/content-stream.js";
import { inkCoverage } from "./ink-coverage.js";
import { MarksReader, type PageMarks } from "./page-marks.js";
import type { PreflightOptions, PreflightReport } from "./report.js";
import { layoutChecks, layoutReport } from "./layout-report.js";
import { Walker, RGB_IMAGE } from "./colour-walker.js";
import { checkBoxes, checkBleed, checkColour, checkFonts, checkImages, checkPageCount, checkPdfx, checkTrimSize, claimsPdfx, geometry, type FontRow, type ImageRow } from "./page-checks.js";
import { checkAnnotations, checkHairlines, checkInkCoverage, checkSmallText, findAnnotations } from "./ink-checks.js";

export type { CheckStatus, PreflightCheck, PreflightOptions, PreflightReport } from "./report.js";
export { formatPreflight } from "./report.js";

const poppler = (tool: string, args: string[], pdf: string) => runPoppler(tool, args, pdf, "preflight");

async function loadPdf(path: string, shown: string): Promise<PDFDocument> {
  const bytes = await readFile(path).catch((e: NodeJS.ErrnoException) => {
    throw new DigestError(e.code === "ENOENT" ? `No such file: ${shown}` : e.code === "EISDIR" ? `${shown} is a folder, not a PDF` : `Cannot read ${shown}: ${e.message}`);
  });
  // The spec lets the header start anywhere in the first 1024 bytes.
  if (!bytes.subarray(0, 1024).includes("%PDF-")) throw new DigestError(`${shown} is not a PDF`);
  try {
    return await PDFDocument.load(bytes, { updateMetadata: false });
  } catch (error) {
    if (error instanceof EncryptedPDFError) throw new DigestError(`${shown} is encrypted: printers need an unencrypted PDF`);
    throw new DigestError(`${shown} is not a readable PDF: ${(error as Error).message.split("\n")[0]}`);
  }
}

/** A poppler table's rows as tokens. Columns are counted from the right, where a long name or a type with spaces ("CID TrueType") cannot shift them. */
const table = (out: string, columns: number) => out.split("\n").slice(2).map((l) => l.trim().split(/\s+/)).filter((t) => t.length >= columns);
/** `pdffonts`: name, type, encoding, emb, sub, uni, object ID ("5 0", or "[none]" for a direct object: padded to two tokens). */
const parseFonts = (out: string): FontRow[] =>
  table(out, 7).map((r) => (r.at(-1) === "[none]" ? [...r, ""] : r))
    .map((t) => ({ name: t[0]!, type: t.slice(1, -6).join(" "), embedded: t.at(-5) === "yes", id: t.slice(-2).join(" ") }));
/** `pdfimages -list` (an inline image's object ID is one token, "[inline]"); the effective resolution is the lower of x-ppi and y-ppi. */
const parseImages = (out: string): ImageRow[] =>
  table(out, 15).map((t) => ({ page: Number(t[0]), type: t[2]!, colour: t[5]!, ppi: Math.min(Number(t.at(-4)), Number(t.at(-3))) }));

/** Checks a PDF the way a printer's preflight does: fonts, page boxes, trim, bleed, page count, image resolution, colour, PDF/X, ink coverage, small text, hairlines, annotations; with `layout`, the layout report too. */
export async function preflight(pdfPath: string, options: PreflightOptions = {}): Promise<PreflightReport> {
  const path = resolve(pdfPath);
  // pdffonts reads the file in a process of its own while pdf-lib's copy is parsed and walked here.
  const fontsTool = poppler("pdffonts", [path], path);
  fontsTool.catch(() => {}); // a file that is not a PDF is reported by loadPdf, in the user's words
  const doc = await loadPdf(path, pdfPath);
  // poppler reads the words for the layout report meanwhile.
  const layoutRun = options.layout ? layoutReport(path, { doc }) : undefined;
  layoutRun?.catch(() => {});
  const pages = doc.getPages();
  const geo = pages.map(geometry);
  const screen = options.screen ?? false;
  // Each content stream is inflated once, for the walker and the marks reader both.
  const texts = new Map<PDFObject, string | undefined>();
  const textOf = (stream: PDFObject | undefined) => {
    if (!stream) return undefined;
    if (!texts.has(stream)) texts.set(stream, streamText(stream));
    return texts.get(stream);
  };
  const walker = new Walker(doc.context, textOf);
  const reader = new MarksReader(doc.context, textOf);
  const [fontPages, rgbPages] = [new Map<string, number[]>(), new Map<string, number[]>()];
  const marks: PageMarks[] = [];
  const note = (map: Map<string, number[]>, key: string, page: number) => map.set(key, [...(map.get(key) ?? []), page]);
  pages.forEach((page, i) => {
    const f = walker.page(page);
    f.fonts.forEach((id) => note(fontPages, id, i + 1));
    f.rgb.forEach((reason) => note(rgbPages, reason, i + 1));
    // A screen edition is not printed: no plates, no lines to hold.
    if (!screen) marks.push(reader.page(page));
  });
  // Ink is measured where it is known: on a printed edition in CMYK (and grey). RGB gets its ink when it is converted.
  const tac = options.tacPercent ?? 300;
  const coverage = !screen && !rgbPages.size ? inkCoverage(path).catch((error: Error) => error) : undefined;
  // pdfimages reads every page's content (half a second for 160 pages): only when there are pictures.
  const [fontsOut, imagesOut, inks] = await Promise.all([fontsTool, walker.images ? poppler("pdfimages", ["-list", path], path) : "", coverage]);
  const images = parseImages(imagesOut);
  for (const image of images) if (image.colour === "rgb") note(rgbPages, RGB_IMAGE, image.page);

  // A file that says it is PDF/X is held to PDF/X: no RGB at all.
  const pdfx = options.pdfx ?? claimsPdfx(doc);
  const checks = [
    checkFonts(parseFonts(fontsOut), fontPages),
    checkBoxes(geo),
    checkTrimSize(geo),
    checkBleed(geo, options.bleedMm ?? 3, screen),
    checkPageCount(pages.length, options.binding ?? "saddle-stitch", screen),
    checkImages(images, screen),
    checkColour(rgbPages, pdfx),
    checkPdfx(doc, geo, pdfx),
    checkInkCoverage(inks, tac, screen ? "screen edition" : "not measured: RGB gets its ink when it is converted to CMYK (the PDF/X edition is measured)"),
    checkSmallText(marks, screen ? "screen edition" : undefined),
    checkHairlines(marks, screen),
    checkAnnotations(findAnnotations(doc), screen),
  ];
  const report: PreflightReport = { file: pdfPath, pages: pages.length, checks, ok: checks.every((c) => c.status !== "fail") };
  if (layoutRun) {
    const layout = await layoutRun;
    report.layout = { ...layout, file: pdfPath, checks: layoutChecks(layout) };
    report.ok &&= report.layout.checks.every((c) => c.status !== "fail");
  }
  return report;
}
