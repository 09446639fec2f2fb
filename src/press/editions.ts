import { PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, PDFRef, grayscale, type PDFObject, type PDFPage } from "pdf-lib";

/** Points per millimetre. */
export const PT_PER_MM = 72 / 25.4;

/** How far crop marks stand off the bleed, how long they are, and the slug around them (mm). */
const MARK_GAP_MM = 1;
const MARK_LENGTH_MM = 6;
const SLUG_MM = MARK_GAP_MM + MARK_LENGTH_MM + 2;

/**
 * The page geometry all editions are cut from. Chromium prints each sheet (trim +
 * bleed on every side) from the top-left corner of its page, but its page size is
 * off by a fraction of a millimetre, so the boxes come from these figures, never
 * from Chromium's page size.
 */
export interface Geometry {
  trimWidthMm: number;
  trimHeightMm: number;
  bleedMm: number;
}

/** The trim and bleed boxes of a Chromium page, in its own coordinates (origin bottom-left). */
function boxesOf(page: PDFPage, geometry: Geometry): { trim: Box; bleed: Box } {
  const b = geometry.bleedMm * PT_PER_MM;
  const width = geometry.trimWidthMm * PT_PER_MM;
  const height = geometry.trimHeightMm * PT_PER_MM;
  const top = page.getMediaBox().height;
  const trim = { x: b, y: top - b - height, width, height };
  return { trim, bleed: { x: 0, y: top - 2 * b - height, width: width + 2 * b, height: height + 2 * b } };
}

/** A PDF box as pdf-lib sets it: origin and size in points. */
interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Makes the print edition, in place: every page gets a slug beyond the bleed, crop marks in it
 * (outside the bleed, never over the artwork), and exact MediaBox ⊇ BleedBox ⊇
 * TrimBox; links are removed (a printer has no use for them), with their objects
 * and the structure tree's references to them.
 */
export function printEdition(doc: PDFDocument, geometry: Geometry): void {
  const bleed = geometry.bleedMm * PT_PER_MM;
  const slug = SLUG_MM * PT_PER_MM;
  const links: PDFRef[] = [];
  for (const page of doc.getPages()) {
    const { trim, bleed: sheet } = boxesOf(page, geometry);
    // Move the sheet so that the slug lies around it, with the page's origin at the slug's corner.
    const dx = slug - sheet.x;
    const dy = slug - sheet.y;
    shiftContent(doc, page, dx, dy);
    const media = { x: 0, y: 0, width: sheet.width + 2 * slug, height: sheet.height + 2 * slug };
    setBox(page, "MediaBox", media);
    setBox(page, "CropBox", media);
    setBox(page, "BleedBox", { ...sheet, x: sheet.x + dx, y: sheet.y + dy });
    const trimBox = { ...trim, x: trim.x + dx, y: trim.y + dy };
    setBox(page, "TrimBox", trimBox);
    page.node.delete(PDFName.of("ArtBox"));
    drawCropMarks(page, trimBox, bleed);
    links.push(...removeLinks(page));
  }
  forgetAnnotations(doc, links);
}

/** Makes the screen edition, in place: pages cut to the trim, links and bookmarks kept, no bleed and no marks. */
export function screenEdition(doc: PDFDocument, geometry: Geometry): void {
  for (const page of doc.getPages()) {
    const { trim } = boxesOf(page, geometry);
    for (const name of ["MediaBox", "CropBox", "BleedBox", "TrimBox"] as const) setBox(page, name, trim);
    page.node.delete(PDFName.of("ArtBox"));
  }
}

function setBox(page: PDFPage, name: "MediaBox" | "CropBox" | "BleedBox" | "TrimBox", box: Box): void {
  const round = (n: number) => Math.round(n * 1000) / 1000;
  page.node.set(PDFName.of(name), page.doc.context.obj([round(box.x), round(box.y), round(box.x + box.width), round(box.y + box.height)]));
}

/** Moves everything drawn on the page by (dx, dy), keeping the page's own graphics state sealed off. */
function shiftContent(doc: PDFDocument, page: PDFPage, dx: number, dy: number): void {
  page.node.normalize();
  const before = doc.context.register(doc.context.stream(`q 1 0 0 1 ${dx.toFixed(3)} ${dy.toFixed(3)} cm`));
  const after = doc.context.register(doc.context.stream("Q"));
  page.node.wrapContentStreams(before, after);
}

/** Crop marks at the four corners of the trim, starting beyond the bleed. */
function drawCropMarks(page: PDFPage, trim: Box, bleed: number): void {
  const gap = bleed + MARK_GAP_MM * PT_PER_MM;
  const length = MARK_LENGTH_MM * PT_PER_MM;
  const style = { thickness: 0.25, color: grayscale(0) };
  const left = trim.x;
  const right = trim.x + trim.width;
  const bottom = trim.y;
  const top = trim.y + trim.height;
  for (const x of [left, right]) {
    const outward = x === left ? -1 : 1;
    for (const y of [bottom, top]) {
      const up = y === top ? 1 : -1;
      // A horizontal mark on the line of the trim's top or bottom edge, out to the side.
      page.drawLine({ start: { x: x + outward * gap, y }, end: { x: x + outward * (gap + length), y }, ...style });
      // A vertical mark on the line of the trim's left or right edge, out above or below.
      page.drawLine({ start: { x, y: y + up * gap }, end: { x, y: y + up * (gap + length) }, ...style });
    }
  }
}

