import { PDFArray, PDFDict, PDFDocument, PDFName, grayscale, type PDFPage } from "pdf-lib";

/** Points per millimetre. */
export const PT_PER_MM = 72 / 25.4;

/** How far crop marks stand off the bleed, how long they are, and the slug around them (mm). */
const MARK_GAP_MM = 1;
const MARK_LENGTH_MM = 6;
const SLUG_MM = MARK_GAP_MM + MARK_LENGTH_MM + 2;

/**
 * The page geometry all editions are cut from. Chromium prints each sheet (trim +
 * bleed on every side) from the top-left corner of its page, but its page size is
 * off by a fraction of a millimetre, so the boxes come from these figures, never
 * from Chromium's page size.
 */
export interface Geometry {
  trimWidthMm: number;
  trimHeightMm: number;
  bleedMm: number;
}

/** The trim and bleed boxes of a Chromium page, in its own coordinates (origin bottom-left). */
function boxesOf(page: PDFPage, geometry: Geometry): { trim: Box; bleed: Box } {
  const b = geometry.bleedMm * PT_PER_MM;
  const width = geometry.trimWidthMm * PT_PER_MM;
  const height = geometry.trimHeightMm * PT_PER_MM;
  const top = page.getMediaBox().height;
  const trim = { x: b, y: top - b - height, width, height };
  return { trim, bleed: { x: 0, y: top - 2 * b - height, width: width + 2 * b, height: height + 2 * b } };
}

/** A PDF box as pdf-lib sets it: origin and size in points. */
interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Makes the print edition, in place: every page gets a slug beyond the bleed, crop marks in it
 * (outside the bleed, never over the artwork), and exact MediaBox ⊇ BleedBox ⊇
 * TrimBox; links are removed (a printer has no use for them).
 */
export function printEdition(doc: PDFDocument, geometry: Geometry): void {
  const bleed = geometry.bleedMm * PT_PER_MM;
  const slug = SLUG_MM * PT_PER_MM;
  for (const page of doc.getPages()) {
    const { trim, bleed: sheet } = boxesOf(page, geometry);
    // Move the sheet so that the slug lies around it, with the page's origin at the slug's corner.
    const dx = slug - sheet.x;
    const dy = slug - sheet.y;
    shiftContent(doc, page, dx, dy);
    const media = { x: 0, y: 0, width: sheet.width + 2 * slug, height: sheet.height + 2 * slug };
    setBox(page, "MediaBox", media);
    setBox(page, "CropBox", media);
    setBox(page, "BleedBox", { ...sheet, x: sheet.x + dx, y: sheet.y + dy });
    const trimBox = { ...trim, x: trim.x + dx, y: trim.y + dy };
    setBox(page, "TrimBox", trimBox);
    page.node.delete(PDFName.of("ArtBox"));
    drawCropMarks(page, trimBox, bleed);
    removeLinks(page);
  }
}

/** Makes the screen edition, in place: pages cut to the trim, links and bookmarks kept, no bleed and no marks. */
export function screenEdition(doc: PDFDocument, geometry: Geometry): void {
  for (const page of doc.getPages()) {
    const { trim } = boxesOf(page, geometry);
    for (const name of ["MediaBox", "CropBox", "BleedBox", "TrimBox"] as const) setBox(page, name, trim);
    page.node.delete(PDFName.of("ArtBox"));
  }
}

function setBox(page: PDFPage, name: "MediaBox" | "CropBox" | "BleedBox" | "TrimBox", box: Box): void {
  const round = (n: number) => Math.round(n * 1000) / 1000;
  page.node.set(PDFName.of(name), page.doc.context.obj([round(box.x), round(box.y), round(box.x + box.width), round(box.y + box.height)]));
}

/** Moves everything drawn on the page by (dx, dy), keeping the page's own graphics state sealed off. */
function shiftContent(doc: PDFDocument, page: PDFPage, dx: number, dy: number): void {
  page.node.normalize();
  const before = doc.context.register(doc.context.stream(`q 1 0 0 1 ${dx.toFixed(3)} ${dy.toFixed(3)} cm`));
  const after = doc.context.register(doc.context.stream("Q"));
  page.node.wrapContentStreams(before, after);
}

/** Crop marks at the four corners of the trim, starting beyond the bleed. */
function drawCropMarks(page: PDFPage, trim: Box, bleed: number): void {
  const gap = bleed + MARK_GAP_MM * PT_PER_MM;
  const length = MARK_LENGTH_MM * PT_PER_MM;
  const style = { thickness: 0.25, color: grayscale(0) };
  const left = trim.x;
  const right = trim.x + trim.width;
  const bottom = trim.y;
  const top = trim.y + trim.height;
  for (const x of [left, right]) {
    const outward = x === left ? -1 : 1;
    for (const y of [bottom, top]) {
      const up = y === top ? 1 : -1;
      // A horizontal mark on the line of the trim's top or bottom edge, out to the side.
      page.drawLine({ start: { x: x + outward * gap, y }, end: { x: x + outward * (gap + length), y }, ...style });
      // A vertical mark on the line of the trim's left or right edge, out above or below.
      page.drawLine({ start: { x, y: y + up * gap }, end: { x, y: y + up * (gap + length) }, ...style });
    }
  }
}

function removeLinks(page: PDFPage): void {
  const annots = page.node.lookupMaybe(PDFName.of("Annots"), PDFArray);
  if (!annots) return;
  const kept = annots.asArray().filter((ref) => {
    const annot = page.doc.context.lookupMaybe(ref, PDFDict);
    return annot?.get(PDFName.of("Subtype"))?.toString() !== "/Link";
  });
  if (kept.length) page.node.set(PDFName.of("Annots"), page.doc.context.obj(kept));
  else page.node.delete(PDFName.of("Annots"));
}
