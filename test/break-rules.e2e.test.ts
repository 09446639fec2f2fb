// The break rules of src/layout/in-page/break-rules.js, on small documents laid
// out here with Paged.js and digest's handlers in Chromium: where a page may
// break, read back from the laid-out pages (and from digestLayoutFlaws, which the
// build reports).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { findBrowser, launchBrowser, type BrowserSession } from "../src/layout/browser.js";
import { paginate, type LayoutFlaw } from "../src/layout/paginate.js";
import { pagedScripts } from "../src/layout/scripts.js";
import { Random } from "../src/fuzz/random.js";

let session: BrowserSession;
beforeAll(async () => {
  session = await launchBrowser(findBrowser());
});
afterAll(async () => {
  await session?.close();
});

/** What a page's laid-out text shows at its end and at the next page's head. */
interface PageEnd {
  page: number;
  /** The last text of the paragraph that runs on to the next page (`data-split-to`), if the page breaks in one. */
  last?: string;
  /** Lines of that paragraph on this page, and on the next. */
  linesHere?: number;
  linesThere?: number;
}

/** A page's share of a table: how full the page is, and whether the table's columns there were fixed at the widths it was cut with. */
interface TablePage {
  page: number;
  /** The lowest text on the page, as a share of the text area's height. */
  fill: number;
  rows: number;
  fixed: boolean;
}

