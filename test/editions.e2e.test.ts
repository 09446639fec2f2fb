import { beforeAll, describe, expect, it } from "vitest";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFStream, decodePDFRawStream } from "pdf-lib";
import { buildIssue, type BuildReport } from "../src/index.js";
import { info, pageText } from "./helpers/pdf.js";
import { defaultCmykProfile } from "../src/press/pdfx.js";

/** The print, screen and PDF/X editions of the sample, read back with `pdfinfo -box` and pdf-lib. */
const root = join(import.meta.dirname, "..");
const dir = mkdtempSync(join(tmpdir(), "digest-editions-"));
const out = join(dir, "2024-q3.pdf");
let report: BuildReport;

beforeAll(async () => {
  report = await buildIssue({ issue: "2024-q3", out, cwd: root, screen: true, pdfx: true, cache: false });
});

const MM = 72 / 25.4;
const A4 = { width: 210 * MM, height: 297 * MM };
const BLEED = 3 * MM;

type Box = [number, number, number, number];
/** Every page's boxes as `pdfinfo -box` prints them. */
function boxes(pdf: string): Record<string, Box>[] {
  const pages = Number(info(pdf).Pages);
  const text = execFileSync("pdfinfo", ["-box", "-f", "1", "-l", String(pages), pdf], { encoding: "utf8" });
  const result: Record<string, Box>[] = [];
  for (const m of text.matchAll(/^Page\s+(\d+)\s+(\w+Box):\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)/gm)) {
    const page = Number(m[1]) - 1;
    (result[page] ??= {})[m[2]!] = [Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])];
  }
  return result;
}

const width = (b: Box) => b[2] - b[0];
const height = (b: Box) => b[3] - b[1];

async function linkCount(pdf: string): Promise<number> {
  const doc = await PDFDocument.load(readFileSync(pdf), { updateMetadata: false });
  let links = 0;
  for (const page of doc.getPages()) {
    const annots = page.node.lookupMaybe(PDFName.of("Annots"), PDFArray);
    for (const ref of annots?.asArray() ?? []) {
      if (doc.context.lookupMaybe(ref, PDFDict)?.get(PDFName.of("Subtype"))?.toString() === "/Link") links++;
    }
  }
  return links;
}

describe("the build's own preflight", () => {
  it("passes every edition", () => {
    expect(report.preflight.map((p) => [p.edition, p.report.ok])).toEqual([
      ["print", true],
      ["screen", true],
      ["pdfx", true],
    ]);
    const pdfx = report.preflight.find((p) => p.edition === "pdfx")!.report;
    expect(pdfx.checks.find((c) => c.id === "colour-spaces")?.detail).toBe("CMYK/Gray only");
  });
});

