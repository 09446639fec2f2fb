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

/** Text in the given font, put into the page's resources as `key`: by default 12 pt in black ink only (0/0/0/100). */
function write(page: PDFPage, font: PDFRef, key: string, text: string, size = 12, ink: [number, number, number, number] = [0, 0, 0, 1], at = 40): void {
  page.node.setFontDictionary(PDFName.of(key), font);
  const { x, y } = page.getTrimBox();
  page.pushOperators(setFillingCmykColor(...ink), beginText(), setFontAndSize(key, size), moveText(x + 40, y + at), showText(PDFHexString.of(Buffer.from(text, "latin1").toString("hex"))), endText());
}

/** A picture of `px` × `px` pixels placed `pt` points wide: its resolution is px / pt × 72 ppi. */
function picture(page: PDFPage, px: number, pt: number, space: "DeviceGray" | "DeviceCMYK" | "DeviceRGB" = "DeviceGray"): void {
  const ctx = page.doc.context;
  const channels = { DeviceGray: 1, DeviceCMYK: 4, DeviceRGB: 3 }[space];
  // A CMYK picture stays under 100 % ink, so that only the fixture made for it exceeds the ink limit.
  const pixels = new Uint8Array(px * px * channels).map((_, i) => (i * 37) % (space === "DeviceCMYK" ? 64 : 256));
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

/** A link annotation on `page` (or on no page), as Chromium writes them for the contents. */
function link(doc: PDFDocument, page?: PDFPage): PDFRef {
  const ctx = doc.context;
  const annot = ctx.register(
    ctx.obj({ Type: "Annot", Subtype: "Link", Rect: [100, 100, 200, 120], Border: [0, 0, 0], A: { S: "URI", URI: PDFString.of("https://example.org/") } }),
  );
  if (page) page.node.set(PDFName.of("Annots"), ctx.obj([annot]));
  return annot;
}

export type BadPdf =
  | "good" | "pdfx" | "pdfxClaimedNoIntent" | "type3" | "notEmbedded" | "lowRes72" | "midRes200"
  | "wrongTrim" | "noBleedBox" | "threePages" | "sixPages" | "rgb" | "screen"
  | "inkOver300" | "richBlackSmallText" | "colourSmallText" | "hairlines" | "links" | "orphanLink" | "screen115" | "screen80";

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
  const screenLayout = { bleedMm: 0, marksMm: 0, bleedBox: false, trimBox: false };
  await save("screen", (await goodDoc(screenLayout)).doc);

  // 90 % of each ink (360 %) on page 2, over an area a press would flood.
  d = await goodDoc();
  d.pages[1]!.drawRectangle({ x: 150, y: 150, width: 100, height: 60, color: cmyk(0.9, 0.9, 0.9, 0.9) });
  await save("inkOver300", d.doc);

  // PDF/X with 9 pt text in the four-colour black a conversion makes of #222 (281 %), on page 3.
  d = await goodDoc();
  claimPdfx(d.doc, true);
  write(d.pages[2]!, embedPtSerif(d.doc), "F2", "Rich black body text", 9, [0.702, 0.667, 0.663, 0.78], 80);
  await save("richBlackSmallText", d.doc);

  // PDF/X with 9 pt text in a navy of four inks, on page 2: a colour, so only noted.
  d = await goodDoc();
  claimPdfx(d.doc, true);
  write(d.pages[1]!, embedPtSerif(d.doc), "F2", "Navy kicker", 9, [0.996, 0.863, 0.384, 0.322], 80);
  await save("colourSmallText", d.doc);

  // A stroke of 0.1 pt on page 2, and a rule drawn as a filled rectangle 0.2 pt high on page 4.
  d = await goodDoc();
  d.pages[1]!.drawLine({ start: { x: 100, y: 400 }, end: { x: 400, y: 400 }, thickness: 0.1, color: cmyk(0, 0, 0, 1) });
  d.pages[3]!.drawRectangle({ x: 100, y: 500, width: 300, height: 0.2, color: cmyk(0, 0, 0, 1) });
  await save("hairlines", d.doc);

  // A link on page 1 of a print PDF, and one left in the file on no page.
  d = await goodDoc();
  link(d.doc, d.pages[0]!);
  await save("links", d.doc);
  d = await goodDoc();
  link(d.doc);
  await save("orphanLink", d.doc);

  // Screen editions with a picture of 115 ppi, and of 80 ppi, on page 2.
  d = await goodDoc(screenLayout);
  picture(d.pages[1]!, 115, 72);
  await save("screen115", d.doc);
  d = await goodDoc(screenLayout);
  picture(d.pages[1]!, 80, 72);
  await save("screen80", d.doc);

  return made as Record<BadPdf, string>;
}
