// True black for the PDF/X edition. Chromium writes every colour as RGB, and a
// conversion to CMYK turns a neutral grey such as the body text's #1a1a1a into a
// four-colour black (0.70 0.67 0.66 0.78: 281 % ink). Misregistration makes small
// text in four inks fuzzy, so printers want black and grey text and rules on the
// black plate only. Written as DeviceGray, a neutral goes through Ghostscript's
// conversion as K alone (DeviceGray maps to K when the output is CMYK), and any
// real colour is converted as before.
//
// Overprint is left off: black on a coloured background knocks it out, as on
// screen. See README, "True black".
import { PDFArray, PDFDict, PDFName, PDFRawStream, PDFRef, PDFStream, type PDFContext, type PDFDocument, type PDFObject } from "pdf-lib";
import { eachOperation, streamText } from "./content-stream.js";

/** How far apart r, g and b may be and still count as grey: half a step of an 8-bit value. */
const NEUTRAL = 0.5 / 255;

/** The content with every neutral `r g b rg` / `RG` written as `v g` / `G`, or undefined when there is none. */
export function neutralsToGray(text: string): string | undefined {
  const parts: string[] = [];
  let last = 0;
  eachOperation(text, (operator, operands, start, end) => {
    if ((operator !== "rg" && operator !== "RG") || operands.length !== 3) return;
    const [r, g, b] = [operands.at(0), operands.at(1), operands.at(2)];
    if (typeof r !== "number" || typeof g !== "number" || typeof b !== "number") return;
    if (Math.max(r, g, b) - Math.min(r, g, b) > NEUTRAL) return;
    // The mean of the three, so a grey that is off by a rounding step stays the same grey.
    const v = Number(((r + g + b) / 3).toFixed(4));
    parts.push(text.slice(last, start), `${v} ${operator === "rg" ? "g" : "G"}`);
    last = end;
  });
  if (!parts.length) return undefined;
  parts.push(text.slice(last));
  return parts.join("");
}

/**
 * Writes neutral RGB fills and strokes as DeviceGray in every page's content and in
 * the forms and tiling patterns it draws, in place. Returns how many streams changed.
 * The streams are written uncompressed: this copy only goes to Ghostscript.
 */
export function trueBlack(doc: PDFDocument): number {
  const ctx = doc.context;
  const seen = new Set<PDFObject>();
  let changed = 0;

  const rewrite = (ref: PDFObject | undefined) => {
    if (!(ref instanceof PDFRef) || seen.has(ref)) return;
    seen.add(ref);
    const stream = ctx.lookup(ref);
    if (!(stream instanceof PDFStream)) return;
    const text = streamText(stream);
    const gray = text === undefined ? undefined : neutralsToGray(text);
    if (gray === undefined) return;
    const dict = stream.dict.clone(ctx);
    for (const key of ["Filter", "DecodeParms", "Length"]) dict.delete(PDFName.of(key));
    ctx.assign(ref, PDFRawStream.of(dict, Buffer.from(gray, "latin1")));
    changed++;
  };

  const resources = (res: PDFDict | undefined, depth: number) => {
    if (!res || depth > 8 || seen.has(res)) return;
    seen.add(res);
    for (const key of ["XObject", "Pattern"]) {
      for (const [, ref] of res.lookupMaybe(PDFName.of(key), PDFDict)?.entries() ?? []) {
        const object = ctx.lookup(ref);
        if (!(object instanceof PDFStream)) continue; // a shading pattern: its colours are a gradient's, not a neutral's
        if (key === "XObject" && object.dict.lookup(PDFName.of("Subtype")) !== PDFName.of("Form")) continue;
        rewrite(ref);
        resources(formResources(ctx, ref), depth + 1);
      }
    }
  };

  for (const page of doc.getPages()) {
    const contents = page.node.Contents();
    for (const ref of contents instanceof PDFArray ? contents.asArray() : [page.node.get(PDFName.of("Contents"))]) rewrite(ref);
    resources(page.node.Resources(), 0);
  }
  return changed;
}

/** A form's (or tiling pattern's) own resources, read after its stream may have been replaced. */
function formResources(ctx: PDFContext, ref: PDFObject): PDFDict | undefined {
  const stream = ctx.lookup(ref);
  return stream instanceof PDFStream ? stream.dict.lookupMaybe(PDFName.of("Resources"), PDFDict) : undefined;
}
