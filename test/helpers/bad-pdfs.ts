import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFString,
  StandardFonts,
  beginText,
  cmyk,
  concatTransformationMatrix,
  drawObject,
  endText,
  moveText,
  popGraphicsState,
  pushGraphicsState,
  rgb,
  setFillingCmykColor,
  setFontAndSize,
  showText,
  type PDFPage,
  type PDFRef,
} from "pdf-lib";

/**
 * PDFs made to fail a printer's preflight, one fault each, built with pdf-lib.
 * Everything not at fault is as a printer wants it: A4 trim, 3 mm bleed, a marks
 * area around the bleed, CMYK only, an embedded TrueType font, 600 ppi pictures.
 */

const root = join(import.meta.dirname, "..", "..");
const MM = 72 / 25.4;
export const A4: [number, number] = [595.28, 841.89];

interface Layout {
  pages?: number;
  bleedMm?: number;
  /** Room for crop marks around the bleed, so the MediaBox is larger than the BleedBox. */
  marksMm?: number;
  bleedBox?: boolean;
  trimBox?: boolean;
}

/** Blank pages with their boxes set as a print PDF has them. */
function addPages(doc: PDFDocument, layout: Layout = {}): PDFPage[] {
  const { pages = 4, bleedMm = 3, marksMm = 10, bleedBox = true, trimBox = true } = layout;
  const [w, h] = A4;
  const bleed = bleedMm * MM;
  const marks = marksMm * MM;
  return Array.from({ length: pages }, () => {
    const page = doc.addPage([w + 2 * (bleed + marks), h + 2 * (bleed + marks)]);
    if (bleedBox) page.setBleedBox(marks, marks, w + 2 * bleed, h + 2 * bleed);
    if (trimBox) page.setTrimBox(marks + bleed, marks + bleed, w, h);
    return page;
  });
}

/**
 * PT Serif embedded by hand as a simple TrueType font (FontFile2): pdf-lib needs
 * @pdf-lib/fontkit to embed a font file, and it is not installed. The widths are
 * a flat 500: enough for pdffonts and a viewer, not for fine typesetting.
 */
function embedPtSerif(doc: PDFDocument): PDFRef {
  const ctx = doc.context;
  const bytes = readFileSync(join(root, "fonts", "PTSerif-Regular.ttf"));
  const file = ctx.register(ctx.flateStream(bytes, { Length1: bytes.length }));
  const descriptor = ctx.register(
    ctx.obj({
      Type: "FontDescriptor", FontName: "PTSerif-Regular", Flags: 34, FontBBox: [-200, -300, 1200, 1050],
      ItalicAngle: 0, Ascent: 1039, Descent: -286, CapHeight: 700, StemV: 80, FontFile2: file,
    }),
  );
  return ctx.register(
    ctx.obj({
      Type: "Font", Subtype: "TrueType", BaseFont: "PTSerif-Regular", FirstChar: 32, LastChar: 126,
      Widths: Array<number>(95).fill(500), Encoding: "WinAnsiEncoding", FontDescriptor: descriptor,
    }),
  );
}

/** A Type 3 font of one glyph, "a", drawn as a filled square. */
function type3Font(doc: PDFDocument): PDFRef {
  const ctx = doc.context;
  const glyph = ctx.register(ctx.stream("1000 0 0 0 1000 1000 d1\n0 0 1000 1000 re f\n"));
  return ctx.register(
    ctx.obj({
      Type: "Font", Subtype: "Type3", FontBBox: [0, 0, 1000, 1000], FontMatrix: [0.001, 0, 0, 0.001, 0, 0],
      CharProcs: { a: glyph }, Encoding: { Type: "Encoding", Differences: [97, "a"] },
      FirstChar: 97, LastChar: 97, Widths: [1000], Resources: {},
    }),
  );
}

/** Black (CMYK) text in the given font, put into the page's resources as `key`. */
function write(page: PDFPage, font: PDFRef, key: string, text: string): void {
  page.node.setFontDictionary(PDFName.of(key), font);
  const { x, y } = page.getTrimBox();
  page.pushOperators(setFillingCmykColor(0, 0, 0, 1), beginText(), setFontAndSize(key, 12), moveText(x + 40, y + 40), showText(PDFHexString.of(Buffer.from(text, "latin1").toString("hex"))), endText());
}

/** A picture of `px` × `px` pixels placed `pt` points wide: its resolution is px / pt × 72 ppi. */
function picture(page: PDFPage, px: number, pt: number, space: "DeviceGray" | "DeviceCMYK" | "DeviceRGB" = "DeviceGray"): void {
  const ctx = page.doc.context;
  const channels = { DeviceGray: 1, DeviceCMYK: 4, DeviceRGB: 3 }[space];
  const pixels = new Uint8Array(px * px * channels).map((_, i) => (i * 37) % 256);
  const image = ctx.register(ctx.flateStream(pixels, { Type: "XObject", Subtype: "Image", Width: px, Height: px, ColorSpace: space, BitsPerComponent: 8 }));
  const key = page.node.newXObject("Im", image);
  const { x, y } = page.getTrimBox();
  page.pushOperators(pushGraphicsState(), concatTransformationMatrix(pt, 0, 0, pt, x + 100, y + 100), drawObject(key), popGraphicsState());
}

