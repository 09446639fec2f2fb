import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { promisify } from "node:util";
import {
  EncryptedPDFError, PDFArray, PDFContext, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFRef,
  PDFStream, PDFString, type PDFObject, type PDFPage,
} from "pdf-lib";
import { DigestError } from "../errors.js";
import { streamBytes, streamText } from "../press/content-stream.js";
import { inkCoverage } from "./ink-coverage.js";
import { MarksReader, isNeutral, platesOf, type Colour, type PageMarks } from "./page-marks.js";
import type { CheckStatus, PreflightCheck, PreflightOptions, PreflightReport } from "./report.js";
import { layoutChecks, layoutReport } from "./layout-report.js";

export type { CheckStatus, PreflightCheck, PreflightOptions, PreflightReport } from "./report.js";
export { formatPreflight } from "./report.js";

const PT_PER_MM = 72 / 25.4;
const name = (n: string) => PDFName.of(n);
const unique = (xs: Iterable<number>) => [...new Set(xs)].sort((a, b) => a - b);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
const onAll = (pages: number) => (pages === 1 ? "on the one page" : `on all ${pages} pages`);
/** Millimetres to 0.1 mm, without a trailing ".0": printers read "210 × 297", not "210.0 × 297.0". */
const mm = (pt: number) => String(Number((pt / PT_PER_MM).toFixed(1)));

/** Runs a poppler tool; a missing tool or an unreadable file becomes a one-line error for the user. */
async function poppler(tool: string, args: string[]): Promise<string> {
  try {
    return (await promisify(execFile)(tool, args, { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 })).stdout;
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === "ENOENT") throw new DigestError(`${tool} not found: preflight needs poppler-utils`, "Install it: sudo apt-get install poppler-utils");
    throw new DigestError(`${tool} could not read the PDF: ${(e.stderr ?? "").trim().split("\n")[0] || e.message}`);
  }
}

async function loadPdf(path: string, shown: string): Promise<PDFDocument> {
  const bytes = await readFile(path).catch((e: NodeJS.ErrnoException) => {
    throw new DigestError(e.code === "ENOENT" ? `No such file: ${shown}` : e.code === "EISDIR" ? `${shown} is a folder, not a PDF` : `Cannot read ${shown}: ${e.message}`);
  });
  // The spec lets the header start anywhere in the first 1024 bytes.
  if (!bytes.subarray(0, 1024).includes("%PDF-")) throw new DigestError(`${shown} is not a PDF`);
  try {
    return await PDFDocument.load(bytes, { updateMetadata: false });
  } catch (error) {
    if (error instanceof EncryptedPDFError) throw new DigestError(`${shown} is encrypted: printers need an unencrypted PDF`);
    throw new DigestError(`${shown} is not a readable PDF: ${(error as Error).message.split("\n")[0]}`);
  }
}

/** A poppler table's rows as tokens. Columns are counted from the right, where a long name or a type with spaces ("CID TrueType") cannot shift them. */
const table = (out: string, columns: number) => out.split("\n").slice(2).map((l) => l.trim().split(/\s+/)).filter((t) => t.length >= columns);
interface FontRow { name: string; type: string; embedded: boolean; id: string }
/** `pdffonts`: name, type, encoding, emb, sub, uni, object ID ("5 0", or "[none]" for a direct object: padded to two tokens). */
const parseFonts = (out: string): FontRow[] =>
  table(out, 7).map((r) => (r.at(-1) === "[none]" ? [...r, ""] : r))
    .map((t) => ({ name: t[0]!, type: t.slice(1, -6).join(" "), embedded: t.at(-5) === "yes", id: t.slice(-2).join(" ") }));
interface ImageRow { page: number; type: string; colour: string; ppi: number }
/** `pdfimages -list` (an inline image's object ID is one token, "[inline]"); the effective resolution is the lower of x-ppi and y-ppi. */
const parseImages = (out: string): ImageRow[] =>
  table(out, 15).map((t) => ({ page: Number(t[0]), type: t[2]!, colour: t[5]!, ppi: Math.min(Number(t.at(-4)), Number(t.at(-3))) }));

