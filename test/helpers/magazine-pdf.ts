import { writeFileSync } from "node:fs";
import { PDFDocument, StandardFonts, rgb } from "pdf-lib";

/** One page of a made-up magazine: lines of text, perhaps a coloured picture. */
export interface MadePage {
  lines: string[];
  /** A filled rectangle under the text, as a picture would be. */
  picture?: [number, number, number];
}

const MM = 72 / 25.4;

/** Text for page `n` of a made-up article: distinct on every page, so pages can be told apart. */
export function madePage(n: number, lines = 30): MadePage {
  return { lines: Array.from({ length: lines }, (_, i) => `Page ${n} line ${i + 1}: the Council met to discuss item ${n * 100 + i} of its agenda.`) };
}

/**
 * Writes a magazine-like PDF, as digest's are: A5 trim with 3 mm bleed and room for
 * marks, mirrored margins (the text block sits 4 mm further out on right-hand pages),
 * a running head (the magazine's name on left pages, the section on right pages) and
 * a folio on the outer edge, both in the margins.
 */
export async function writeMagazine(path: string, pages: MadePage[], section = "NEWS"): Promise<void> {
  const doc = await PDFDocument.create();
  doc.setTitle("Test Digest · Spring 2025");
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const [trimW, trimH] = [148 * MM, 210 * MM];
  const bleed = 3 * MM;
  const slug = 10 * MM;
  pages.forEach((content, i) => {
    const n = i + 1;
    const page = doc.addPage([trimW + 2 * (bleed + slug), trimH + 2 * (bleed + slug)]);
    page.setBleedBox(slug, slug, trimW + 2 * bleed, trimH + 2 * bleed);
    page.setTrimBox(slug + bleed, slug + bleed, trimW, trimH);
    const x0 = slug + bleed;
    const y0 = slug + bleed;
    const right = n % 2 === 1;
    // Mirrored margins: the wider one on the spine side.
    const left = x0 + (right ? 20 * MM : 16 * MM);
    const top = y0 + trimH - 22 * MM;
    if (content.picture) page.drawRectangle({ x: left, y: top - 120, width: 200, height: 110, color: rgb(...content.picture) });
    content.lines.forEach((line, k) => page.drawText(line, { x: left, y: top - (content.picture ? 140 : 10) - k * 13, size: 9, font }));
    const head = right ? section : "TEST DIGEST · SPRING 2025";
    const headWidth = bold.widthOfTextAtSize(head, 7);
    page.drawText(head, { x: right ? x0 + trimW - 16 * MM - headWidth : left, y: y0 + trimH - 15 * MM, size: 7, font: bold });
    const folio = String(n);
    const folioWidth = bold.widthOfTextAtSize(folio, 9);
    page.drawText(folio, { x: right ? x0 + trimW - 16 * MM - folioWidth : left, y: y0 + 14 * MM, size: 9, font: bold });
  });
  writeFileSync(path, await doc.save());
}
