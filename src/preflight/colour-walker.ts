// What each page uses, found by walking its resources: the fonts, and any RGB
// (pictures, colour spaces, colour operators, blending spaces), through forms,
// patterns, Type 3 glyphs and annotations.
import { PDFArray, PDFContext, PDFDict, PDFName, PDFNumber, PDFRef, PDFStream, type PDFObject, type PDFPage } from "pdf-lib";
import { name } from "./check.js";

export const [RGB_IMAGE, RGB_SPACE, RGB_OPERATOR, RGB_BLEND] = ["RGB images", "RGB colour spaces", "rg/RG colour operators", "RGB blending space"];
export const NUM = String.raw`[-+]?(?:\d+\.?\d*|\.\d+)`;
export const RGB_OPERATORS = new RegExp(String.raw`(?<![\w.+-])(?:${NUM}\s+){3}(?:rg|RG)(?![\w#])`);
/** `/DeviceRGB cs` in a content stream, or an inline image's `/CS /RGB`. */
export const RGB_IN_CONTENT = /\/DeviceRGB(?![\w#])|\/CS\s*\/RGB(?![\w#])/;

export interface Found { rgb: Set<string>; fonts: Set<string> }
export const found = (): Found => ({ rgb: new Set(), fonts: new Set() });

/** Finds the fonts and RGB a page uses, through forms, patterns, Type 3 glyphs and annotations; shared objects are read once. */
export class Walker {
  private readonly memo = new Map<object, Found>();
  /** Whether any picture was seen (an image XObject, or an inline image in a content stream). */
  images = false;
  constructor(private readonly ctx: PDFContext, private readonly textOf: (stream: PDFObject | undefined) => string | undefined) {}

  page(page: PDFPage): Found {
    const [f, node] = [found(), page.node];
    this.resources(node.Resources(), f);
    const contents = node.Contents();
    for (const c of contents instanceof PDFArray ? contents.asArray() : [contents]) this.content(this.ctx.lookup(c), f);
    if (this.isRgb(this.dictOf(node.get(name("Group")))?.get(name("CS")))) f.rgb.add(RGB_BLEND);
    for (const a of node.Annots()?.asArray() ?? []) {
      const ap = this.ctx.lookupMaybe(a, PDFDict)?.lookup(name("AP"));
      const normal = ap instanceof PDFDict ? ap.lookup(name("N")) : undefined;
      // An appearance is a form, or a dictionary of forms by state.
      (normal instanceof PDFDict ? normal.values().map((v) => this.ctx.lookup(v)) : [normal]).forEach((n) => this.form(n, f));
    }
    return f;
  }

  /** Memoised, and marked before recursing so that a form drawing itself cannot loop. */
  private once(key: object, into: Found, work: (f: Found) => void): void {
    let f = this.memo.get(key);
    if (!f) {
      this.memo.set(key, (f = found()));
      work(f);
    }
    f.rgb.forEach((r) => into.rgb.add(r));
    f.fonts.forEach((id) => into.fonts.add(id));
  }

  private form(stream: PDFObject | undefined, into: Found): void {
    if (!(stream instanceof PDFStream)) return;
    this.once(stream, into, (f) => {
      this.resources(stream.dict.lookupMaybe(name("Resources"), PDFDict), f);
      this.content(stream, f);
      if (this.isRgb(this.dictOf(stream.dict.get(name("Group")))?.get(name("CS")))) f.rgb.add(RGB_BLEND);
    });
  }

  private content(stream: PDFObject | undefined, into: Found): void {
    const text = this.textOf(stream) ?? "";
    if (/(?:^|\s)BI\s/.test(text)) this.images = true;
    if (RGB_OPERATORS.test(text)) into.rgb.add(RGB_OPERATOR);
    if (RGB_IN_CONTENT.test(text)) into.rgb.add(RGB_SPACE);
  }

  private resources(res: PDFDict | undefined, into: Found): void {
    if (!res) return;
    this.once(res, into, (f) => {
      const entries = (key: string) => res.lookupMaybe(name(key), PDFDict)?.entries() ?? [];
      for (const [, cs] of entries("ColorSpace")) if (this.isRgb(cs)) f.rgb.add(RGB_SPACE);
      for (const [, sh] of entries("Shading")) if (this.isRgb(this.dictOf(sh)?.get(name("ColorSpace")))) f.rgb.add(RGB_SPACE);
      for (const [, x] of entries("XObject")) {
        const s = this.ctx.lookup(x);
        if (!(s instanceof PDFStream)) continue;
        const subtype = s.dict.lookup(name("Subtype"));
        if (subtype === name("Image")) this.images = true;
        if (subtype === name("Image") && this.isRgb(s.dict.get(name("ColorSpace")))) f.rgb.add(RGB_IMAGE);
        else if (subtype === name("Form")) this.form(s, f);
      }
      for (const [, p] of entries("Pattern")) {
        const pattern = this.ctx.lookup(p);
        if (pattern instanceof PDFStream) this.form(pattern, f);
        else if (pattern instanceof PDFDict && this.isRgb(this.dictOf(pattern.get(name("Shading")))?.get(name("ColorSpace")))) f.rgb.add(RGB_SPACE);
      }
      for (const [, ref] of entries("Font")) {
        if (ref instanceof PDFRef) f.fonts.add(`${ref.objectNumber} ${ref.generationNumber}`);
        const font = this.ctx.lookupMaybe(ref, PDFDict);
        if (font?.lookup(name("Subtype")) !== name("Type3")) continue;
        this.resources(font.lookupMaybe(name("Resources"), PDFDict), f);
        font.lookupMaybe(name("CharProcs"), PDFDict)?.values().forEach((g) => this.form(this.ctx.lookup(g), f));
      }
    });
  }

  private dictOf(obj: PDFObject | undefined): PDFDict | undefined {
    const o = this.ctx.lookup(obj);
    return o instanceof PDFStream ? o.dict : o instanceof PDFDict ? o : undefined;
  }

  /** RGB itself, or an RGB base behind Indexed, Separation, DeviceN or Pattern. */
  private isRgb(space: PDFObject | undefined, depth = 0): boolean {
    const cs = this.ctx.lookup(space);
    if (cs instanceof PDFName) return cs === name("DeviceRGB") || cs === name("RGB");
    if (!(cs instanceof PDFArray) || depth > 4) return false;
    const [family, ...args] = cs.asArray();
    if (family === name("ICCBased")) return this.dictOf(args[0])?.lookupMaybe(name("N"), PDFNumber)?.asNumber() === 3;
    const base = family === name("Indexed") || family === name("Pattern") ? args[0] : family === name("Separation") || family === name("DeviceN") ? args[1] : undefined;
    return family === name("CalRGB") || (base !== undefined && this.isRgb(base, depth + 1));
  }
}
