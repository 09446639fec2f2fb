// Everything that happens to the PDF after Chromium has printed it, in one module
// that digest build loads while Chromium lays out the pages (it needs pdf-lib,
// which takes a while to load, and nothing before the layout does).
import { createHash } from "node:crypto";
import { PDFDocument, PDFHexString } from "pdf-lib";

export { PDFDocument };
export { postProcess } from "./postprocess.js";
export { printEdition, screenEdition } from "./editions.js";
export { convertToPdfx } from "./pdfx.js";
export { trueBlack } from "./true-black.js";
export { preflight } from "../preflight/preflight.js";
export { layoutReport } from "../preflight/layout-report.js";
export { strayFonts } from "./font-origin.js";

/**
 * A document ID that depends only on what the PDF shows: the same sources give the
 * same ID, wherever the checkout and the issue folder are (`seed` has no paths).
 */
export function setDocumentId(doc: PDFDocument, seed: string): void {
  const id = createHash("sha256").update(seed).digest("hex").slice(0, 32).toUpperCase();
  doc.context.trailerInfo.ID = doc.context.obj([PDFHexString.of(id), PDFHexString.of(id)]);
}
