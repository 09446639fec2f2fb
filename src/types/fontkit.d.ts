// The part of fontkit 3 (which ships no types) that digest uses: reading a font's
// tables, names, metrics and character map (src/content/fonts.ts).
declare module "fontkit" {
  export interface Font {
    /** `TTF` (also OpenType with CFF outlines), `WOFF`, `WOFF2`; a collection is `TTC` or `DFont`. */
    type: string;
    postscriptName: string | null;
    familyName: string | null;
    unitsPerEm: number;
    ascent: number;
    descent: number;
    xHeight: number;
    capHeight: number;
    italicAngle: number;
    /** The code points the character map maps to a glyph. */
    characterSet: number[];
    hasGlyphForCodePoint(codePoint: number): boolean;
    getName(key: string, lang?: string): string | null;
    directory: { tables: Record<string, unknown> };
    "OS/2"?: {
      usWeightClass: number;
      fsType: { noEmbedding: boolean; viewOnly: boolean; editable: boolean; noSubsetting: boolean; bitmapOnly: boolean };
      fsSelection: { italic: boolean; oblique: boolean };
    };
    head: { macStyle: { italic: boolean; bold: boolean } };
  }
  export interface FontCollection {
    type: string;
    fonts: Font[];
  }
  export function create(buffer: Uint8Array, postscriptName?: string): Font | FontCollection;
}
