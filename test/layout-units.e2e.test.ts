import { beforeAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildIssue } from "../src/index.js";
import { shareOut } from "../src/layout/units.js";

/**
 * Units of layout (each child of the document's body starts a page): laid out in
 * parallel, alone for copyfitting, or taken from the layout cache, the pages
 * printed are the same bytes as when the whole document is laid out at once.
 */
const root = join(import.meta.dirname, "..");
process.env.SOURCE_DATE_EPOCH = "1727740800";

const bytes = (path: string) => readFileSync(path);
const pageText = (pdf: string, page: number) => execFileSync("pdftotext", ["-f", String(page), "-l", String(page), "-layout", pdf, "-"], { encoding: "utf8" });

describe("sharing out units among jobs", () => {
  it("keeps print order, gives every job a share, and balances the shares by weight", () => {
    expect(shareOut([10, 10, 10, 10], 2)).toEqual([[0, 1], [2, 3]]);
    expect(shareOut([1, 1, 1], 5)).toEqual([[0], [1], [2]]);
    expect(shareOut([100, 1, 1, 1, 1], 2)).toEqual([[0], [1, 2, 3, 4]]);
    expect(shareOut([5, 5, 5], 1)).toEqual([[0, 1, 2]]);
    // A pure function of the weights: the same issue is always shared out the same way.
    expect(shareOut([3, 9, 4, 1, 7, 2], 3)).toEqual(shareOut([3, 9, 4, 1, 7, 2], 3));
  });
});

describe("units of layout", () => {
  let work: string;
  let issue: string;
  let whole: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "digest-units-"));
    issue = join(work, "2024-q3");
    cpSync(join(root, "issues", "2024-q3"), issue, { recursive: true });
    // The reference: one job, nothing from the cache (the whole document laid out at once, then copyfitted).
    whole = join(work, "whole.pdf");
    await buildIssue({ issue, out: whole, jobs: 1, cache: false });
  }, 240_000);

  it("print the same bytes laid out by one job or three, and taken from the layout cache", async () => {
    const three = join(work, "three.pdf");
    const report = await buildIssue({ issue, out: three, jobs: 3, cache: false });
    expect(report.units.cached).toBe(0);
    expect(bytes(three).equals(bytes(whole))).toBe(true);

    const warm = join(work, "warm.pdf");
    await buildIssue({ issue, out: warm, jobs: 2 });
    const cached = join(work, "cached.pdf");
    const again = await buildIssue({ issue, out: cached, jobs: 2 });
    // Every unit but the one a document is needed for comes from the cache.
    expect(again.units.cached).toBe(again.units.total - 1);
    expect(bytes(cached).equals(bytes(whole))).toBe(true);
    // What copyfitting did is still said when the pages come from the cache.
    expect(again.copyfit.variants).toEqual(report.copyfit.variants);
  }, 240_000);

  it("lay out again only the units an edit changes, and print what a full layout prints", async () => {
    await buildIssue({ issue, out: join(work, "before.pdf"), jobs: 2 });
    const month = join(issue, "months", "2024-08");
    const article = join(month, readdirSync(month).filter((f) => f.endsWith(".md")).sort()[0]!);
    writeFileSync(article, `${readFileSync(article, "utf8")}\nA paragraph added by the test, long enough to take a line or two of its own in the column, so that the month's pages move.\n`);
    const edited = join(work, "edited.pdf");
    const report = await buildIssue({ issue, out: edited, jobs: 2 });
    expect(report.units.cached).toBeGreaterThanOrEqual(report.units.total - 2);
    expect(report.units.cached).toBeLessThan(report.units.total);
    const full = join(work, "edited-full.pdf");
    await buildIssue({ issue, out: full, jobs: 1, cache: false });
    expect(bytes(edited).equals(bytes(full))).toBe(true);
    expect(execFileSync("pdftotext", [edited, "-"], { encoding: "utf8" }).replace(/\s+/g, " ")).toContain("A paragraph added by the test");
  }, 240_000);

  it("keep the running heads and folios of pages laid out elsewhere on the side they fall", async () => {
    const pdf = join(work, "heads.pdf");
    const report = await buildIssue({ issue, out: pdf, jobs: 3, cache: false });
    // The flash briefing was copyfitted: laid out alone and spliced in, with its running head.
    expect(Object.keys(report.copyfit.variants)).toContain("Flash Briefing");
    const flash = report.pages["a-flash-briefing"]!;
    expect(pageText(pdf, flash)).toContain("FLASH BRIEFING");
    // Every page of news: the issue's name on left-hand pages, the section's name on right-hand ones, and its folio.
    // The month's opener, then its pages of news.
    const september = report.pages["a-month-2024-09"]!;
    for (const n of [september + 1, september + 2, september + 3]) {
      const text = pageText(pdf, n);
      if (n % 2 === 0) expect(text).toContain("CICA DIGEST · JULY–SEPTEMBER 2024");
      else expect(text).toContain("SEPTEMBER");
      expect(text.trim().split("\n").at(-1)!.trim()).toBe(String(n));
    }
  }, 240_000);
});