/** Takes the page's links off it; returns them. */
function removeLinks(page: PDFPage): PDFRef[] {
  const annots = page.node.lookupMaybe(PDFName.of("Annots"), PDFArray);
  if (!annots) return [];
  const isLink = (ref: PDFObject) => page.doc.context.lookupMaybe(ref, PDFDict)?.get(PDFName.of("Subtype"))?.toString() === "/Link";
  const kept = annots.asArray().filter((ref) => !isLink(ref));
  if (kept.length) page.node.set(PDFName.of("Annots"), page.doc.context.obj(kept));
  else page.node.delete(PDFName.of("Annots"));
  return annots.asArray().filter((ref): ref is PDFRef => ref instanceof PDFRef && isLink(ref));
}

/**
 * Removes annotations taken off the pages from the file itself: from the structure
 * tree (a `Link` element's object reference, which becomes a `Span` of its text,
 * and the parent tree's entry for the annotation), then every object no longer
 * reachable from the document, the annotations first among them. A validator would
 * otherwise find a structure that points at annotations no page shows.
 */
export function forgetAnnotations(doc: PDFDocument, annotations: PDFRef[]): void {
  if (!annotations.length) return;
  const ctx = doc.context;
  const gone = new Set<PDFObject>(annotations);
  const root = doc.catalog.lookupMaybe(PDFName.of("StructTreeRoot"), PDFDict);
  if (root) {
    const keys = new Set(
      annotations.map((ref) => ctx.lookupMaybe(ref, PDFDict)?.lookupMaybe(PDFName.of("StructParent"), PDFNumber)?.asNumber()).filter((k) => k !== undefined),
    );
    const parentTree = root.lookupMaybe(PDFName.of("ParentTree"), PDFDict);
    if (parentTree) pruneNumberTree(doc, parentTree, keys);
    pruneStructure(doc, root, gone);
  }
  dropUnreachable(doc);
}

/** Removes the entries with these keys from a number tree (the structure's parent tree), its limits kept true. */
function pruneNumberTree(doc: PDFDocument, node: PDFDict, keys: Set<number>, depth = 0): void {
  if (depth > 32) return;
  const nums = node.lookupMaybe(PDFName.of("Nums"), PDFArray);
  if (nums) {
    const pairs: PDFObject[] = [];
    for (let i = 0; i + 1 < nums.size(); i += 2) {
      const key = nums.lookupMaybe(i, PDFNumber)?.asNumber();
      if (key === undefined || !keys.has(key)) pairs.push(nums.get(i), nums.get(i + 1));
    }
    node.set(PDFName.of("Nums"), doc.context.obj(pairs));
    const first = pairs[0];
    const last = pairs[pairs.length - 2];
    if (node.has(PDFName.of("Limits")) && first && last) node.set(PDFName.of("Limits"), doc.context.obj([first, last]));
  }
  for (const kid of node.lookupMaybe(PDFName.of("Kids"), PDFArray)?.asArray() ?? []) {
    const dict = doc.context.lookupMaybe(kid, PDFDict);
    if (dict) pruneNumberTree(doc, dict, keys, depth + 1);
  }
}

/** Takes the object references to these annotations out of every structure element's kids. */
function pruneStructure(doc: PDFDocument, root: PDFDict, gone: Set<PDFObject>): void {
  const ctx = doc.context;
  const seen = new Set<PDFDict>();
  const stack: PDFDict[] = [root];
  // A kid is an element, a marked-content reference, an object reference, or a bare MCID (a number).
  const dictOf = (kid: PDFObject) => {
    const object = ctx.lookup(kid);
    return object instanceof PDFDict ? object : undefined;
  };
  const isGoneObjr = (kid: PDFObject) => {
    const dict = dictOf(kid);
    return dict?.get(PDFName.of("Type")) === PDFName.of("OBJR") && gone.has(dict.get(PDFName.of("Obj"))!);
  };
  while (stack.length) {
    const element = stack.pop()!;
    if (seen.has(element)) continue;
    seen.add(element);
    const k = element.get(PDFName.of("K"));
    const kids = ctx.lookup(k);
    const list = kids instanceof PDFArray ? kids.asArray() : k ? [k] : [];
    const kept = list.filter((kid) => !isGoneObjr(kid));
    if (kept.length < list.length) {
      if (!kept.length) element.delete(PDFName.of("K"));
      else element.set(PDFName.of("K"), kept.length === 1 ? kept[0]! : ctx.obj(kept));
      // Without its annotation a Link is only text: a Span, as the structure's rules want.
      if (element.get(PDFName.of("S")) === PDFName.of("Link")) element.set(PDFName.of("S"), PDFName.of("Span"));
    }
    for (const kid of kept) {
      const dict = dictOf(kid);
      if (dict && dict.get(PDFName.of("Type")) !== PDFName.of("OBJR") && dict.get(PDFName.of("Type")) !== PDFName.of("MCR")) stack.push(dict);
    }
  }
}

/** Deletes the objects that nothing in the document refers to any more, starting from the trailer. */
function dropUnreachable(doc: PDFDocument): void {
  const ctx = doc.context;
  const reached = new Set<string>();
  const stack: PDFObject[] = [ctx.trailerInfo.Root, ctx.trailerInfo.Info].filter((o): o is PDFObject => o !== undefined);
  while (stack.length) {
    const object = stack.pop()!;
    if (object instanceof PDFRef) {
      if (reached.has(object.tag)) continue;
      reached.add(object.tag);
      const target = ctx.lookup(object);
      if (target) stack.push(target);
    } else if (object instanceof PDFDict) {
      stack.push(...object.values());
    } else if (object instanceof PDFArray) {
      stack.push(...object.asArray());
    } else if ("dict" in object && object.dict instanceof PDFDict) {
      stack.push(object.dict); // a stream
    }
  }
  for (const [ref] of ctx.enumerateIndirectObjects()) if (!reached.has(ref.tag)) ctx.delete(ref);
}
