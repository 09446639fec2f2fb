import { beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildIssue, type BuildReport } from "../src/index.js";
import { contentsEntries, images, info, pageText } from "./helpers/pdf.js";

/** A small fixture issue that uses what the sample does not: pictures, a table, an ad after an article, derived period. */
const fixture = join(import.meta.dirname, "fixtures", "minimal", "2025-q1");
const out = join(mkdtempSync(join(tmpdir(), "digest-min-")), "min.pdf");
let report: BuildReport;

beforeAll(async () => {
  report = await buildIssue({ issue: fixture, out, html: true, cache: false });
});

describe("a small issue with pictures", () => {
  it("derives the period from the issue's name", () => {
    expect(pageText(out, 1)).toContain("January–March 2025");
    expect(info(out).Title).toBe("Test Digest · January–March 2025");
  });

  it("prints the pictures: the spotlight's lead picture and the figure in the body, with caption and credit", () => {
    const list = images(out);
    expect(list.length).toBeGreaterThanOrEqual(2);
    const spotlightPage = report.pages["a-spotlight-harbour-opens"]!;
    expect(list.some((i) => i.page === spotlightPage)).toBe(true);
    const councilPage = report.pages["a-2025-01-council-meets"]!;
    const text = [councilPage, councilPage + 1].map((p) => pageText(out, p)).join(" ");
    expect(text).toContain("Delegates at the council");
    expect(text).toContain("Photo: Test Agency");
    expect(text).toMatch(/Budget\s+Adopted/);
  });

  it("prints a date span as one dateline", () => {
    const page = report.pages["a-2025-02-forum-in-baku"]!;
    expect(pageText(out, page)).toMatch(/3–5 FEBRUARY 2025 – BAKU, AZERBAIJAN/i);
  });

  it("places the ad after its article, and the back-cover ad last, filling the binding with the house page for saddle-stitch", () => {
    const pages = Number(info(out).Pages);
    expect(pages % 4).toBe(0);
    expect(pageText(out, pages)).toMatch(/Visit the Steppe/i);
    const after = report.pages["a-2025-01-council-meets"]!;
    const adPage = [after + 1, after + 2].find((p) => /Bank on the future/i.test(pageText(out, p)));
    expect(adPage).toBeDefined();
    // The binding needed pages (the issue alone is not a multiple of four): under `fill: house`, the house page
    // and notes pages stand just before the back cover, and no page is left blank (test/binding.e2e.test.ts has `fill: blank`).
    expect(report.pageCount).toBe(pages);
    expect(report.fillers.length).toBeGreaterThan(0);
    expect((pages - report.fillers.length) % 4).not.toBe(0);
    expect(report.fillers[0]).toBe("house");
    expect(report.blanksAdded).toBe(0);
    expect(pageText(out, pages - report.fillers.length)).toMatch(/ABOUT US/i);
    for (let p = pages - report.fillers.length; p < pages; p++) expect(pageText(out, p), `page ${p}`).not.toBe("");
  });

  it("uses the contents' toc titles and real page numbers", () => {
    const entries = contentsEntries(out, 2);
    expect(entries.find((e) => e.title === "New harbour opens")?.page).toBe(report.pages["a-spotlight-harbour-opens"]);
    expect(entries.find((e) => e.title === "Council Meets in Astana")?.page).toBe(report.pages["a-2025-01-council-meets"]);
  });

  it("writes the HTML given to Paged.js when asked", () => {
    expect(report.htmlPath).toBe(out.replace(/\.pdf$/, ".html"));
    const html = readFileSync(report.htmlPath!, "utf8");
    expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="en">/);
    expect(html).toContain('<h2 class="article-title" id="a-2025-01-council-meets">Council Meets in Astana</h2>');
  });
});
