// The checks of the file and its pages: fonts, page boxes, trim size, bleed, page
// count for the binding, picture resolution, colour, PDF/X identification.
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFStream, PDFString, type PDFObject, type PDFPage } from "pdf-lib";
import { streamBytes } from "../press/content-stream.js";
import { PT_PER_MM, check, mm, name, onAll, plural, unique, type PreflightCheck } from "./check.js";

export interface FontRow { name: string; type: string; embedded: boolean; id: string }
export interface ImageRow { page: number; type: string; colour: string; ppi: number }

export interface Box { x0: number; y0: number; x1: number; y1: number }
export interface Geometry { page: number; media: Box; bleed: Box; trim: Box; hasBleed: boolean; hasTrimOrArt: boolean; quarterTurn: boolean }
export const boxOf = (r: { x: number; y: number; width: number; height: number }): Box => ({
  x0: Math.min(r.x, r.x + r.width), y0: Math.min(r.y, r.y + r.height),
  x1: Math.max(r.x, r.x + r.width), y1: Math.max(r.y, r.y + r.height),
});
export const contains = (outer: Box, inner: Box, tol: number) =>
  inner.x0 >= outer.x0 - tol && inner.y0 >= outer.y0 - tol && inner.x1 <= outer.x1 + tol && inner.y1 <= outer.y1 + tol;
/** How far `outer` reaches beyond `inner`: left, bottom, right, top. */
export const margins = (outer: Box, inner: Box) => [inner.x0 - outer.x0, inner.y0 - outer.y0, outer.x1 - inner.x1, outer.y1 - inner.y1];
export const geometry = (page: PDFPage, index: number): Geometry => ({
  page: index + 1, media: boxOf(page.getMediaBox()), bleed: boxOf(page.getBleedBox()), trim: boxOf(page.getTrimBox()),
  hasBleed: !!page.node.BleedBox(), hasTrimOrArt: !!(page.node.TrimBox() ?? page.node.ArtBox()), quarterTurn: page.getRotation().angle % 180 !== 0,
});


export function checkFonts(rows: FontRow[], fontPages: Map<string, number[]>): PreflightCheck {
  const title = "Fonts embedded, none Type 3";
  if (!rows.length) return check("fonts-embedded", title, "pass", "no fonts");
  const type3 = rows.filter((r) => r.type === "Type 3");
  const missing = rows.filter((r) => !r.embedded && r.type !== "Type 3");
  if (!type3.length && !missing.length) {
    return check("fonts-embedded", title, "pass", `${plural(rows.length, "font")}, all embedded ${[...new Set(rows.map((r) => r.type))].join(", ")}`);
  }
  const names = (rs: FontRow[]) => [...new Set(rs.map((r) => r.name))].join(", ");
  const detail = [missing.length ? `not embedded: ${names(missing)}` : "", type3.length ? `Type 3 font${type3.length === 1 ? "" : "s"} ${names(type3)}` : ""]
    .filter(Boolean).join("; ");
  return check("fonts-embedded", title, "fail", detail, unique([...type3, ...missing].flatMap((r) => fontPages.get(r.id) ?? [])));
}

export function checkBoxes(geo: Geometry[]): PreflightCheck {
  const title = "MediaBox ⊇ BleedBox ⊇ TrimBox";
  const bleedOut = geo.filter((g) => !contains(g.media, g.bleed, 0.01)).map((g) => g.page);
  const trimOut = geo.filter((g) => !contains(g.bleed, g.trim, 0.01)).map((g) => g.page);
  if (!bleedOut.length && !trimOut.length) return check("page-boxes", title, "pass", `nested ${onAll(geo.length)}`);
  const detail = [bleedOut.length ? "BleedBox outside the MediaBox" : "", trimOut.length ? "TrimBox outside the BleedBox" : ""].filter(Boolean).join("; ");
  return check("page-boxes", title, "fail", detail, unique([...bleedOut, ...trimOut]));
}

