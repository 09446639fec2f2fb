// The recipe's fourth stage: Chromium's PDF finished as the printer's editions.
// One load of Chromium's PDF: metadata, outline and binding blanks once, then the
// screen edition cut from it, the print edition (bleed, marks, page boxes) and,
// from the print edition with true black, the PDF/X edition through Ghostscript.
// Every edition is written to a temporary (EditionFiles): the recipe renames them
// into place only when preflight has passed.
import { resolve } from "node:path";
import { rmSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { PDFDocument, PDFHexString } from "pdf-lib";
import type { Issue } from "../content/model.js";
import { DigestError } from "../errors.js";
import { describeChar } from "../content/fonts.js";
import { postProcess, type OutlineEntry } from "./postprocess.js";
import { printEdition, screenEdition } from "./editions.js";
import { convertToPdfx } from "./pdfx.js";
import { trueBlack } from "./true-black.js";
import { strayFonts } from "./font-origin.js";
import { EditionFiles } from "./edition-files.js";

/** Which editions to print, and where. */
export interface PressOptions {
  /** The print edition's path; the others are named after it (`.screen.pdf`, `.pdfx.pdf`). */
  pdfPath: string;
  screen?: boolean;
  pdfx?: boolean;
  /** The printer's CMYK ICC profile for the PDF/X edition. */
  icc?: string;
  /** The date written into every edition. */
  date: Date;
  /** The seed of the document ID: what the PDF shows, without any path. */
  idSeed: string;
  /** The PostScript names of the fonts the PDF may hold (the templates' and the issue's). */
  fonts: Set<string>;
  outline: OutlineEntry[];
  signal?: AbortSignal;
}

/** The editions, written as temporaries, and the finished print edition's document (the layout report reads it). */
export interface Pressed {
  files: EditionFiles;
  /** Final paths: where each edition goes once published. */
  editions: { print: string; screen?: string; pdfx?: string; pdfxVersion?: string };
  /** The print edition as written. */
  doc: PDFDocument;
  pageCount: number;
  blanksAdded: number;
}

/** A document ID that depends only on what the PDF shows (`seed` has no paths): the same sources give the same ID wherever they are. */
export function setDocumentId(doc: PDFDocument, seed: string): void {
  const id = createHash("sha256").update(seed).digest("hex").slice(0, 32).toUpperCase();
  doc.context.trailerInfo.ID = doc.context.obj([PDFHexString.of(id), PDFHexString.of(id)]);
}

/** Stops the build, before anything is written, when Chromium set text in a font of the machine. */
function refuseStrayFonts(doc: PDFDocument, fonts: Set<string>): void {
  const stray = strayFonts(doc, fonts);
  if (!stray.length) return;
  const what = stray.map((f) => `\`${f.name}\` for ${f.chars.slice(0, 8).map(describeChar).join(", ") || "some characters"} (page${f.pages.length > 1 ? "s" : ""} ${f.pages.join(", ")})`);
  throw new DigestError(
    `Cannot print with fonts of this machine: Chromium took ${what.join("; ")}, which none of the issue's fonts has`,
    "Name a font that has these characters under `fonts:` in issue.yml; if the stylesheet prints them (`content:`), change it. The earlier PDF, if any, is untouched.",
  );
}

/** Finishes Chromium's PDF into the editions asked for, each written to its temporary. */
export async function pressStage(issue: Issue, chromiumPdf: Uint8Array, options: PressOptions): Promise<Pressed> {
  const meta = issue.meta;
  const doc = await PDFDocument.load(chromiumPdf, { updateMetadata: false });
  // Every glyph from the issue's fonts: a font of the machine in the PDF would make it differ from machine to machine.
  refuseStrayFonts(doc, options.fonts);
  const title = `${meta.title} · ${meta.period}`;
  const subject = [meta.title, meta.tagline, meta.period].filter(Boolean).join(" – ");
  const info = { title, author: meta.publisher?.name, subject, language: meta.language, date: options.date };
  const result = postProcess(doc, { info, outline: options.outline, binding: meta.page.binding });
  if (options.signal?.aborted) throw new DigestError("The build was interrupted: the earlier PDF, if any, is untouched");
  const stem = options.pdfPath.replace(/\.pdf$/i, "");
  const geometry = { trimWidthMm: meta.page.widthMm, trimHeightMm: meta.page.heightMm, bleedMm: meta.page.bleedMm };
  const files = new EditionFiles();
  const pressed: Pressed = { files, editions: { print: options.pdfPath }, doc, pageCount: result.pageCount, blanksAdded: result.blanksAdded };
  try {
    if (options.screen) {
      // The screen edition is cut from the same finished pages, before the print edition changes them.
      const screen = await PDFDocument.load(await doc.save({ useObjectStreams: true }), { updateMetadata: false });
      screenEdition(screen, geometry);
      setDocumentId(screen, `${options.idSeed}\0screen`);
      pressed.editions.screen = `${stem}.screen.pdf`;
      files.write(pressed.editions.screen, await screen.save({ useObjectStreams: true }));
    }
    printEdition(doc, geometry);
    setDocumentId(doc, `${options.idSeed}\0print`);
    files.write(options.pdfPath, await doc.save({ useObjectStreams: true }));
    if (options.pdfx) {
      pressed.editions.pdfx = `${stem}.pdfx.pdf`;
      pressed.editions.pdfxVersion = await pressPdfx(doc, files.temporary(pressed.editions.pdfx), { ...options, title });
    }
  } catch (error) {
    files.discard();
    throw error;
  }
  return pressed;
}

/**
 * The PDF/X edition: Ghostscript converts the print edition's pages with their neutral
 * greys written as DeviceGray, so that black and grey come out on the black plate only
 * (true black). `doc` is changed: call this after the print edition is written.
 */
async function pressPdfx(doc: PDFDocument, output: string, options: PressOptions & { title: string }): Promise<string> {
  const source = `${output}.source`;
  try {
    trueBlack(doc);
    writeFileSync(source, await doc.save({ useObjectStreams: false }));
    const pdfx = await convertToPdfx(source, output, { iccPath: options.icc && resolve(options.icc), title: options.title, date: options.date });
    return pdfx.version;
  } finally {
    rmSync(source, { force: true });
  }
}
