// The layout report on small PDFs made here with pdf-lib, each with the faults it
// must find (and pages it must not call faulty), read back through poppler as a
// built issue is. No Chromium.
import { beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PDFDocument, PDFName, StandardFonts, type PDFFont, type PDFPage } from "pdf-lib";
import { layoutChecks, layoutReport, summariseLayout, type LayoutReport } from "../src/preflight/layout-report.js";
import { preflight } from "../src/preflight/preflight.js";
import { formatPreflight } from "../src/preflight/report.js";
import { encodeScene } from "../src/fuzz/png.js";

const work = mkdtempSync(join(tmpdir(), "digest-layout-"));
const MM = 72 / 25.4;
/** A5 trim, 3 mm bleed, the trim set in the middle of a slug as the print edition does. */
const [TRIM_W, TRIM_H, OFF] = [148 * MM, 210 * MM, 12 * MM];
const FONT_SIZE = 9.5;
const LEADING = 13;
const COLUMN = { left: OFF + 18 * MM, right: OFF + 130 * MM };

const WORDS = "the council met in the capital and agreed a plan for the regional transport corridor with its partners while the secretariat reviewed the budget of the programme".split(" ");

function newPage(doc: PDFDocument): PDFPage {
  const page = doc.addPage([TRIM_W + 2 * OFF, TRIM_H + 2 * OFF]);
  const box = (x: number, y: number, w: number, h: number) => doc.context.obj([x, y, x + w, y + h]);
  page.node.set(PDFName.of("TrimBox"), box(OFF, OFF, TRIM_W, TRIM_H));
  page.node.set(PDFName.of("BleedBox"), box(OFF - 3 * MM, OFF - 3 * MM, TRIM_W + 6 * MM, TRIM_H + 6 * MM));
  return page;
}

/** y (from the page's bottom) of the n-th text line under the top margin. */
const lineY = (n: number) => OFF + TRIM_H - 25 * MM - n * LEADING;

/** A line of words set flush left and right across the column (justified), with its gaps widened evenly. */
function justified(page: PDFPage, font: PDFFont, y: number, words: string[], widen?: { at: number; by: number }): void {
  const widths = words.map((w) => font.widthOfTextAtSize(w, FONT_SIZE));
  const free = COLUMN.right - COLUMN.left - widths.reduce((a, b) => a + b, 0) - (widen?.by ?? 0);
  const gap = free / (words.length - 1);
  let x = COLUMN.left;
  words.forEach((w, i) => {
    page.drawText(w, { x, y, size: FONT_SIZE, font });
    x += widths[i]! + gap + (widen && i === widen.at ? widen.by : 0);
  });
}

/** The folio: the page number at the foot, as digest prints it on pages of running text. */
function folio(page: PDFPage, font: PDFFont, n: number): void {
  page.drawText(String(n), { x: COLUMN.right - 6, y: OFF + 12 * MM, size: 9, font });
}

/** A page of running text: running head, `lines` justified lines (the last of each paragraph ragged), folio. */
function textPage(doc: PDFDocument, font: PDFFont, n: number, lines: number, loose?: number[]): PDFPage {
  const page = newPage(doc);
  page.drawText("THE HARBOUR BULLETIN", { x: COLUMN.left, y: OFF + TRIM_H - 16 * MM, size: 7.5, font });
  let next = 0;
  for (let i = 0; i < lines; i++) {
    // As many words as fit with gaps of 2.5 pt: justified, the gaps stay well under 0.75 × 13 pt.
    const words: string[] = [];
    const width = () => words.reduce((sum, w) => sum + font.widthOfTextAtSize(w, FONT_SIZE), 0) + 2.5 * (words.length - 1);
    for (;;) {
      words.push(WORDS[next++ % WORDS.length]!);
      if (width() > COLUMN.right - COLUMN.left) {
        words.pop();
        next--;
        break;
      }
    }
    if (i % 6 === 5) {
      // A paragraph's last line: ragged, never judged.
      page.drawText(words.slice(0, 2 + (i % 5)).join(" "), { x: COLUMN.left, y: lineY(i), size: FONT_SIZE, font });
    } else {
      justified(page, font, lineY(i), words, loose?.includes(i) ? { at: 4, by: 14 } : undefined);
    }
  }
  folio(page, font, n);
  return page;
}