/** Lays out `body` on A5 pages with `style` (in one box: each child of the body is a unit of layout, on pages of its own), and reads every page's end and the flaws digest finds. */
async function layOut(name: string, body: string, style = ""): Promise<{ ends: PageEnd[]; tables: TablePage[]; flaws: LayoutFlaw[]; pages: number }> {
  const dir = mkdtempSync(join(tmpdir(), `digest-breaks-${name}-`));
  const html = join(dir, "doc.html");
  writeFileSync(
    html,
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><style>@page { size: A5; margin: 15mm }
      body { font: 10pt/14pt serif } p { margin: 0; text-align: justify; orphans: 2; widows: 2 } ${style}</style>
      ${pagedScripts().map((s) => `<script src="${pathToFileURL(s).href}"></script>`).join("")}
      </head><body><div>${body}</div></body></html>`,
  );
  let ends: PageEnd[] = [];
  let tables: TablePage[] = [];
  const result = await paginate({
    browser: session.browser,
    url: pathToFileURL(html).href,
    anchors: [],
    timeoutMs: 60_000,
    sheetMm: { width: 148, height: 210 },
    allowedPaths: [dir, ...pagedScripts()],
    stages: [
      async ({ page }) => {
        ends = await page.evaluate(() => {
          const lineCount = (el: Element | null | undefined) => {
            if (!el) return undefined;
            const lh = parseFloat(getComputedStyle(el).lineHeight);
            return Array.from(el.getClientRects()).reduce((n, r) => n + Math.round(r.height / lh), 0);
          };
          return Array.from(document.querySelectorAll<HTMLElement>(".pagedjs_page")).map((pageEl, i) => {
            // The paragraph the page breaks in, if it breaks in one (not between two: then only their box is split).
            const split = Array.from(pageEl.querySelectorAll(":is(p, li)[data-split-to]")).filter((el) => !el.querySelector("[data-split-to]"))[0];
            const ref = split?.getAttribute("data-ref");
            const next = ref ? pageEl.nextElementSibling?.querySelector(`[data-ref="${ref}"]`) : undefined;
            return { page: i + 1, last: split?.textContent?.replace(/\u00AD/g, "").slice(-24), linesHere: lineCount(split), linesThere: lineCount(next) };
          });
        });
        tables = await page.evaluate(() =>
          Array.from(document.querySelectorAll<HTMLElement>(".pagedjs_page")).map((pageEl, i) => {
            const area = pageEl.querySelector(".pagedjs_page_content")!.getBoundingClientRect();
            let bottom = area.top;
            for (const el of Array.from(pageEl.querySelectorAll(".pagedjs_page_content :is(p, td, th)"))) for (const r of Array.from(el.getClientRects())) if (r.height) bottom = Math.max(bottom, r.bottom);
            const table = pageEl.querySelector("table");
            return { page: i + 1, fill: (bottom - area.top) / area.height, rows: pageEl.querySelectorAll("tr").length, fixed: Boolean(table?.querySelector("colgroup[data-digest-fixed]")) };
          }),
        );
      },
    ],
  });
  return { ends, tables, flaws: result.flaws, pages: result.pageCount };
}

/** Running text with many hyphenation points, so that many lines of a narrow justified column end in a hyphen (a soft hyphen's, or the word's own). */
const SOFT = "com\u00ADmu\u00ADni\u00ADca\u00ADtion of in\u00ADter\u00ADna\u00ADtion\u00ADal sec\u00ADre\u00ADtar\u00ADi\u00ADat re\u00ADgion\u00ADal co\u00ADop\u00ADer\u00ADa\u00ADtion and de\u00ADvel\u00ADop\u00ADment in\u00ADfra\u00ADstruc\u00ADture";
const OWN = "the Under-Secretary and the vice-chairman of the cross-border council met the well-known delegation of the non-aligned states in";
const paragraphs = (n: number, words: string, repeat = 5) => Array.from({ length: n }, (_, i) => `<p>Item ${i + 1}. ${`${words} `.repeat(repeat)}</p>`).join("");

describe("a word broken across a page turn", () => {
  it("never ends a page: the break moves up a line, whether the hyphen is a soft hyphen's or the word's own", async () => {
    const soft = await layOut("soft", paragraphs(30, SOFT), "@page { margin: 15mm 48mm }");
    const own = await layOut("own", paragraphs(30, OWN), "@page { margin: 15mm 40mm }");
    for (const { ends, flaws, pages } of [soft, own]) {
      expect(pages).toBeGreaterThan(6);
      const turns = ends.filter((e) => e.last !== undefined);
      expect(turns.length).toBeGreaterThan(5);
      expect(turns.filter((e) => /\p{L}[\u2010\u2011-]$/u.test(e.last!)).map((e) => `${e.page}: ${e.last}`)).toEqual([]);
      expect(flaws.filter((f) => f.kind === "page-final-hyphen")).toEqual([]);
      // Moving the break keeps the paragraph's two lines on each side.
      for (const e of turns) {
        expect(e.linesHere, `page ${e.page}`).toBeGreaterThanOrEqual(2);
        expect(e.linesThere, `page ${e.page}`).toBeGreaterThanOrEqual(2);
      }
    }
  });

  it("never ends a page of two columns either: the page's last line is its second column's", async () => {
    const { ends, flaws } = await layOut("columns", `<div style="columns: 2; column-gap: 5mm">${paragraphs(60, SOFT, 4)}</div>`, "div div { font-size: 8pt; line-height: 11pt }");
    expect(ends.filter((e) => e.last !== undefined).length).toBeGreaterThan(4);
    expect(flaws.filter((f) => f.kind === "page-final-hyphen")).toEqual([]);
    expect(ends.filter((e) => e.last !== undefined && /\p{L}[\u2010\u2011-]$/u.test(e.last)).map((e) => `${e.page}: ${e.last}`)).toEqual([]);
  });
});

describe("orphans and widows", () => {
  /** Paragraphs of 2 to 14 lines, so that page breaks fall at every place in a paragraph. */
  const varied = () => {
    const r = new Random(11);
    return Array.from({ length: 60 }, (_, i) => `<p>Item ${i + 1}. ${"the council met in the capital and agreed a plan for the corridor ".repeat(r.int(2, 16))}</p>`).join("");
  };
  /** The fewest lines a paragraph cut by a page break keeps on each side, over every page. */
  const fewest = (ends: PageEnd[]) => {
    const turns = ends.filter((e) => e.linesHere !== undefined && e.linesThere !== undefined);
    return { turns: turns.length, here: Math.min(...turns.map((e) => e.linesHere!)), there: Math.min(...turns.map((e) => e.linesThere!)) };
  };

  it("are what the stylesheet's `orphans` and `widows` say, read from the computed style: 4 keeps four lines each side, 1 lets one line stand alone", async () => {
    const four = await layOut("four", varied(), "p { orphans: 4; widows: 4 }");
    const one = await layOut("one", varied(), "p { orphans: 1; widows: 1 }");
    const two = await layOut("two", varied());
    const [f4, f1, f2] = [fewest(four.ends), fewest(one.ends), fewest(two.ends)];
    expect(Math.min(f4.turns, f1.turns, f2.turns)).toBeGreaterThan(8);
    expect(Math.min(f4.here, f4.there)).toBeGreaterThanOrEqual(4);
    expect(Math.min(f2.here, f2.there)).toBe(2);
    // Not two imposed where the designer asked for one: some break leaves a single line on a side.
    expect(Math.min(f1.here, f1.there)).toBe(1);
    // And the flaws the build reports follow the same values: none in any of the three.
    for (const { flaws } of [four, one, two]) expect(flaws.filter((f) => f.kind === "widow" || f.kind === "orphan")).toEqual([]);
  });
});

describe("a table with automatic column widths cut at a page foot", () => {
  it("keeps the columns it was cut with, so its cells do not wrap again, and no page is left part empty", async () => {
    const r = new Random(5);
    const words = "the council met in the capital and agreed a plan for the regional transport corridor with its partners while the secretariat reviewed the budget of the programme internationalisation".split(" ");
    const text = (min: number, max: number) => Array.from({ length: r.int(min, max) }, () => r.pick(words)).join(" ");
    const rows = Array.from({ length: 16 }, () => `<tr>${[0, 1, 2].map(() => `<td>${text(2, 60)}</td>`).join("")}</tr>`).join("");
    const { tables, flaws, pages } = await layOut(
      "table",
      `<p>${text(10, 200)}</p><table><tbody>${rows}</tbody></table><p>${text(80, 80)}</p>`,
      "table { width: 100%; border-collapse: collapse } td { border-bottom: 0.5pt solid #999; padding: 1mm; vertical-align: top }",
    );
    expect(pages).toBeGreaterThan(6);
    // Every page but the last is full: before, a cut row's cells wrapped again, ran past the foot, and the row went over, leaving a page half empty.
    expect(tables.slice(0, -1).filter((t) => t.fill < 0.9).map((t) => `page ${t.page}: ${Math.round(t.fill * 100)} %, ${t.rows} rows`)).toEqual([]);
    // The pages where the table was cut hold it at fixed widths; nothing is lost past a foot.
    expect(tables.slice(0, -2).every((t) => t.fixed)).toBe(true);
    expect(flaws.filter((f) => f.kind === "overflow" || f.kind === "clipped")).toEqual([]);
  });
});

describe("a headline", () => {
  /** An article as the templates write it (templates/Article.tsx): its head, then its body, a picture first when `picture` is given (its height in mm). */
  const article = (title: string, paragraphs: number, picture?: number) =>
    `<article class="article"><header class="article-head"><h2 class="article-title">${title}</h2></header><div class="article-body">` +
    (picture ? `<figure class="lead-picture"><div class="picture" style="height: ${picture}mm; background: #345"></div></figure>` : "") +
    Array.from({ length: paragraphs }, (_, i) => `<p>${title}, paragraph ${i + 1}. ${"The council met in the capital and agreed a plan for the corridor. ".repeat(4)}</p>`).join("") +
    "</div></article>";
  const style = ".article-head { break-after: avoid; break-inside: avoid } h2 { font: bold 14pt/18pt sans-serif; margin: 0 0 3mm } figure { margin: 0 0 3mm; break-inside: avoid } .filler { height: 128mm }";

  it("never stands on a page without three lines of its own text under it: with its picture and a line under it at the foot, the article moves to the next page", async () => {
    // The first article fills the page to 128 mm of its 180; the second's headline, its 40 mm picture and room for one line follow.
    const { flaws, pages, heads } = await layOutHeads(`<article class="article"><div class="article-body"><div class="filler"></div></div></article>${article("Second", 6, 40)}`, style);
    expect(pages).toBeGreaterThan(1);
    expect(heads).toEqual([{ title: "Second", page: 2 }]);
    expect(flaws.filter((f) => f.kind === "stranded-headline")).toEqual([]);
  });

  it("that starts a page with pictures too tall for three lines under them is reported as stranded: nothing the break can move", async () => {
    const { flaws } = await layOutHeads(article("Tall", 4, 168), style);
    expect(flaws.filter((f) => f.kind === "stranded-headline").map((f) => [f.page, f.text])).toEqual([[1, "Tall"]]);
  });
});

/** Lays out `body` and reads the page of each headline. */
async function layOutHeads(body: string, style: string) {
  const dir = mkdtempSync(join(tmpdir(), "digest-breaks-heads-"));
  const html = join(dir, "doc.html");
  writeFileSync(
    html,
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><style>@page { size: A5; margin: 15mm }
      body { font: 10pt/14pt serif } p { margin: 0; orphans: 2; widows: 2 } ${style}</style>
      ${pagedScripts().map((s) => `<script src="${pathToFileURL(s).href}"></script>`).join("")}
      </head><body><div>${body}</div></body></html>`,
  );
  let heads: { title: string; page: number }[] = [];
  const result = await paginate({
    browser: session.browser,
    url: pathToFileURL(html).href,
    anchors: [],
    timeoutMs: 60_000,
    sheetMm: { width: 148, height: 210 },
    allowedPaths: [dir, ...pagedScripts()],
    stages: [
      async ({ page }) => {
        heads = await page.evaluate(() =>
          Array.from(document.querySelectorAll(".pagedjs_page h2")).map((h) => ({ title: h.textContent!, page: Number((h.closest(".pagedjs_page") as HTMLElement).dataset.pageNumber) })),
        );
      },
    ],
  });
  return { flaws: result.flaws, pages: result.pageCount, heads };
}