export function checkTrimSize(geo: Geometry[]): PreflightCheck {
  const title = "Same trim size on every page";
  const groups: { w: number; h: number; pages: number[] }[] = [];
  for (const g of geo) {
    // A page turned a quarter is seen with its sides swapped.
    const [w, h] = g.quarterTurn ? [g.trim.y1 - g.trim.y0, g.trim.x1 - g.trim.x0] : [g.trim.x1 - g.trim.x0, g.trim.y1 - g.trim.y0];
    const same = groups.find((s) => Math.abs(s.w - w) <= 0.1 && Math.abs(s.h - h) <= 0.1);
    if (same) same.pages.push(g.page);
    else groups.push({ w, h, pages: [g.page] });
  }
  groups.sort((a, b) => b.pages.length - a.pages.length);
  const size = (s: { w: number; h: number }) => `${mm(s.w)} × ${mm(s.h)} mm`;
  if (groups.length <= 1) return check("trim-size", title, "pass", groups[0] ? `${size(groups[0])} ${onAll(geo.length)}` : "no pages");
  const detail = groups.map((s) => `${size(s)} on ${plural(s.pages.length, "page")}`).join(", ");
  return check("trim-size", title, "fail", detail, unique(groups.slice(1).flatMap((s) => s.pages)));
}

export function checkBleed(geo: Geometry[], bleedMm: number, screen: boolean): PreflightCheck {
  const expected = screen ? 0 : bleedMm * PT_PER_MM;
  const title = screen ? "No bleed (screen edition)" : `Bleed of ${mm(expected)} mm on every side`;
  const reasons = new Map<string, number[]>();
  for (const g of geo) {
    const bleed = margins(g.bleed, g.trim);
    let reason = "";
    if (bleed.some((b) => Math.abs(b - expected) > 0.1)) {
      const found = new Set(bleed.map(mm));
      reason = !g.hasBleed && expected > 0 ? "no BleedBox" : found.size === 1 ? `${[...found][0]} mm bleed` : `bleed ${bleed.map(mm).join("/")} mm (left/bottom/right/top)`;
    } else if (screen && margins(g.media, g.trim).some((m) => Math.abs(m) > 0.1)) {
      reason = "MediaBox larger than the TrimBox";
    }
    if (reason) reasons.set(reason, [...(reasons.get(reason) ?? []), g.page]);
  }
  if (!reasons.size) return check("bleed", title, "pass", screen ? `none ${onAll(geo.length)}` : `${mm(expected)} mm ${onAll(geo.length)}`);
  const detail = [...reasons.entries()].map(([r, p]) => `${r} on ${plural(p.length, "page")}`).join("; ");
  return check("bleed", title, "fail", `expected ${screen ? "none" : `${mm(expected)} mm`}; found ${detail}`, unique([...reasons.values()].flat()));
}

export function checkPageCount(pages: number, binding: "saddle-stitch" | "perfect", screen: boolean): PreflightCheck {
  const title = "Page count fits the binding";
  if (screen) return check("page-count", title, "pass", "screen edition");
  const [unit, rule] = binding === "saddle-stitch" ? [4, "a multiple of 4 for saddle-stitch"] : [2, "an even count for perfect binding"];
  const short = (unit - (pages % unit)) % unit;
  if (!short) return check("page-count", title, "pass", `${plural(pages, "page")}: ${rule}`);
  return check("page-count", title, "fail", `${plural(pages, "page")}: not ${rule} (add ${plural(short, "blank page")})`);
}

/** Print wants 300 ppi (150 is the least a printer accepts); a screen shows 96 ppi and more well, so there a low figure is only noted. */
export function checkImages(rows: ImageRow[], screen: boolean): PreflightCheck {
  const title = screen ? "Images at 96 ppi or more (screen)" : "Images at 300 ppi or more";
  const images = rows.filter((r) => (r.type === "image" || r.type === "stencil") && Number.isFinite(r.ppi));
  if (!images.length) return check("image-resolution", title, "pass", "no images");
  const lowest = Math.min(...images.map((r) => r.ppi));
  const low = images.filter((r) => r.ppi < 300);
  if (!low.length) return check("image-resolution", title, "pass", `${plural(images.length, "image")}, lowest ${lowest} ppi`);
  const below = `${low.length} of ${plural(images.length, "image")} below 300 ppi, lowest ${lowest} ppi`;
  if (screen) {
    const status = lowest < 96 ? "warn" : "note";
    return check("image-resolution", title, status, `${below}: ${status === "note" ? "fine on screen" : "may look soft on screen"}, not enough for print`, unique(low.map((r) => r.page)));
  }
  return check("image-resolution", title, lowest < 150 ? "fail" : "warn", below, unique(low.map((r) => r.page)));
}