async function save(doc: PDFDocument, name: string): Promise<string> {
  const path = join(work, name);
  writeFileSync(path, await doc.save());
  return path;
}

describe("the layout report", () => {
  let faulty: string;
  let clean: string;
  let report: LayoutReport;

  beforeAll(async () => {
    // Page 1: a cover (a picture to the bleed, a title); 2: full text with one loose line;
    // 3: two lines only (near-empty); 4: full text; 5: blank; 6: a picture drawn through a
    // form and nothing else (not blank); 7: a word cut by the trim; 8: a short last page;
    // 9: a running head and a folio, nothing else (blank).
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.TimesRoman);
    const png = await doc.embedPng(encodeScene(300, 200, [15, 47, 87], [29, 92, 150]));
    const cover = newPage(doc);
    cover.drawImage(png, { x: OFF - 3 * MM, y: OFF - 3 * MM, width: TRIM_W + 6 * MM, height: TRIM_H + 6 * MM });
    cover.drawText("The Harbour Bulletin", { x: OFF + 20 * MM, y: OFF + TRIM_H - 40 * MM, size: 24, font });
    textPage(doc, font, 2, 40, [7]);
    textPage(doc, font, 3, 2);
    textPage(doc, font, 4, 40);
    newPage(doc);
    // A picture inside a form (as a placed PDF would be): the report must look into forms for pictures.
    const source = await PDFDocument.create();
    source.addPage([200, 300]).drawImage(await source.embedPng(encodeScene(200, 300, [200, 80, 60], [240, 220, 170])), { x: 0, y: 0, width: 200, height: 300 });
    // (pdf-lib writes an embedded picture only when its document is saved: the page is embedded from the saved copy.)
    const saved = await PDFDocument.load(await source.save());
    newPage(doc).drawPage(await doc.embedPage(saved.getPage(0)), { x: OFF + 40, y: OFF + 60 });
    const cut = textPage(doc, font, 7, 10);
    // Past the trim, into the bleed and the slug, but still on the sheet.
    cut.drawText("SHIPBUILDERS", { x: OFF + TRIM_W - 50, y: OFF + TRIM_H / 2, size: 10, font });
    textPage(doc, font, 8, 2);
    textPage(doc, font, 9, 0);
    faulty = await save(doc, "faulty.pdf");

    const good = await PDFDocument.create();
    const goodFont = await good.embedFont(StandardFonts.TimesRoman);
    textPage(good, goodFont, 1, 40);
    textPage(good, goodFont, 2, 12);
    clean = await save(good, "clean.pdf");

    report = await layoutReport(faulty, { flaws: [{ page: 4, kind: "widow", text: "the council met" }, { page: 2, kind: "clipped", text: "The Harb" }] });
  });

  it("finds the pages of running text by their folios, and only those", () => {
    expect(report.pages).toBe(9);
    expect(report.textPages).toEqual([2, 3, 4, 7, 8]);
  });

  it("finds the blank pages (one with its furniture only), and not the page that shows only a picture, nor the cover", () => {
    expect(report.faults.filter((f) => f.kind === "blank-page").map((f) => [f.page, f.detail])).toEqual([
      [5, "no text and no picture"],
      [9, "only its running head and folio"],
    ]);
  });

  it("finds the near-empty page of text, and not the short last page", () => {
    const near = report.faults.filter((f) => f.kind === "near-empty-page");
    expect(near.map((f) => f.page)).toEqual([3]);
    expect(near[0]!.detail).toMatch(/filled \d+ % of the text area/);
  });

  it("finds the one loose justified line, and counts the justified lines without the ragged last lines", () => {
    const loose = report.faults.filter((f) => f.kind === "loose-line");
    expect(loose).toHaveLength(1);
    expect(loose[0]!.page).toBe(2);
    expect(loose[0]!.text).toContain("council");
    // 40 + 40 + 10 lines, every sixth ragged: 34 + 34 + 9 justified; page 3 and 8 have too few to know their edge.
    expect(report.justifiedLines).toBe(77);
    expect(report.loosePercent).toBeCloseTo(100 / 77, 5);
  });

  it("finds text cut by the trim, and keeps the build's flaws of any kind", () => {
    const outside = report.faults.filter((f) => f.kind === "outside-safe-area");
    expect(outside.map((f) => [f.page, f.text, f.detail])).toEqual([[7, "SHIPBUILDERS", "cut by the trim"]]);
    expect(report.counts).toMatchObject({ "blank-page": 2, "near-empty-page": 1, "loose-line": 1, "outside-safe-area": 1, widow: 1, clipped: 1 });
  });

  it("prints as rows of the preflight table: text outside the safe area fails, the rest warns", () => {
    const rows = Object.fromEntries(layoutChecks(report).map((c) => [c.id, c]));
    expect(rows["layout-safe-area"]).toMatchObject({ status: "fail", pages: [2, 7] });
    expect(rows["layout-blank-pages"]).toMatchObject({ status: "warn", pages: [5, 9] });
    expect(rows["layout-near-empty-pages"]).toMatchObject({ status: "warn", pages: [3] });
    expect(rows["layout-widows-orphans"]).toMatchObject({ status: "warn", detail: "1 widow, 0 orphans" });
    expect(rows["layout-loose-lines"]).toMatchObject({ status: "warn", pages: [2] });
    expect(summariseLayout(report)).toBe("Layout: 2 clipped, 2 blank pages, 1 near-empty page, 1 widow, loose lines 1.3 % (1 of 77 justified)");
  });

  it("passes a clean PDF, as a section of digest preflight --layout that does not claim to know the build's flaws", async () => {
    const result = await preflight(clean, { layout: true, screen: true });
    expect(result.layout?.faults).toEqual([]);
    expect(summariseLayout(result.layout!)).toBe("Layout: nothing clipped, loose lines 0.0 % (0 of 44 justified)");
    expect(result.layout?.justifiedLines).toBe(34 + 10);
    expect(result.layout?.checks.map((c) => c.status)).toEqual(["pass", "pass", "pass", "pass"]);
    expect(result.layout?.checks.map((c) => c.id)).not.toContain("layout-widows-orphans");
    expect(formatPreflight(result)).toMatch(/\nLayout\nPASS {2}Text inside the safe area/);
  });

  it("is digest preflight --layout: a section of the table, `layout` in --json, exit code 1 for text cut by the trim", () => {
    const cli = (args: string[]) => spawnSync(process.execPath, [join(import.meta.dirname, "..", "bin", "digest.js"), "preflight", ...args], { encoding: "utf8", timeout: 60_000 });
    const table = cli(["--layout", "--screen", faulty]);
    expect(table.status).toBe(1);
    expect(table.stdout).toMatch(/\nLayout\nFAIL {2}Text inside the safe area +1 piece of text outside it: “SHIPBUILDERS” +p\. 7\n/);
    expect(table.stdout).toMatch(/WARN {2}No blank pages +2 blank pages +p\. 5, 9\n/);
    const json = JSON.parse(cli(["--layout", "--json", "--screen", clean]).stdout);
    expect(json.layout.checks.every((c: { status: string }) => c.status === "pass")).toBe(true);
    expect(json.layout).toMatchObject({ justifiedLines: 44, looseLines: 0, faults: [], counts: {} });
    expect(json.layout.checks.map((c: { id: string }) => c.id)).toEqual(["layout-safe-area", "layout-blank-pages", "layout-near-empty-pages", "layout-loose-lines"]);
    expect(JSON.parse(cli(["--json", "--screen", clean]).stdout).layout).toBeUndefined();
  });

  it("fails the preflight of a PDF with text cut by the trim", async () => {
    const result = await preflight(faulty, { layout: true, screen: true });
    expect(result.ok).toBe(false);
    expect(result.layout?.checks.find((c) => c.id === "layout-safe-area")).toMatchObject({ status: "fail", pages: [7] });
    expect(result.layout?.fromBuild).toBe(false);
  });
});