describe("the print edition", () => {
  it("has on every page a TrimBox of the A4 trim, a BleedBox 3 mm beyond it, and a MediaBox around both (to 0.1 pt)", () => {
    const pages = boxes(out);
    expect(pages.length).toBe(report.pageCount);
    for (const [i, b] of pages.entries()) {
      const { MediaBox: media, BleedBox: bleed, TrimBox: trim } = b as Record<string, Box>;
      expect(width(trim!), `page ${i + 1} trim width`).toBeCloseTo(A4.width, 1);
      expect(height(trim!), `page ${i + 1} trim height`).toBeCloseTo(A4.height, 1);
      for (const k of [0, 1]) expect(trim![k]! - bleed![k]!, `page ${i + 1} bleed`).toBeCloseTo(BLEED, 1);
      for (const k of [2, 3]) expect(bleed![k]! - trim![k]!, `page ${i + 1} bleed`).toBeCloseTo(BLEED, 1);
      // The marks need room beyond the bleed.
      for (const k of [0, 1]) expect(bleed![k]! - media![k]!).toBeGreaterThan(6 * MM);
      for (const k of [2, 3]) expect(media![k]! - bleed![k]!).toBeGreaterThan(6 * MM);
    }
  });

  it("has a page count that is a multiple of 4 for saddle-stitch", () => {
    expect(report.pageCount % 4).toBe(0);
  });

  it("draws crop marks outside the bleed, and the cover's artwork runs into the bleed", () => {
    // Render page 1 at 72 dpi (1 px = 1 pt) in grey and look at single pixels.
    const pgm = execFileSync("pdftoppm", ["-r", "72", "-f", "1", "-l", "1", "-gray", out], { maxBuffer: 64 * 1024 * 1024 });
    const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.subarray(0, 40).toString("latin1"))!;
    const [w, h] = [Number(header[1]), Number(header[2])];
    const data = pgm.subarray(header[0].length);
    const at = (x: number, y: number) => data[Math.round(y) * w + Math.round(x)]!; // y from the top
    const b = boxes(out)[0]!;
    const [tx0, ty0, tx1] = b.TrimBox!;
    const [bx0] = b.BleedBox!;
    const top = (yPdf: number) => h - yPdf;
    // Inside the bleed, just outside the trim: the cover's navy, not paper.
    expect(at((bx0 + tx0) / 2, top(ty0 + 200))).toBeLessThan(100);
    // Beyond the bleed, level with the trim's left edge: the vertical crop mark is black...
    const markY = top(ty0) + BLEED + 3.5 * MM;
    expect(at(tx0, markY)).toBeLessThan(128);
    // ...and between the marks and the bleed there is white paper.
    expect(at(tx0 + 20, markY)).toBeGreaterThan(200);
    expect(at((tx0 + tx1) / 2, markY)).toBeGreaterThan(200);
  });

  it("has no link annotations", async () => {
    expect(await linkCount(out)).toBe(0);
  });

  it("keeps no annotation objects, and no structure that points at one: qpdf finds nothing wrong", async () => {
    const doc = await PDFDocument.load(readFileSync(out), { updateMetadata: false });
    const left: string[] = [];
    let objrs = 0;
    for (const [ref, obj] of doc.context.enumerateIndirectObjects()) {
      const dict = obj instanceof PDFDict ? obj : undefined;
      if (dict?.get(PDFName.of("Type"))?.toString() === "/Annot" || dict?.get(PDFName.of("Subtype"))?.toString() === "/Link") left.push(ref.toString());
      if (dict && /\/Type \/OBJR/.test(dict.toString())) objrs++;
    }
    expect(left).toEqual([]);
    expect(objrs).toBe(0);
    // The structure tree is still there (the text is tagged), without Link elements that link nothing.
    const tree = doc.catalog.lookup(PDFName.of("StructTreeRoot"), PDFDict);
    expect(tree.lookup(PDFName.of("ParentTree"), PDFDict)).toBeDefined();
    const check = spawnSync("qpdf", ["--check", out], { encoding: "utf8" });
    expect(check.stderr).toBe("");
    expect(check.stdout).toContain("No syntax or stream encoding errors found");
    expect(check.status).toBe(0);
    expect(report.preflight[0]!.report.checks.find((c) => c.id === "annotations")?.detail).toBe("none");
  });
});

/** pdftotext's words with their boxes, in reading order. */
function words(pdf: string, page?: number): { text: string; x: number; y: number }[] {
  const range = page ? ["-f", String(page), "-l", String(page)] : [];
  const html = execFileSync("pdftotext", ["-bbox", "-enc", "UTF-8", ...range, pdf, "-"], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  return [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)<\/word>|<page /g)].map((m) =>
    m[0] === "<page " ? { text: "", x: 0, y: -1 } : { text: m[3]!, x: Number(m[1]), y: Number(m[2]) },
  );
}

describe("the text layer", () => {
  it("has soft hyphens only where a line ends, in the print and screen editions", () => {
    for (const pdf of [out, report.editions.screen!]) {
      const list = words(pdf);
      const hyphenated = list.flatMap((w, i) => (w.text.includes("\u00AD") ? [{ word: w, next: list[i + 1] }] : []));
      // The sample breaks words at line ends: they keep their hyphen.
      expect(hyphenated.length, pdf).toBeGreaterThan(20);
      for (const { word, next } of hyphenated) {
        expect(word.text, pdf).toMatch(/^[^\u00AD]+\u00AD-?$/);
        // The next word starts another line (or page, or column): it is not on this word's line.
        if (next && next.y >= 0) expect(Math.abs(next.y - word.y), `${word.text} ${next.text}`).toBeGreaterThan(1);
      }
    }
  });

  it("reads as whole words: searching the screen edition for “distinguished” finds the foreword", () => {
    const foreword = report.pages["a-foreword"]!;
    const found = Array.from({ length: report.pageCount }, (_, i) => i + 1).filter((p) =>
      /\bdistinguished\b/i.test(execFileSync("pdftotext", ["-f", String(p), "-l", String(p), "-enc", "UTF-8", report.editions.screen!, "-"], { encoding: "utf8" })),
    );
    expect(found).toContain(foreword);
    expect(execFileSync("pdftotext", ["-f", String(foreword), "-l", String(foreword), "-enc", "UTF-8", out, "-"], { encoding: "utf8" })).toMatch(/Distinguished colleagues/);
  });
});