describe("a picture in an article's text", () => {
  it("that does not fit at the page foot floats to the head of the next page, the text after it filling this one", async () => {
    const text = (n: number) => Array.from({ length: n }, (_, i) => `<p>Paragraph ${i + 1}. ${"The council met in the capital and agreed a plan for the corridor. ".repeat(3)}</p>`).join("");
    const body = `<article class="article"><header class="article-head"><h2 class="article-title">Floats</h2></header><div class="article-body">${text(5)}<figure><div style="height: 100mm; background: #345"></div></figure>${text(12)}</div></article>`;
    const { flaws } = await layOutHeads(body, "h2 { font: bold 14pt/18pt sans-serif; margin: 0 0 3mm } figure { margin: 0 0 3mm; break-inside: avoid }");
    expect(flaws.filter((f) => f.kind === "overflow" || f.kind === "clipped")).toEqual([]);
    const placed = await figurePlace(body, "h2 { font: bold 14pt/18pt sans-serif; margin: 0 0 3mm } figure { margin: 0 0 3mm; break-inside: avoid }");
    // The picture stands at the head of page 2 (after the last lines of the paragraph the page broke in, if it broke in one), and page 1 is full of the text that came after it.
    expect(placed.page).toBe(2);
    expect(placed.linesAbove).toBeLessThanOrEqual(4);
    expect(placed.firstPageFill).toBeGreaterThan(0.9);
    expect(placed.paragraphsOnFirstPage).toBeGreaterThan(5);
  });
});