export function checkColour(rgbPages: Map<string, number[]>, pdfx: boolean): PreflightCheck {
  const title = pdfx ? "No RGB (CMYK/Gray only)" : "Colour spaces";
  if (!rgbPages.size) return check("colour-spaces", title, "pass", "CMYK/Gray only");
  const [what, pages] = [[...rgbPages.keys()].join(", "), unique([...rgbPages.values()].flat())];
  return check("colour-spaces", title, pdfx ? "fail" : "pass", `${pdfx ? "RGB found" : "RGB (fine for a digital printer; use --pdfx for offset)"}: ${what}`, pages);
}

export const text = (o: PDFObject | undefined) => (o instanceof PDFString || o instanceof PDFHexString ? o.decodeText() : undefined);
/** Characterisations in the ICC registry: an output intent naming one may leave out the profile (PDF/X-3). */
export const REGISTERED = /^(FOGRA\d+|CGATS|GRACoL|SWOP|JC\s?\d+|JCW\s?\d+|IFRA\d+|CRPC\d|IDEAlliance|JapanColor)/i;

export function checkPdfx(doc: PDFDocument, geo: Geometry[], required: boolean): PreflightCheck {
  const title = "PDF/X identification and output intent";
  const ctx = doc.context;
  const info = ctx.lookupMaybe(ctx.trailerInfo.Info, PDFDict);
  const xmp = streamBytes(doc.catalog.lookup(name("Metadata")));
  const xmpVersion = xmp && /GTS_PDFXVersion(?:>|=["'])\s*([^<"']+)/.exec(Buffer.from(xmp).toString("utf8"))?.[1];
  const version = text(info?.lookup(name("GTS_PDFXVersion"))) ?? xmpVersion;
  const intents = (doc.catalog.lookupMaybe(name("OutputIntents"), PDFArray)?.asArray() ?? []).map((i) => ctx.lookupMaybe(i, PDFDict));
  const intent = intents.find((i) => i?.lookup(name("S")) === name("GTS_PDFX"));
  if (!required && !version && !intent) return check("pdfx", title, "pass", "not claimed");
  const condition = text(intent?.lookup(name("OutputConditionIdentifier")));
  const profiled = intent?.lookup(name("DestOutputProfile")) instanceof PDFStream;
  const noTrim = geo.filter((g) => !g.hasTrimOrArt).map((g) => g.page);
  const problems = [version ? "" : "no GTS_PDFXVersion in the Info dictionary", noTrim.length ? "no TrimBox" : "",
    !intent ? "no GTS_PDFX output intent" : profiled || REGISTERED.test(condition ?? "") ? "" : "output intent without a DestOutputProfile"].filter(Boolean);
  const claim = required ? "" : " (claimed, not required)";
  if (problems.length) return check("pdfx", title, "fail", problems.join("; ") + claim, noTrim);
  return check("pdfx", title, "pass", `${version}, output intent ${condition ?? "(unnamed)"}${profiled ? " with an ICC profile" : ""}${claim}`);
}


/** Whether the file says it is PDF/X: a GTS_PDFXVersion in its info, or a GTS_PDFX output intent. */
export function claimsPdfx(doc: PDFDocument): boolean {
  const info = doc.context.lookupMaybe(doc.context.trailerInfo.Info, PDFDict);
  if (info?.get(name("GTS_PDFXVersion"))) return true;
  const intents = doc.catalog.lookupMaybe(name("OutputIntents"), PDFArray)?.asArray() ?? [];
  return intents.some((i) => doc.context.lookupMaybe(i, PDFDict)?.lookup(name("S")) === name("GTS_PDFX"));
}
