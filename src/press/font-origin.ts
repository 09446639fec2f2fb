import { decodePDFRawStream, PDFDict, PDFName, PDFRawStream, PDFRef, type PDFDocument } from "pdf-lib";

/** A font in Chromium's PDF that is not one of the issue's: Chromium took it from the machine. */
export interface StrayFont {
  /** Its PostScript name, without the subset tag: `DejaVuSerif`. */
  name: string;
  /** The pages (1-based) that use it. */
  pages: number[];
  /** The characters it prints, from its ToUnicode map. */
  chars: string[];
}

/**
 * Finds the fonts of Chromium's PDF that are not the (`allowed`: PostScript
 * names): a character none of the fonts has, which Chromium set in a font of
 * the machine. digest check refuses such characters in the text before Chromium
 * starts; this catches the rest (a stylesheet's `content:`), after the layout and
 * before anything is written.
 */
export function strayFonts(doc: PDFDocument, allowed: Set<string>): StrayFont[] {
  const found = new Map<string, StrayFont>();
  doc.getPages().forEach((page, index) => {
    const fonts = page.node.Resources()?.lookup(PDFName.of("Font"));
    if (!(fonts instanceof PDFDict)) return;
    for (const value of fonts.values()) {
      const font = value instanceof PDFRef ? doc.context.lookup(value) : value;
      if (!(font instanceof PDFDict)) continue;
      const base = font.lookup(PDFName.of("BaseFont"));
      // Type 3 fonts have no BaseFont: preflight refuses those on their own.
      const name = base instanceof PDFName ? base.decodeText().replace(/^[A-Z]{6}\+/, "") : "";
      if (!name || allowed.has(name)) continue;
      let stray = found.get(name);
      if (!stray) found.set(name, (stray = { name, pages: [], chars: toUnicode(font) }));
      if (!stray.pages.includes(index + 1)) stray.pages.push(index + 1);
    }
  });
  return [...found.values()];
}

/** The characters a font's ToUnicode CMap maps its glyphs to. */
function toUnicode(font: PDFDict): string[] {
  const stream = font.lookup(PDFName.of("ToUnicode"));
  if (!(stream instanceof PDFRawStream)) return [];
  const cmap = Buffer.from(decodePDFRawStream(stream).decode()).toString("latin1");
  const chars = new Set<string>();
  const hex = (h: string) => String.fromCodePoint(...utf16(h));
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const m of block[1]!.matchAll(/<[0-9A-Fa-f]+>\s*<([0-9A-Fa-f]+)>/g)) chars.add(hex(m[1]!));
  }
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const m of block[1]!.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) {
      const first = utf16(m[3]!)[0]!;
      const count = Math.min(parseInt(m[2]!, 16) - parseInt(m[1]!, 16), 255);
      for (let i = 0; i <= count; i++) chars.add(String.fromCodePoint(first + i));
    }
  }
  return [...chars].filter((c) => c.trim() !== "").sort();
}

/** UTF-16BE hex (`D842DF9F`) → code points. */
function utf16(h: string): number[] {
  const units: number[] = [];
  for (let i = 0; i + 4 <= h.length; i += 4) units.push(parseInt(h.slice(i, i + 4), 16));
  return [...String.fromCharCode(...units)].map((c) => c.codePointAt(0)!);
}