/** Where a document's only picture lands: its page, the lines above it there, and how full page 1 is. */
async function figurePlace(body: string, style: string) {
  const dir = mkdtempSync(join(tmpdir(), "digest-breaks-float-"));
  const html = join(dir, "doc.html");
  writeFileSync(
    html,
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><style>@page { size: A5; margin: 15mm }
      body { font: 10pt/14pt serif } p { margin: 0; orphans: 2; widows: 2 } ${style}</style>
      ${pagedScripts().map((s) => `<script src="${pathToFileURL(s).href}"></script>`).join("")}
      </head><body><div>${body}</div></body></html>`,
  );
  let placed = { page: 0, linesAbove: 0, firstPageFill: 0, paragraphsOnFirstPage: 0 };
  await paginate({
    browser: session.browser,
    url: pathToFileURL(html).href,
    anchors: [],
    timeoutMs: 60_000,
    sheetMm: { width: 148, height: 210 },
    allowedPaths: [dir, ...pagedScripts()],
    stages: [
      async ({ page }) => {
        placed = await page.evaluate(() => {
          const figure = document.querySelector(".pagedjs_page figure")!;
          const pageEl = figure.closest(".pagedjs_page") as HTMLElement;
          const top = pageEl.querySelector(".pagedjs_page_content")!.getBoundingClientRect().top;
          const first = document.querySelector(".pagedjs_page")!;
          const area = first.querySelector(".pagedjs_page_content")!.getBoundingClientRect();
          const bottom = Math.max(...Array.from(first.querySelectorAll("p")).map((p) => p.getBoundingClientRect().bottom));
          return { page: Number(pageEl.dataset.pageNumber), linesAbove: Math.round((figure.getBoundingClientRect().top - top) / parseFloat(getComputedStyle(figure.parentElement!).lineHeight)), firstPageFill: (bottom - area.top) / area.height, paragraphsOnFirstPage: first.querySelectorAll("p").length };
        });
      },
    ],
  });
  return placed;
}