/** The good document: every page with CMYK text in an embedded TrueType font and a CMYK box; a 600 ppi picture on page 1. */
async function goodDoc(layout: Layout = {}): Promise<{ doc: PDFDocument; pages: PDFPage[] }> {
  const doc = await PDFDocument.create();
  const pages = addPages(doc, layout);
  const font = embedPtSerif(doc);
  pages.forEach((page, i) => {
    write(page, font, "F1", `Digest, page ${i + 1}`);
    const { x, y } = page.getTrimBox();
    page.drawRectangle({ x: x + 300, y: y + 300, width: 100, height: 50, color: cmyk(0.2, 0.8, 0, 0) });
  });
  picture(pages[0]!, 50, 6, "DeviceCMYK");
  return { doc, pages };
}

/** Marks the document as PDF/X-3, with or without the output intent PDF/X requires. */
function claimPdfx(doc: PDFDocument, withIntent: boolean): void {
  const ctx = doc.context;
  doc.setTitle("Preflight fixture");
  ctx.lookup(ctx.trailerInfo.Info, PDFDict).set(PDFName.of("GTS_PDFXVersion"), PDFString.of("PDF/X-3:2002"));
  if (!withIntent) return;
  // A stand-in for an ICC profile: preflight checks that it is there, not what it says.
  const profile = ctx.register(ctx.flateStream(new Uint8Array(128), { N: 4 }));
  const intent = ctx.obj({
    Type: "OutputIntent", S: "GTS_PDFX", DestOutputProfile: profile,
    OutputConditionIdentifier: PDFString.of("FOGRA39"), Info: PDFString.of("Coated FOGRA39 (ISO 12647-2:2004)"),
  });
  doc.catalog.set(PDFName.of("OutputIntents"), ctx.obj([intent]));
}

export type BadPdf =
  | "good" | "pdfx" | "pdfxClaimedNoIntent" | "type3" | "notEmbedded" | "lowRes72" | "midRes200"
  | "wrongTrim" | "noBleedBox" | "threePages" | "sixPages" | "rgb" | "screen";

/** Writes every fixture into `dir` and returns their paths. */
export async function makeBadPdfs(dir: string): Promise<Record<BadPdf, string>> {
  const made: Partial<Record<BadPdf, string>> = {};
  const save = async (key: BadPdf, doc: PDFDocument) => {
    const path = join(dir, `${key}.pdf`);
    writeFileSync(path, await doc.save());
    made[key] = path;
  };

  await save("good", (await goodDoc()).doc);

  let d = await goodDoc();
  claimPdfx(d.doc, true);
  await save("pdfx", d.doc);

  d = await goodDoc();
  claimPdfx(d.doc, false);
  await save("pdfxClaimedNoIntent", d.doc);

  d = await goodDoc();
  write(d.pages[1]!, type3Font(d.doc), "T3", "a");
  await save("type3", d.doc);

  d = await goodDoc();
  const helvetica = await d.doc.embedFont(StandardFonts.Helvetica); // a standard font: named, never embedded
  d.pages[2]!.drawText("Not embedded", { x: 100, y: 200, size: 12, font: helvetica, color: cmyk(0, 0, 0, 1) });
  await save("notEmbedded", d.doc);

  d = await goodDoc();
  picture(d.pages[1]!, 72, 72);
  await save("lowRes72", d.doc);

  d = await goodDoc();
  picture(d.pages[2]!, 200, 72);
  await save("midRes200", d.doc);

  d = await goodDoc();
  const bleed = d.pages[1]!.getBleedBox();
  d.pages[1]!.setTrimBox(bleed.x - 5, bleed.y - 5, bleed.width + 10, bleed.height + 10);
  await save("wrongTrim", d.doc);

  await save("noBleedBox", (await goodDoc({ bleedBox: false })).doc);
  await save("threePages", (await goodDoc({ pages: 3 })).doc);
  await save("sixPages", (await goodDoc({ pages: 6 })).doc);

  d = await goodDoc();
  picture(d.pages[1]!, 50, 6, "DeviceRGB");
  d.pages[2]!.drawRectangle({ x: 100, y: 100, width: 50, height: 50, color: rgb(1, 0, 0) });
  await save("rgb", d.doc);

  // A screen edition: MediaBox only, so BleedBox = TrimBox = MediaBox.
  await save("screen", (await goodDoc({ bleedMm: 0, marksMm: 0, bleedBox: false, trimBox: false })).doc);

  return made as Record<BadPdf, string>;
}
