import { beforeAll, describe, expect, it } from "vitest";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildIssue, loadIssue, type BuildReport } from "../src/index.js";
import { contentsEntries, images, info, pageLines, pageText } from "./helpers/pdf.js";

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

describe("an issue with a hundred articles in a month", () => {
  // The small issue, with 99 more articles in January, each with a long title: more than one contents page holds.
  const dir = join(mkdtempSync(join(tmpdir(), "digest-long-contents-")), "2025-q1");
  const pdf = join(dir, "..", "long.pdf");
  const title = (i: number) => `Delegation number ${i} of the Member States visits the Secretariat in Astana for consultations on cooperation in the year ahead and the budget`;
  let long: BuildReport;
  beforeAll(async () => {
    cpSync(fixture, dir, { recursive: true });
    for (let i = 2; i <= 100; i++) {
      writeFileSync(join(dir, "months", "2025-01", `${String(i).padStart(3, "0")}-delegation-${i}.md`), `---\ntitle: ${title(i)}\n---\n\nThe delegation met the Secretary General and discussed the programme of the year.\n`);
    }
    long = await buildIssue({ issue: dir, out: pdf, cache: false });
  });

  it("runs the contents on to a second page, every entry once at its page, the masthead after the list", () => {
    expect(long.pages["a-contents"]).toBe(2);
    expect(pageText(pdf, 2)).toContain("In this issue");
    // The list runs on: page 3 is still the contents (it carries the masthead), and the foreword follows it.
    expect(pageText(pdf, 2)).not.toMatch(/published by/i);
    expect(pageText(pdf, 3)).toMatch(/published by/i);
    expect(long.pages["a-foreword"]).toBe(4);
    const first = contentsEntries(pdf, 2, { heading: /In this issue/, publishedBy: /(?!)/ });
    const second = contentsEntries(pdf, 3, { heading: /(?!)/, publishedBy: /publishedby/i });
    expect(first.length).toBeGreaterThan(10);
    expect(second.length).toBeGreaterThan(10);
    const entries = [...first, ...second];
    const { issue } = loadIssue(dir, dir);
    const articles = [...issue!.spotlight, ...issue!.months.flatMap((m) => m.articles)];
    expect(articles).toHaveLength(102);
    // Every article, the foreword and the flash briefing, once each, in print order, at the page its title stands on.
    expect(entries.map((e) => e.title)).toEqual(["Foreword", ...articles.map((a) => a.toc ?? a.title), "Flash Briefing"]);
    for (const article of articles) expect(entries.find((e) => e.title === (article.toc ?? article.title))!.page, article.title).toBe(long.pages[article.anchor]);
  });

  it("ends the month opener's list, when it cannot hold every article, with “… and N more: see the contents”", () => {
    const opener = long.pages["a-month-2025-01"]!;
    const lines = pageLines(pdf, opener).map((l) => l.trim()).filter(Boolean);
    // The opener lists the month's first articles, each with its page, in order.
    const listed = lines.flatMap((l) => {
      const m = /^(\d+)\s+(.*)$/.exec(l);
      return m ? [{ page: Number(m[1]), title: m[2]! }] : [];
    });
    const january = loadIssue(dir, dir).issue!.months[0]!.articles;
    expect(listed.length).toBeGreaterThan(5);
    expect(listed.length).toBeLessThan(january.length);
    expect(listed.map((l) => l.title)).toEqual(january.slice(0, listed.length).map((a) => a.title));
    for (const [i, l] of listed.entries()) expect(l.page).toBe(long.pages[january[i]!.anchor]);
    expect(lines.at(-1)).toBe(`… and ${january.length - listed.length} more: see the contents`);
  });
});
