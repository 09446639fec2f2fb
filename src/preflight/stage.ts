// The recipe's fifth stage: each edition read back as the printer's preflight
// reads it, and the print edition's layout report, all before anything is put in
// place. Each check runs poppler and Ghostscript in processes of its own, so the
// editions are checked at the same time.
import type { PDFDocument } from "pdf-lib";
import { preflight } from "./preflight.js";
import { layoutReport } from "./layout-report.js";
import type { PreflightReport } from "./report.js";
import type { LayoutReport, ReportedFlaw } from "./layout-summary.js";

/** One edition's preflight. */
export interface PreflightResult {
  edition: "print" | "screen" | "pdfx";
  report: PreflightReport;
}

/** An edition to check: its temporary, and the path it is to be known by. */
export interface EditionToCheck {
  edition: PreflightResult["edition"];
  file: string;
  shownAs: string;
}

export interface PreflightStageOptions {
  bleedMm: number;
  binding: "saddle-stitch" | "perfect";
  tacPercent?: number;
  /** The print edition, loaded: the layout report reads its pictures and section starts from it. */
  doc: PDFDocument;
  /** The layout's own findings (widows, orphans, stranded headlines), reported with the PDF's. */
  flaws: ReportedFlaw[];
  /** Pages designed as a whole (the contents, fillers): not judged as pages of text. */
  designed: number[];
}

/** Preflights every edition and reports the print edition's layout; reports name the editions' final paths. */
export async function preflightStage(editions: EditionToCheck[], options: PreflightStageOptions): Promise<{ preflight: PreflightResult[]; layout: LayoutReport }> {
  const print = editions.find((e) => e.edition === "print")!;
  const layoutRun = layoutReport(print.file, { flaws: options.flaws, doc: options.doc, fillerPages: options.designed });
  layoutRun.catch(() => {});
  const press = { bleedMm: options.bleedMm, binding: options.binding, tacPercent: options.tacPercent };
  const checks = await Promise.all(
    editions.map(async ({ edition, file, shownAs }) => {
      const report = await preflight(file, edition === "screen" ? { screen: true } : { ...press, pdfx: edition === "pdfx" });
      return { edition, report: { ...report, file: shownAs } };
    }),
  );
  const layout = await layoutRun;
  return { preflight: checks, layout: { ...layout, file: print.shownAs } };
}