describe("the screen edition", () => {
  it("is cut to the trim: every box is the A4 page, no bleed, no marks", () => {
    expect(report.editions.screen).toBe(join(dir, "2024-q3.screen.pdf"));
    for (const b of boxes(report.editions.screen!)) {
      for (const name of ["MediaBox", "CropBox", "BleedBox", "TrimBox"]) {
        expect(width(b[name]!)).toBeCloseTo(A4.width, 1);
        expect(height(b[name]!)).toBeCloseTo(A4.height, 1);
      }
    }
  });

  it("keeps the contents' links and the bookmarks", async () => {
    expect(await linkCount(report.editions.screen!)).toBeGreaterThanOrEqual(24);
    const doc = await PDFDocument.load(readFileSync(report.editions.screen!), { updateMetadata: false });
    expect(doc.catalog.lookupMaybe(PDFName.of("Outlines"), PDFDict)).toBeDefined();
    expect(Number(info(report.editions.screen!).Pages)).toBe(report.pageCount);
  });
});

describe("the PDF/X edition", () => {
  it("declares PDF/X in its info and carries a CMYK output intent with the profile", async () => {
    const pdf = report.editions.pdfx!;
    expect(pdf).toBe(join(dir, "2024-q3.pdfx.pdf"));
    const doc = await PDFDocument.load(readFileSync(pdf), { updateMetadata: false });
    const infoDict = doc.context.lookup(doc.context.trailerInfo.Info, PDFDict);
    expect(infoDict.get(PDFName.of("GTS_PDFXVersion"))?.toString()).toMatch(/PDF\/X-[34]/);
    const intents = doc.catalog.lookup(PDFName.of("OutputIntents"), PDFArray);
    const intent = intents.lookup(0, PDFDict);
    expect(intent.get(PDFName.of("S"))?.toString()).toBe("/GTS_PDFX");
    const profile = intent.lookup(PDFName.of("DestOutputProfile"), PDFStream);
    expect(profile.dict.get(PDFName.of("N"))?.toString()).toBe("4");
  });

  it("prints black and grey text on the black plate only, and keeps real colours in four inks", async () => {
    const pdf = report.editions.pdfx!;
    const doc = await PDFDocument.load(readFileSync(pdf), { updateMetadata: false });
    /** Per page: how many text operators each (font size, fill colour) shows, read from the decompressed content. */
    const textColours = doc.getPages().map((page) => {
      const contents = page.node.Contents();
      const streams = contents instanceof PDFArray ? contents.asArray() : [page.node.get(PDFName.of("Contents"))];
      const content = streams.map((r) => Buffer.from(decodePDFRawStream(doc.context.lookup(r) as PDFRawStream).decode()).toString("latin1")).join("\n");
      const counts = new Map<string, number>();
      let [colour, size] = ["?", "?"];
      for (const m of content.matchAll(/((?:[\d.]+\s+){1,4})(g|k|rg)\b|\/\S+\s+([\d.]+)\s+Tf\b|(TJ|Tj)\b|'/g)) {
        if (m[2]) colour = `${m[1]!.trim()} ${m[2]}`;
        else if (m[3]) size = m[3];
        else counts.set(`${size}|${colour}`, (counts.get(`${size}|${colour}`) ?? 0) + 1);
      }
      return counts;
    });
    const kOnly = (colour: string) => /^[\d.]+ g$/.test(colour) || /^0 0 0 [\d.]+ k$/.test(colour);
    const cmyk = (colour: string) => (/ k$/.test(colour) ? colour.split(" ").slice(0, 4).map(Number) : undefined);

    // The foreword's body text: the size and colour most text is set in.
    const foreword = textColours[report.pages["a-foreword"]! - 1]!;
    const [body] = [...foreword.entries()].sort((a, b) => b[1] - a[1])[0]!;
    const bodyColour = body.split("|")[1]!;
    expect(kOnly(bodyColour), `body text in ${bodyColour}`).toBe(true);
    // #1a1a1a as grey: 90 % black, printed on the black plate alone.
    expect(Number(bodyColour.split(" ").at(-2))).toBeCloseTo(bodyColour.endsWith(" g") ? 0.102 : 0.898, 2);

    // No text anywhere in a four-colour black (all four inks above half).
    const all = textColours.flatMap((counts) => [...counts.keys()].map((k) => k.split("|")[1]!));
    const richBlack = all.filter((c) => cmyk(c)?.every((v) => v > 0.5));
    expect(richBlack).toEqual([]);
    // The navy of the headlines stays a colour of four inks.
    const navy = all.map(cmyk).filter((c) => c && c[0]! > 0.9 && c[1]! > 0.5 && c[2]! > 0.1);
    expect(navy.length).toBeGreaterThan(0);
    for (const c of navy) for (const ink of c!.slice(0, 3)) expect(ink).toBeGreaterThan(0);

    const smallText = report.preflight.find((p) => p.edition === "pdfx")!.report.checks.find((c) => c.id === "small-text")!;
    expect(smallText.status).not.toBe("fail");
    expect(smallText.detail).toMatch(/^black and grey on the black plate only/);
  });

  it("has no DeviceRGB left, keeps the page boxes and embeds the fonts", async () => {
    const pdf = report.editions.pdfx!;
    const doc = await PDFDocument.load(readFileSync(pdf), { updateMetadata: false });
    let rgb = 0;
    for (const [, obj] of doc.context.enumerateIndirectObjects()) {
      const dict = obj instanceof PDFDict ? obj : obj instanceof PDFStream ? obj.dict : undefined;
      const cs = dict?.get(PDFName.of("ColorSpace"))?.toString() ?? "";
      if (cs.includes("DeviceRGB")) rgb++;
    }
    expect(rgb).toBe(0);
    expect(execFileSync("pdfimages", ["-list", pdf], { encoding: "utf8" })).not.toMatch(/\brgb\b/);
    const print = boxes(out);
    const pdfx = boxes(pdf);
    expect(pdfx.length).toBe(print.length);
    for (const [i, b] of pdfx.entries()) {
      for (const name of ["BleedBox", "TrimBox"]) b[name]!.forEach((v, k) => expect(v).toBeCloseTo(print[i]![name]![k]!, 1));
    }
    // Nothing was flattened to a bitmap: the text is still text, and no picture appeared.
    expect(pageText(pdf, 2)).toContain("In this issue");
    expect(execFileSync("pdfimages", ["-list", pdf], { encoding: "utf8" }).split("\n").slice(2).filter(Boolean)).toEqual([]);
    const fonts = execFileSync("pdffonts", [pdf], { encoding: "utf8" }).split("\n").slice(2).filter(Boolean);
    expect(fonts.length).toBeGreaterThan(3);
    for (const f of fonts) expect(f).not.toMatch(/Type 3/);
  });
});

describe("the PDF/X edition of an issue with pictures", () => {
  // The sample has no picture: the small fixture issue has one, an RGB PNG, as its spotlight's lead and in an article.
  const fixture = join(root, "test", "fixtures", "minimal", "2025-q1");
  const pdfxDir = mkdtempSync(join(tmpdir(), "digest-pdfx-pictures-"));
  let small: BuildReport;
  beforeAll(async () => {
    small = await buildIssue({ issue: fixture, out: join(pdfxDir, "min.pdf"), pdfx: true, cache: false });
  });

  /** `pdfimages -list`'s rows: page, pixel size, colour and components. */
  const pictures = (pdf: string) =>
    execFileSync("pdfimages", ["-list", pdf], { encoding: "utf8" })
      .split("\n")
      .slice(2)
      .filter(Boolean)
      .map((line) => {
        const c = line.trim().split(/\s+/);
        return { page: Number(c[0]), width: Number(c[3]), height: Number(c[4]), color: c[5]!, comps: Number(c[6]) };
      });

  /** The decoded bytes of every picture (image XObject) in a PDF. */
  async function pictureBytes(pdf: string): Promise<Buffer[]> {
    const doc = await PDFDocument.load(readFileSync(pdf), { updateMetadata: false });
    const found: Buffer[] = [];
    for (const [, obj] of doc.context.enumerateIndirectObjects()) {
      if (obj instanceof PDFRawStream && obj.dict.get(PDFName.of("Subtype"))?.toString() === "/Image") found.push(Buffer.from(decodePDFRawStream(obj).decode()));
    }
    return found;
  }

  /** The bytes of the profile the output intent carries. */
  async function outputProfile(pdf: string): Promise<Buffer> {
    const doc = await PDFDocument.load(readFileSync(pdf), { updateMetadata: false });
    const intent = doc.catalog.lookup(PDFName.of("OutputIntents"), PDFArray).lookup(0, PDFDict);
    return Buffer.from(decodePDFRawStream(intent.lookup(PDFName.of("DestOutputProfile")) as PDFRawStream).decode());
  }

  it("prints the pictures in CMYK or grey only, at their resolution: no RGB is left", async () => {
    const pdfx = small.editions.pdfx!;
    // The premise: the print edition has the pictures, in RGB.
    const print = pictures(small.editions.print);
    expect(print.length).toBeGreaterThanOrEqual(2);
    expect(print.every((p) => p.comps === 3)).toBe(true);
    // The PDF/X edition has the same pictures, on the same pages, every one in CMYK or grey.
    const converted = pictures(pdfx);
    expect(converted.map((p) => [p.page, p.width, p.height])).toEqual(print.map((p) => [p.page, p.width, p.height]));
    for (const p of converted) expect([p.color, p.comps], `the picture on page ${p.page}`).toSatisfy(([color, comps]) => (color === "cmyk" && comps === 4) || (color === "gray" && comps === 1));
    // No RGB colour space anywhere, not even one described by an ICC profile of three components.
    const doc = await PDFDocument.load(readFileSync(pdfx), { updateMetadata: false });
    const rgb: string[] = [];
    for (const [ref, obj] of doc.context.enumerateIndirectObjects()) {
      const dict = obj instanceof PDFDict ? obj : obj instanceof PDFStream ? obj.dict : undefined;
      const cs = dict?.get(PDFName.of("ColorSpace"))?.toString() ?? "";
      if (/DeviceRGB|CalRGB/.test(cs)) rgb.push(`${ref} ${cs}`);
      if (obj instanceof PDFStream && obj.dict.get(PDFName.of("N"))?.toString() === "3" && obj.dict.get(PDFName.of("Alternate"))?.toString() === "/DeviceRGB") rgb.push(`${ref} ICC RGB profile`);
    }
    expect(rgb).toEqual([]);
    const checks = small.preflight.find((p) => p.edition === "pdfx")!.report.checks;
    expect(checks.find((c) => c.id === "colour-spaces")).toMatchObject({ status: "pass", detail: "CMYK/Gray only" });
    // The print edition's preflight sees the RGB pictures (and lets them pass: it is not PDF/X).
    expect(small.preflight.find((p) => p.edition === "print")!.report.checks.find((c) => c.id === "colour-spaces")!.detail).toContain("RGB images");
    // No low-resolution picture: both counted, the lowest at 300 ppi or more.
    const resolution = checks.find((c) => c.id === "image-resolution")!;
    expect(resolution.status).toBe("pass");
    const m = /^(\d+) images, lowest (\d+) ppi$/.exec(resolution.detail)!;
    expect(Number(m[1])).toBe(converted.length);
    expect(Number(m[2])).toBeGreaterThanOrEqual(300);
  });

  it("carries the printer's profile given with --icc as the output intent, byte for byte", async () => {
    const profiles = "/usr/share/color/icc/ghostscript";
    const other = join(profiles, "ps_cmyk.icc");
    const out = join(pdfxDir, "icc", "min.pdf");
    const r = spawnSync(process.execPath, [join(root, "bin", "digest.js"), "-q", "build", fixture, "--out", out, "--pdfx", "--icc", other, "--no-cache"], { cwd: root, encoding: "utf8", timeout: 240_000 });
    expect(r.status, r.stderr).toBe(0);
    const pdfx = join(pdfxDir, "icc", "min.pdfx.pdf");
    // The output intent is the profile given, byte for byte; without --icc it is Ghostscript's default CMYK profile.
    expect((await outputProfile(pdfx)).equals(readFileSync(other))).toBe(true);
    expect((await outputProfile(small.editions.pdfx!)).equals(readFileSync(defaultCmykProfile()!))).toBe(true);
    expect(readFileSync(other).equals(readFileSync(defaultCmykProfile()!))).toBe(false);
    // The pictures are still converted, to CMYK or grey (by Ghostscript's own CMYK profile: see --icc in the README).
    expect(pictures(pdfx).map((p) => p.color)).toEqual(pictures(small.editions.pdfx!).map((p) => p.color));
    expect((await pictureBytes(pdfx)).length).toBe((await pictureBytes(small.editions.pdfx!)).length);
    // A profile that is not there is said, and no PDF/X is written.
    const missing = spawnSync(process.execPath, [join(root, "bin", "digest.js"), "-q", "build", fixture, "--out", join(pdfxDir, "none", "min.pdf"), "--pdfx", "--icc", "/nowhere/printer.icc", "--no-cache"], { cwd: root, encoding: "utf8", timeout: 240_000 });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("Cannot find the ICC profile `/nowhere/printer.icc`");
  });
});
