import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatPreflight, preflight, type PreflightOptions, type PreflightReport } from "../src/preflight/preflight.js";
import { buildIssue } from "../src/index.js";
import { makeBadPdfs, type BadPdf } from "./helpers/bad-pdfs.js";

/**
 * A printer's preflight: each fixture is made to fail one check, so every other
 * check must pass on it and the failing one must name the right pages.
 */
const root = join(import.meta.dirname, "..");
const dir = mkdtempSync(join(tmpdir(), "digest-preflight-"));
let pdfs: Record<BadPdf, string>;

beforeAll(async () => {
  pdfs = await makeBadPdfs(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(pdf: BadPdf, options?: PreflightOptions): Promise<PreflightReport> {
  return preflight(pdfs[pdf], options);
}

function find(report: PreflightReport, id: string) {
  const check = report.checks.find((c) => c.id === id);
  expect(check, `check ${id}`).toBeDefined();
  return check!;
}

/** The statuses of all checks, so one assertion shows everything that differs. */
function statuses(report: PreflightReport): Record<string, string> {
  return Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
}

const allPass = {
  "fonts-embedded": "pass",
  "page-boxes": "pass",
  "trim-size": "pass",
  bleed: "pass",
  "page-count": "pass",
  "image-resolution": "pass",
  "colour-spaces": "pass",
  pdfx: "pass",
  "ink-coverage": "pass",
  "small-text": "pass",
  hairlines: "pass",
  annotations: "pass",
};

describe("preflight of a good print PDF", () => {
  it("passes every check, in a fixed order, with details a printer can read", async () => {
    const report = await run("good");
    expect(report.pages).toBe(4);
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.id)).toEqual(Object.keys(allPass));
    expect(statuses(report)).toEqual(allPass);
    expect(find(report, "fonts-embedded").detail).toBe("1 font, all embedded TrueType");
    expect(find(report, "trim-size").detail).toBe("210 × 297 mm on all 4 pages");
    expect(find(report, "bleed").detail).toBe("3 mm on all 4 pages");
    expect(find(report, "image-resolution").detail).toContain("600 ppi");
    expect(find(report, "colour-spaces").detail).toBe("CMYK/Gray only");
    expect(find(report, "pdfx").detail).toBe("not claimed");
    // CMYK: the ink is measured (the text's 100 % K, the 20/80/0/0 box, a picture under 100 %).
    expect(find(report, "ink-coverage").detail).toMatch(/^highest 100 % \(p\. \d\)$/);
    expect(find(report, "small-text").detail).toBe("no text below 12 pt");
    expect(find(report, "hairlines").detail).toBe("none");
    expect(find(report, "annotations").detail).toBe("none");
    for (const check of report.checks) expect(check.pages).toBeUndefined();
  });

  it("passes as PDF/X only when identified with an output intent", async () => {
    const required = await run("good", { pdfx: true });
    expect(required.ok).toBe(false);
    expect(find(required, "pdfx").status).toBe("fail");
    expect(find(required, "pdfx").detail).toContain("no GTS_PDFXVersion");
    expect(find(required, "pdfx").detail).toContain("no GTS_PDFX output intent");

    const pdfx = await run("pdfx", { pdfx: true });
    expect(statuses(pdfx)).toEqual(allPass);
    expect(find(pdfx, "pdfx").detail).toContain("PDF/X-3:2002");
    expect(find(pdfx, "pdfx").detail).toContain("FOGRA39");
  });

  it("checks a PDF/X claim even when PDF/X is not required", async () => {
    const report = await run("pdfxClaimedNoIntent");
    expect(statuses(report)).toEqual({ ...allPass, pdfx: "fail" });
    expect(find(report, "pdfx").detail).toContain("no GTS_PDFX output intent");
    expect(report.ok).toBe(false);
  });

  it("expects no bleed for a screen edition, and does not check the binding", async () => {
    const screen = await run("screen", { screen: true });
    expect(statuses(screen)).toEqual(allPass);
    expect(find(screen, "page-count").detail).toBe("screen edition");

    const printPdfAsScreen = await run("good", { screen: true });
    expect(find(printPdfAsScreen, "bleed").status).toBe("fail");
    expect(find(printPdfAsScreen, "bleed").pages).toEqual([1, 2, 3, 4]);

    const screenPdfAsPrint = await run("screen");
    expect(find(screenPdfAsPrint, "bleed").status).toBe("fail");
    expect(find(screenPdfAsPrint, "bleed").detail).toContain("no BleedBox");
  });
});

describe("preflight of PDFs made to be bad", () => {
  it("fails a Type 3 font and names its page", async () => {
    const report = await run("type3");
    expect(statuses(report)).toEqual({ ...allPass, "fonts-embedded": "fail" });
    const fonts = find(report, "fonts-embedded");
    expect(fonts.detail).toBe("Type 3 font [none]");
    expect(fonts.pages).toEqual([2]);
    expect(report.ok).toBe(false);
  });

  it("fails a font that is not embedded and names its page", async () => {
    const report = await run("notEmbedded");
    expect(statuses(report)).toEqual({ ...allPass, "fonts-embedded": "fail" });
    expect(find(report, "fonts-embedded").detail).toBe("not embedded: Helvetica");
    expect(find(report, "fonts-embedded").pages).toEqual([3]);
  });

  it("fails a 72 ppi picture and warns about a 200 ppi one", async () => {
    const low = await run("lowRes72");
    expect(statuses(low)).toEqual({ ...allPass, "image-resolution": "fail" });
    expect(find(low, "image-resolution").detail).toContain("lowest 72 ppi");
    expect(find(low, "image-resolution").pages).toEqual([2]);
    expect(low.ok).toBe(false);

    const mid = await run("midRes200");
    expect(statuses(mid)).toEqual({ ...allPass, "image-resolution": "warn" });
    expect(find(mid, "image-resolution").detail).toContain("lowest 200 ppi");
    expect(find(mid, "image-resolution").pages).toEqual([3]);
    expect(mid.ok).toBe(true);
  });

  it("fails a TrimBox larger than the BleedBox on that page only", async () => {
    const report = await run("wrongTrim");
    expect(statuses(report)).toEqual({ ...allPass, "page-boxes": "fail", "trim-size": "fail", bleed: "fail" });
    expect(find(report, "page-boxes").detail).toBe("TrimBox outside the BleedBox");
    expect(find(report, "page-boxes").pages).toEqual([2]);
    expect(find(report, "trim-size").pages).toEqual([2]);
    expect(find(report, "trim-size").detail).toContain("210 × 297 mm on 3 pages");
    expect(find(report, "bleed").pages).toEqual([2]);
  });

  it("fails the bleed, not the boxes, when the BleedBox is missing", async () => {
    const report = await run("noBleedBox");
    expect(statuses(report)).toEqual({ ...allPass, bleed: "fail" });
    expect(find(report, "bleed").detail).toContain("no BleedBox");
    expect(find(report, "bleed").pages).toEqual([1, 2, 3, 4]);
  });

  it("checks the page count against the binding", async () => {
    const three = await run("threePages");
    expect(statuses(three)).toEqual({ ...allPass, "page-count": "fail" });
    expect(find(three, "page-count").detail).toContain("add 1 blank page");
    expect(find(await run("threePages", { binding: "perfect" }), "page-count").status).toBe("fail");

    const six = await run("sixPages");
    expect(find(six, "page-count").status).toBe("fail");
    expect(find(six, "page-count").detail).toContain("add 2 blank pages");
    const perfect = await run("sixPages", { binding: "perfect" });
    expect(statuses(perfect)).toEqual(allPass);
  });

  it("reports RGB: a fail for PDF/X, a pass for a digital printer", async () => {
    const pdfx = await run("rgb", { pdfx: true });
    const colour = find(pdfx, "colour-spaces");
    expect(colour.status).toBe("fail");
    expect(colour.detail).toContain("RGB images");
    expect(colour.detail).toContain("rg/RG colour operators");
    expect(colour.pages).toEqual([2, 3]);
    expect(pdfx.ok).toBe(false);

    const digital = await run("rgb");
    expect(statuses(digital)).toEqual(allPass);
    expect(find(digital, "colour-spaces").detail).toMatch(/^RGB \(fine for a digital printer; use --pdfx for offset\)/);
    expect(digital.ok).toBe(true);
  });
});

describe("the press checks: ink, small text, hairlines, annotations", () => {
  it("fails ink over the limit and names the page with the highest figure", async () => {
    const report = await run("inkOver300");
    expect(statuses(report)).toEqual({ ...allPass, "ink-coverage": "fail" });
    const ink = find(report, "ink-coverage");
    expect(ink.title).toBe("Total area coverage ≤ 300 %");
    // 90 % of each ink, as Ghostscript renders it in 8 bits: 4 × 229 or 230 of 255.
    expect(ink.detail).toMatch(/^highest (359|360|361) % \(p\. 2\), over 300 % on 1 page/);
    expect(ink.pages).toEqual([2]);
    expect(report.ok).toBe(false);
  });

  it("takes the printer's limit from --tac", async () => {
    expect(find(await run("inkOver300", { tacPercent: 380 }), "ink-coverage").status).toBe("pass");
    const uncoated = await run("good", { tacPercent: 90 });
    expect(find(uncoated, "ink-coverage").status).toBe("fail");
    expect(find(uncoated, "ink-coverage").title).toBe("Total area coverage ≤ 90 %");
    expect(find(uncoated, "ink-coverage").pages).toEqual([1, 2, 3, 4]);
  });

  it("does not measure the ink of RGB (it is set when converted) nor of a screen edition", async () => {
    expect(find(await run("rgb"), "ink-coverage").detail).toMatch(/^not measured: RGB/);
    expect(find(await run("screen", { screen: true }), "ink-coverage").detail).toBe("screen edition");
  });

  it("fails black text below 12 pt printed on four plates, in a PDF/X file", async () => {
    const report = await run("richBlackSmallText");
    expect(statuses(report)).toEqual({ ...allPass, "small-text": "fail" });
    const text = find(report, "small-text");
    expect(text.detail).toMatch(/^black or grey text on several plates, down to 9 pt: set it in black only \(K\)$/);
    expect(text.pages).toEqual([3]);
    expect(report.ok).toBe(false);
  });

  it("notes coloured text below 12 pt on several plates: a colour is the designer's choice", async () => {
    const report = await run("colourSmallText");
    expect(statuses(report)).toEqual({ ...allPass, "small-text": "note" });
    expect(find(report, "small-text").detail).toMatch(/coloured text on several plates, down to 9 pt/);
    expect(find(report, "small-text").pages).toEqual([2]);
    expect(report.ok).toBe(true);
    expect(formatPreflight(report).split("\n").at(-1)).toMatch(/preflight passed with 1 note$/);
  });

  it("warns about lines thinner than 0.25 pt, stroked or drawn as a thin rectangle", async () => {
    const report = await run("hairlines");
    expect(statuses(report)).toEqual({ ...allPass, hairlines: "warn" });
    const lines = find(report, "hairlines");
    expect(lines.detail).toBe("2 lines thinner than 0.25 pt, thinnest 0.1 pt: may not print");
    expect(lines.pages).toEqual([2, 4]);
    expect(report.ok).toBe(true);
  });

  it("fails a link on a page of a print PDF, warns about one left in the file, and keeps them in a screen edition", async () => {
    const links = await run("links");
    expect(statuses(links)).toEqual({ ...allPass, annotations: "fail" });
    expect(find(links, "annotations").detail).toBe("1 Link on the pages: a print edition has no links or comments");
    expect(find(links, "annotations").pages).toEqual([1]);

    const orphan = await run("orphanLink");
    expect(statuses(orphan)).toEqual({ ...allPass, annotations: "warn" });
    expect(find(orphan, "annotations").detail).toMatch(/^1 annotation left in the file on no page/);

    const screen = await run("links", { screen: true });
    expect(find(screen, "annotations").status).toBe("pass");
    expect(find(screen, "annotations").detail).toBe("1 annotation (links work on screen)");
  });

  it("reports them in --json with their pages", async () => {
    const report = JSON.parse(JSON.stringify(await run("inkOver300"))) as PreflightReport;
    expect(report.checks.find((c) => c.id === "ink-coverage")).toMatchObject({ status: "fail", pages: [2] });
  });
});

describe("picture resolution on a screen edition", () => {
  it("notes a 115 ppi picture and passes; print would fail it", async () => {
    const report = await run("screen115", { screen: true });
    expect(statuses(report)).toEqual({ ...allPass, "image-resolution": "note" });
    const images = find(report, "image-resolution");
    expect(images.title).toBe("Images at 96 ppi or more (screen)");
    expect(images.detail).toContain("lowest 115 ppi: fine on screen");
    expect(images.pages).toEqual([2]);
    expect(report.ok).toBe(true);
    expect(find(await run("lowRes72"), "image-resolution").status).toBe("fail");
  });

  it("warns below 96 ppi, never fails", async () => {
    const report = await run("screen80", { screen: true });
    expect(find(report, "image-resolution").status).toBe("warn");
    expect(find(report, "image-resolution").detail).toContain("lowest 80 ppi");
    expect(report.ok).toBe(true);
    expect(find(await run("lowRes72", { screen: true }), "image-resolution").status).toBe("warn");
  });
});

describe("preflight errors", () => {
  it("says in one line when the file is missing or is not a PDF", async () => {
    await expect(preflight(join(dir, "nowhere.pdf"))).rejects.toThrow(/^No such file: .*nowhere\.pdf$/);
    const text = join(dir, "notes.pdf");
    writeFileSync(text, "these are notes, not a PDF\n");
    await expect(preflight(text)).rejects.toThrow(/notes\.pdf is not a PDF$/);
    await expect(preflight(dir)).rejects.toThrow(/is a folder, not a PDF$/);
  });
});

describe("formatPreflight", () => {
  it("prints one row per check with its status, then a summary", async () => {
    const report = await run("wrongTrim");
    const lines = formatPreflight(report).split("\n");
    const rows = lines.slice(0, report.checks.length);
    expect(rows).toHaveLength(12);
    report.checks.forEach((check, i) => {
      expect(rows[i]).toMatch(new RegExp(`^${check.status.toUpperCase()}\\s+`));
      expect(rows[i]).toContain(check.title);
      expect(rows[i]).toContain(check.detail);
    });
    expect(rows.find((r) => r.startsWith("FAIL") && r.includes("TrimBox outside"))).toMatch(/p\. 2$/);
    expect(lines.at(-1)).toMatch(/4 pages: preflight failed: 3 checks failed$/);
    expect(lines.filter((l) => /^(PASS|NOTE|WARN|FAIL) /.test(l))).toHaveLength(12);
  });

  it("writes page ranges as a printer does", () => {
    const report: PreflightReport = {
      file: "x.pdf",
      pages: 8,
      ok: true,
      checks: [{ id: "image-resolution", title: "Images", status: "warn", detail: "low", pages: [2, 5, 6, 7] }],
    };
    const text = formatPreflight(report);
    expect(text.split("\n")[0]).toBe("WARN  Images  low  p. 2, 5-7");
    expect(text).toContain("preflight passed with 1 warning");
  });
});

describe("preflight of a built issue with pictures", () => {
  // The small fixture issue (the sample has no picture), built here: never an out/ file of some earlier build.
  const pdf = join(dir, "2025-q1.pdf");

  beforeAll(async () => {
    await buildIssue({ issue: join(root, "test", "fixtures", "minimal", "2025-q1"), out: pdf, cwd: root, cache: false });
  });

  it("has embedded fonts, its pictures at 300 ppi or more and a page count for saddle-stitch", async () => {
    const report = await preflight(pdf);
    expect(find(report, "fonts-embedded").status).toBe("pass");
    expect(find(report, "fonts-embedded").detail).toMatch(/all embedded CID TrueType/);
    // Both pictures (the spotlight's lead and the article's figure) were measured: the lowest prints at 300 ppi or more.
    const resolution = find(report, "image-resolution");
    expect(resolution.status).toBe("pass");
    const m = /^(\d+) images, lowest (\d+) ppi$/.exec(resolution.detail)!;
    expect(m, resolution.detail).not.toBeNull();
    expect(Number(m[1])).toBe(2);
    expect(Number(m[2])).toBeGreaterThanOrEqual(300);
    expect(find(report, "page-count").status).toBe("pass");
    expect(report.pages % 4).toBe(0);
  });
});
