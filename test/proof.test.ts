import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { proofPdf, spreadsOf } from "../src/review/proof.js";
import { readPng, type Raster } from "../src/review/raster.js";
import { info } from "./helpers/pdf.js";
import { madePage, writeMagazine } from "./helpers/magazine-pdf.js";

const root = join(import.meta.dirname, "..");
const digest = (args: string[], cwd = root) => {
  const r = spawnSync(process.execPath, [join(root, "bin", "digest.js"), ...args], { cwd, encoding: "utf8", timeout: 150_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

const pixel = (r: Raster, x: number, y: number) => [...r.data.subarray((y * r.width + x) * 4, (y * r.width + x) * 4 + 3)];
const grey = [150, 150, 150];

describe("spreads", () => {
  it("are the cover alone, then pairs from 2–3, and the back cover alone", () => {
    expect(spreadsOf(8)).toEqual([[1], [2, 3], [4, 5], [6, 7], [8]]);
    expect(spreadsOf(7)).toEqual([[1], [2, 3], [4, 5], [6, 7]]);
    expect(spreadsOf(1)).toEqual([[1]]);
  });
});

describe("digest proof", () => {
  const dir = mkdtempSync(join(tmpdir(), "digest-proof-"));
  const pdf = join(dir, "spring.pdf");

  it("writes each spread cut at the trim, the cover on the right, and a contact sheet of all pages", async () => {
    // Every page has a coloured block (a picture) near its top, page 1 in red, so sides can be told apart.
    const pages = Array.from({ length: 8 }, (_, i) => ({ ...madePage(i + 1, 5), picture: (i === 0 ? [0.8, 0.1, 0.1] : [0.1, 0.2, 0.6]) as [number, number, number] }));
    await writeMagazine(pdf, pages);
    const out = join(dir, "proof");
    const report = await proofPdf(pdf, { outDir: out, dpi: 50 });
    expect(readdirSync(out).sort()).toEqual(["contact-sheet.png", "spread-01.png", "spread-02-03.png", "spread-04-05.png", "spread-06-07.png", "spread-08.png"]);
    expect(report.spreads.map((s) => s.pages)).toEqual([[1], [2, 3], [4, 5], [6, 7], [8]]);
    // A5 trim at 50 dpi: 291 × 413 pixels a page; a spread is two pages on a grey backdrop, with a margin of 4 % of a page.
    const pageW = Math.round((148 / 25.4) * 50);
    const pageH = Math.round((210 / 25.4) * 50);
    expect([pageW, pageH]).toEqual([291, 413]);
    const margin = Math.round(pageW * 0.04);
    const cover = readPng(join(out, "spread-01.png"));
    const spread = readPng(join(out, "spread-02-03.png"));
    expect(cover.width).toBe(spread.width);
    // Exactly two trimmed pages and the margins: a page cut at the bleed (3 mm more a side, 6 pixels) would be 24 pixels wider.
    expect(spread.width).toBe(2 * pageW + 2 * margin);
    // The pages stand where the trim puts them: paper from the margin to the margin plus two pages, backdrop beyond, at the top and bottom too.
    const row = Math.floor(margin + pageH / 2);
    expect(pixel(spread, margin - 1, row)).toEqual(grey);
    expect(pixel(spread, margin, row)).not.toEqual(grey);
    expect(pixel(spread, margin + 2 * pageW - 1, row)).not.toEqual(grey);
    expect(pixel(spread, margin + 2 * pageW, row)).toEqual(grey);
    expect(pixel(spread, margin + 10, margin - 1)).toEqual(grey);
    expect(pixel(spread, margin + 10, margin)).not.toEqual(grey);
    expect(pixel(spread, margin + 10, margin + pageH - 1)).not.toEqual(grey);
    expect(pixel(spread, margin + 10, margin + pageH)).toEqual(grey);
    // The cover is a right-hand page: the left half of its spread is backdrop, the right half page (white), its red block within.
    const mid = Math.floor(cover.width / 2);
    expect(pixel(cover, Math.floor(mid / 2), Math.floor(cover.height / 2))).toEqual(grey);
    expect(pixel(cover, mid + 5, Math.floor(cover.height / 2))).toEqual([255, 255, 255]);
    let red = 0;
    for (let x = mid; x < cover.width; x++) for (let y = 0; y < cover.height; y++) if (pixel(cover, x, y)[0]! > 150 && pixel(cover, x, y)[2]! < 80) red++;
    expect(red).toBeGreaterThan(1000);
    // The back cover is a left-hand page.
    const back = readPng(join(out, "spread-08.png"));
    expect(pixel(back, Math.floor(back.width * 0.75), Math.floor(back.height / 2))).toEqual(grey);
    expect(pixel(back, Math.floor(back.width * 0.25), Math.floor(back.height / 2))).toEqual([255, 255, 255]);
    // The contact sheet: five spreads in rows of two, pages 240 pixels high.
    const sheet = readPng(report.contactSheet);
    expect(sheet.height).toBeGreaterThan(3 * 240);
    expect(sheet.width).toBeGreaterThan(4 * 240 * (148 / 210));
    expect(report.pageCount).toBe(8);
  });

  it("proofs a range of pages with --pages, from the command line, and replaces an earlier proof", () => {
    const out = join(dir, "range");
    const first = digest(["proof", "--pdf", pdf, "--out", out, "--dpi", "40"]);
    expect(first.code).toBe(0);
    const r = digest(["proof", "--pdf", pdf, "--out", out, "--dpi", "40", "--pages", "3-4"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Proofed .*spring\.pdf \(8 pages\): 2 spreads and a contact sheet in .*range\/$/m);
    expect(readdirSync(out).sort()).toEqual(["contact-sheet.png", "spread-02-03.png", "spread-04-05.png"]);
    const wrong = digest(["proof", "--pdf", pdf, "--out", out, "--pages", "12-14"]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain("Cannot proof pages 12–14: the PDF has 8 pages");
    const bad = digest(["proof", "--pdf", pdf, "--pages", "nine"]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("Expected pages like 5-12");
  });

  it("builds the issue first when its PDF is missing, then proofs it", () => {
    const project = mkdtempSync(join(tmpdir(), "digest-proof-issue-"));
    cpSync(join(root, "test", "fixtures", "minimal", "2025-q1"), join(project, "issues", "2025-q1"), { recursive: true });
    writeFileSync(join(project, "package.json"), "{}");
    const r = digest(["proof", "2025-q1"], project);
    expect(r.stderr).toContain("No out/2025-q1.pdf yet: building it…");
    expect(r.code).toBe(0);
    const pages = Number(info(join(project, "out", "2025-q1.pdf")).Pages);
    const files = readdirSync(join(project, "out", "2025-q1-proof")).sort();
    // One picture per spread of the PDF that was built, and the contact sheet.
    expect(files).toEqual(["contact-sheet.png", ...spreadsOf(pages).map((s) => `spread-${s.map((n) => String(n).padStart(2, "0")).join("-")}.png`)].sort());
    expect(existsSync(join(project, "out", "2025-q1-proof", "contact-sheet.png"))).toBe(true);
  });
});

describe("digest proof --all", () => {
  it("proofs every issue under issues/, each into out/<issue>-proof/", async () => {
    const project = mkdtempSync(join(tmpdir(), "digest-proof-all-"));
    writeFileSync(join(project, "package.json"), "{}");
    // Two issues, each with its PDF already built (made here: 8 and 6 pages), and a draft folder that is no issue.
    for (const [issue, count] of [["2025-q1", 8], ["2025-q1-de", 6]] as const) {
      cpSync(join(root, "test", "fixtures", "minimal", "2025-q1"), join(project, "issues", issue), { recursive: true });
      mkdirSync(join(project, "out"), { recursive: true });
      await writeMagazine(join(project, "out", `${issue}.pdf`), Array.from({ length: count }, (_, i) => madePage(i + 1, 5)));
    }
    cpSync(join(root, "test", "fixtures", "minimal", "2025-q1"), join(project, "issues", "_2025-q2-draft"), { recursive: true });
    const r = digest(["proof", "--all", "--dpi", "30"], project);
    expect(r.stderr).not.toContain("building");
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split("\n")).toEqual([
      "Proofed out/2025-q1.pdf (8 pages): 5 spreads and a contact sheet in out/2025-q1-proof/",
      "Proofed out/2025-q1-de.pdf (6 pages): 4 spreads and a contact sheet in out/2025-q1-de-proof/",
    ]);
    expect(readdirSync(join(project, "out", "2025-q1-proof")).sort()).toEqual(["contact-sheet.png", "spread-01.png", "spread-02-03.png", "spread-04-05.png", "spread-06-07.png", "spread-08.png"]);
    expect(readdirSync(join(project, "out", "2025-q1-de-proof")).sort()).toEqual(["contact-sheet.png", "spread-01.png", "spread-02-03.png", "spread-04-05.png", "spread-06.png"]);
    expect(readdirSync(join(project, "out")).sort()).toEqual(["2025-q1-de-proof", "2025-q1-de.pdf", "2025-q1-proof", "2025-q1.pdf"]);
  });
});