const [RGB_IMAGE, RGB_SPACE, RGB_OPERATOR, RGB_BLEND] = ["RGB images", "RGB colour spaces", "rg/RG colour operators", "RGB blending space"];
const NUM = String.raw`[-+]?(?:\d+\.?\d*|\.\d+)`;
const RGB_OPERATORS = new RegExp(String.raw`(?<![\w.+-])(?:${NUM}\s+){3}(?:rg|RG)(?![\w#])`);
/** `/DeviceRGB cs` in a content stream, or an inline image's `/CS /RGB`. */
const RGB_IN_CONTENT = /\/DeviceRGB(?![\w#])|\/CS\s*\/RGB(?![\w#])/;

interface Found { rgb: Set<string>; fonts: Set<string> }
const found = (): Found => ({ rgb: new Set(), fonts: new Set() });

/** Finds the fonts and RGB a page uses, through forms, patterns, Type 3 glyphs and annotations; shared objects are read once. */
class Walker {
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

interface Box { x0: number; y0: number; x1: number; y1: number }
interface Geometry { page: number; media: Box; bleed: Box; trim: Box; hasBleed: boolean; hasTrimOrArt: boolean; quarterTurn: boolean }
const boxOf = (r: { x: number; y: number; width: number; height: number }): Box => ({
  x0: Math.min(r.x, r.x + r.width), y0: Math.min(r.y, r.y + r.height),
  x1: Math.max(r.x, r.x + r.width), y1: Math.max(r.y, r.y + r.height),
});
const contains = (outer: Box, inner: Box, tol: number) =>
  inner.x0 >= outer.x0 - tol && inner.y0 >= outer.y0 - tol && inner.x1 <= outer.x1 + tol && inner.y1 <= outer.y1 + tol;
/** How far `outer` reaches beyond `inner`: left, bottom, right, top. */
const margins = (outer: Box, inner: Box) => [inner.x0 - outer.x0, inner.y0 - outer.y0, outer.x1 - inner.x1, outer.y1 - inner.y1];
const geometry = (page: PDFPage, index: number): Geometry => ({
  page: index + 1, media: boxOf(page.getMediaBox()), bleed: boxOf(page.getBleedBox()), trim: boxOf(page.getTrimBox()),
  hasBleed: !!page.node.BleedBox(), hasTrimOrArt: !!(page.node.TrimBox() ?? page.node.ArtBox()), quarterTurn: page.getRotation().angle % 180 !== 0,
});

const check = (id: string, title: string, status: CheckStatus, detail: string, pages?: number[]): PreflightCheck =>
  pages?.length ? { id, title, status, detail, pages } : { id, title, status, detail };

function checkFonts(rows: FontRow[], fontPages: Map<string, number[]>): PreflightCheck {
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

function checkBoxes(geo: Geometry[]): PreflightCheck {
  const title = "MediaBox ⊇ BleedBox ⊇ TrimBox";
  const bleedOut = geo.filter((g) => !contains(g.media, g.bleed, 0.01)).map((g) => g.page);
  const trimOut = geo.filter((g) => !contains(g.bleed, g.trim, 0.01)).map((g) => g.page);
  if (!bleedOut.length && !trimOut.length) return check("page-boxes", title, "pass", `nested ${onAll(geo.length)}`);
  const detail = [bleedOut.length ? "BleedBox outside the MediaBox" : "", trimOut.length ? "TrimBox outside the BleedBox" : ""].filter(Boolean).join("; ");
  return check("page-boxes", title, "fail", detail, unique([...bleedOut, ...trimOut]));
}

function checkTrimSize(geo: Geometry[]): PreflightCheck {
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

function checkBleed(geo: Geometry[], bleedMm: number, screen: boolean): PreflightCheck {
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

function checkPageCount(pages: number, binding: "saddle-stitch" | "perfect", screen: boolean): PreflightCheck {
  const title = "Page count fits the binding";
  if (screen) return check("page-count", title, "pass", "screen edition");
  const [unit, rule] = binding === "saddle-stitch" ? [4, "a multiple of 4 for saddle-stitch"] : [2, "an even count for perfect binding"];
  const short = (unit - (pages % unit)) % unit;
  if (!short) return check("page-count", title, "pass", `${plural(pages, "page")}: ${rule}`);
  return check("page-count", title, "fail", `${plural(pages, "page")}: not ${rule} (add ${plural(short, "blank page")})`);
}

/** Print wants 300 ppi (150 is the least a printer accepts); a screen shows 96 ppi and more well, so there a low figure is only noted. */
function checkImages(rows: ImageRow[], screen: boolean): PreflightCheck {
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

function checkColour(rgbPages: Map<string, number[]>, pdfx: boolean): PreflightCheck {
  const title = pdfx ? "No RGB (CMYK/Gray only)" : "Colour spaces";
  if (!rgbPages.size) return check("colour-spaces", title, "pass", "CMYK/Gray only");
  const [what, pages] = [[...rgbPages.keys()].join(", "), unique([...rgbPages.values()].flat())];
  return check("colour-spaces", title, pdfx ? "fail" : "pass", `${pdfx ? "RGB found" : "RGB (fine for a digital printer; use --pdfx for offset)"}: ${what}`, pages);
}

const text = (o: PDFObject | undefined) => (o instanceof PDFString || o instanceof PDFHexString ? o.decodeText() : undefined);
/** Characterisations in the ICC registry: an output intent naming one may leave out the profile (PDF/X-3). */
const REGISTERED = /^(FOGRA\d+|CGATS|GRACoL|SWOP|JC\s?\d+|JCW\s?\d+|IFRA\d+|CRPC\d|IDEAlliance|JapanColor)/i;

function checkPdfx(doc: PDFDocument, geo: Geometry[], required: boolean): PreflightCheck {
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

function checkInkCoverage(coverage: number[] | Error | undefined, limit: number, skipped: string): PreflightCheck {
  const title = `Total area coverage ≤ ${limit} %`;
  if (!coverage) return check("ink-coverage", title, "pass", skipped);
  // A check that could not run is not a pass: said, and the rest of the report stands.
  if (coverage instanceof Error) return check("ink-coverage", title, "warn", `not measured: ${coverage.message}`);
  if (!coverage.length) return check("ink-coverage", title, "pass", "no pages");
  const highest = Math.max(...coverage);
  const page = coverage.indexOf(highest) + 1;
  const over = coverage.flatMap((c, i) => (c > limit ? [i + 1] : []));
  if (!over.length) return check("ink-coverage", title, "pass", `highest ${highest} % (p. ${page})`);
  return check("ink-coverage", title, "fail", `highest ${highest} % (p. ${page}), over ${limit} % on ${plural(over.length, "page")}: lighten the darkest colours or pictures`, over);
}

/** Text this small fuzzes when the plates are out of register: black and grey belong on the black plate alone. */
const SMALL_TEXT_PT = 12;
const pt = (n: number) => `${Number(n.toFixed(2))} pt`;

function checkSmallText(marks: PageMarks[], skipped: string | undefined): PreflightCheck {
  const title = `Text below ${SMALL_TEXT_PT} pt on one plate`;
  if (skipped) return check("small-text", title, "pass", skipped);
  const found = { neutral: { pages: new Set<number>(), smallest: Infinity }, colour: { pages: new Set<number>(), smallest: Infinity } };
  let [small, unknown] = [0, 0];
  marks.forEach((m, i) => {
    for (const run of m.text) {
      if (run.size >= SMALL_TEXT_PT - 0.01) continue;
      small++;
      const plates = new Set(run.colours.flatMap((c: Colour) => platesOf(c) ?? ["?"]));
      if (plates.has("?")) unknown++;
      if (plates.size - (plates.has("?") ? 1 : 0) < 2) continue;
      const kind = run.colours.every(isNeutral) ? found.neutral : found.colour;
      kind.pages.add(i + 1);
      kind.smallest = Math.min(kind.smallest, run.size);
    }
  });
  const { neutral, colour } = found;
  const coloured = colour.pages.size ? `coloured text on several plates, down to ${pt(colour.smallest)} (keep it bold or large enough to stand misregistration)` : "";
  if (neutral.pages.size) {
    const detail = [`black or grey text on several plates, down to ${pt(neutral.smallest)}: set it in black only (K)`, coloured].filter(Boolean).join("; ");
    return check("small-text", title, "fail", detail, unique([...neutral.pages, ...colour.pages]));
  }
  if (coloured) return check("small-text", title, "note", `black and grey on the black plate only; ${coloured}`, unique(colour.pages));
  if (!small) return check("small-text", title, "pass", `no text below ${SMALL_TEXT_PT} pt`);
  if (unknown) return check("small-text", title, "pass", "RGB text: its plates are set when it is converted to CMYK (the PDF/X edition prints black and grey on K only)");
  return check("small-text", title, "pass", "black and grey on the black plate only");
}

/** Lines thinner than this may break up or vanish on the press. */
const HAIRLINE_PT = 0.25;

function checkHairlines(marks: PageMarks[], screen: boolean): PreflightCheck {
  const title = `No lines thinner than ${HAIRLINE_PT} pt`;
  if (screen) return check("hairlines", title, "pass", "screen edition");
  const pages = new Set<number>();
  let [count, thinnest] = [0, Infinity];
  marks.forEach((m, i) => {
    for (const line of m.lines) {
      if (line.width >= HAIRLINE_PT - 0.001) continue;
      pages.add(i + 1);
      count++;
      thinnest = Math.min(thinnest, line.width);
    }
  });
  if (!count) return check("hairlines", title, "pass", "none");
  const width = thinnest === 0 ? "0 pt (the thinnest the output device can draw)" : pt(thinnest);
  return check("hairlines", title, "warn", `${plural(count, "line")} thinner than ${HAIRLINE_PT} pt, thinnest ${width}: may not print`, unique(pages));
}

/** Annotations a printer wants: marks of the printing itself. Anything else (links, comments, form fields) has no place on paper. */
const PRINTER_ANNOTATIONS = new Set(["/PrinterMark", "/TrapNet"]);

interface AnnotationsFound { onPages: Map<string, number[]>; leftInFile: number }

/** Annotations on the pages (by kind), and annotation objects that no page shows but the file still holds. */
function findAnnotations(doc: PDFDocument): AnnotationsFound {
  const onPages = new Map<string, number[]>();
  const shown = new Set<PDFObject>();
  doc.getPages().forEach((page, i) => {
    for (const ref of page.node.Annots()?.asArray() ?? []) {
      shown.add(ref);
      const kind = doc.context.lookupMaybe(ref, PDFDict)?.get(name("Subtype"))?.toString() ?? "/Annot";
      if (!PRINTER_ANNOTATIONS.has(kind)) onPages.set(kind, [...(onPages.get(kind) ?? []), i + 1]);
    }
  });
  let leftInFile = 0;
  for (const [ref, object] of doc.context.enumerateIndirectObjects()) {
    if (shown.has(ref) || !(object instanceof PDFDict)) continue;
    const isAnnot = object.get(name("Type")) === name("Annot") || (object.has(name("Rect")) && object.has(name("Subtype")) && !object.has(name("Type")));
    if (isAnnot && !PRINTER_ANNOTATIONS.has(object.get(name("Subtype"))?.toString() ?? "")) leftInFile++;
  }
  return { onPages, leftInFile };
}

function checkAnnotations(found: AnnotationsFound, screen: boolean): PreflightCheck {
  const title = screen ? "Annotations (screen)" : "No annotations (print)";
  const onPages = [...found.onPages.entries()];
  const count = onPages.reduce((n, [, p]) => n + p.length, 0);
  if (screen) return check("annotations", title, "pass", count ? `${plural(count, "annotation")} (links work on screen)` : "none");
  if (count) {
    const kinds = onPages.map(([kind, p]) => `${p.length} ${kind.slice(1)}`).join(", ");
    return check("annotations", title, "fail", `${kinds} on the pages: a print edition has no links or comments`, unique(onPages.flatMap(([, p]) => p)));
  }
  if (found.leftInFile) return check("annotations", title, "warn", `${plural(found.leftInFile, "annotation")} left in the file on no page (a validator reports them)`);
  return check("annotations", title, "pass", "none");
}

/** Whether the file says it is PDF/X: a GTS_PDFXVersion in its info, or a GTS_PDFX output intent. */
function claimsPdfx(doc: PDFDocument): boolean {
  const info = doc.context.lookupMaybe(doc.context.trailerInfo.Info, PDFDict);
  if (info?.get(name("GTS_PDFXVersion"))) return true;
  const intents = doc.catalog.lookupMaybe(name("OutputIntents"), PDFArray)?.asArray() ?? [];
  return intents.some((i) => doc.context.lookupMaybe(i, PDFDict)?.lookup(name("S")) === name("GTS_PDFX"));
}

/** Checks a PDF the way a printer's preflight does: fonts, page boxes, trim, bleed, page count, image resolution, colour, PDF/X, ink coverage, small text, hairlines, annotations; with `layout`, the layout report too. */
export async function preflight(pdfPath: string, options: PreflightOptions = {}): Promise<PreflightReport> {
  const path = resolve(pdfPath);
  // pdffonts reads the file in a process of its own while pdf-lib's copy is parsed and walked here.
  const fontsTool = poppler("pdffonts", [path]);
  fontsTool.catch(() => {}); // a file that is not a PDF is reported by loadPdf, in the user's words
  const doc = await loadPdf(path, pdfPath);
  // poppler reads the words for the layout report meanwhile.
  const layoutRun = options.layout ? layoutReport(path, { doc }) : undefined;
  layoutRun?.catch(() => {});
  const pages = doc.getPages();
  const geo = pages.map(geometry);
  const screen = options.screen ?? false;
  // Each content stream is inflated once, for the walker and the marks reader both.
  const texts = new Map<PDFObject, string | undefined>();
  const textOf = (stream: PDFObject | undefined) => {
    if (!stream) return undefined;
    if (!texts.has(stream)) texts.set(stream, streamText(stream));
    return texts.get(stream);
  };
  const walker = new Walker(doc.context, textOf);
  const reader = new MarksReader(doc.context, textOf);
  const [fontPages, rgbPages] = [new Map<string, number[]>(), new Map<string, number[]>()];
  const marks: PageMarks[] = [];
  const note = (map: Map<string, number[]>, key: string, page: number) => map.set(key, [...(map.get(key) ?? []), page]);
  pages.forEach((page, i) => {
    const f = walker.page(page);
    f.fonts.forEach((id) => note(fontPages, id, i + 1));
    f.rgb.forEach((reason) => note(rgbPages, reason, i + 1));
    // A screen edition is not printed: no plates, no lines to hold.
    if (!screen) marks.push(reader.page(page));
  });
  // Ink is measured where it is known: on a printed edition in CMYK (and grey). RGB gets its ink when it is converted.
  const tac = options.tacPercent ?? 300;
  const coverage = !screen && !rgbPages.size ? inkCoverage(path).catch((error: Error) => error) : undefined;
  // pdfimages reads every page's content (half a second for 160 pages): only when there are pictures.
  const [fontsOut, imagesOut, inks] = await Promise.all([fontsTool, walker.images ? poppler("pdfimages", ["-list", path]) : "", coverage]);
  const images = parseImages(imagesOut);
  for (const image of images) if (image.colour === "rgb") note(rgbPages, RGB_IMAGE, image.page);

  // A file that says it is PDF/X is held to PDF/X: no RGB at all.
  const pdfx = options.pdfx ?? claimsPdfx(doc);
  const checks = [
    checkFonts(parseFonts(fontsOut), fontPages),
    checkBoxes(geo),
    checkTrimSize(geo),
    checkBleed(geo, options.bleedMm ?? 3, screen),
    checkPageCount(pages.length, options.binding ?? "saddle-stitch", screen),
    checkImages(images, screen),
    checkColour(rgbPages, pdfx),
    checkPdfx(doc, geo, pdfx),
    checkInkCoverage(inks, tac, screen ? "screen edition" : "not measured: RGB gets its ink when it is converted to CMYK (the PDF/X edition is measured)"),
    checkSmallText(marks, screen ? "screen edition" : undefined),
    checkHairlines(marks, screen),
    checkAnnotations(findAnnotations(doc), screen),
  ];
  const report: PreflightReport = { file: pdfPath, pages: pages.length, checks, ok: checks.every((c) => c.status !== "fail") };
  if (layoutRun) {
    const layout = await layoutRun;
    report.layout = { ...layout, file: pdfPath, checks: layoutChecks(layout) };
    report.ok &&= report.layout.checks.every((c) => c.status !== "fail");
  }
  return report;
}
