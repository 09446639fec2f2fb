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
  /** The last text of the box that runs on to the next page (`data-split-to`), if any. */
  last?: string;
  /** Lines of that paragraph on this page, and on the next. */
  linesHere?: number;
  linesThere?: number;
}

/** Lays out `body` on A5 pages with `style` (in one box: each child of the body is a unit of layout, on pages of its own), and reads every page's end and the flaws digest finds. */
async function layOut(name: string, body: string, style = ""): Promise<{ ends: PageEnd[]; flaws: LayoutFlaw[]; pages: number }> {
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
            const split = Array.from(pageEl.querySelectorAll("[data-split-to]")).filter((el) => !el.querySelector("[data-split-to]"))[0];
            const ref = split?.getAttribute("data-ref");
            const next = ref ? pageEl.nextElementSibling?.querySelector(`[data-ref="${ref}"]`) : undefined;
            return { page: i + 1, last: split?.textContent?.replace(/\u00AD/g, "").slice(-24), linesHere: lineCount(split), linesThere: lineCount(next) };
          });
        });
      },
    ],
  });
  return { ends, flaws: result.flaws, pages: result.pageCount };
}

/** Running text with many hyphenation points, so that many lines of a narrow justified column end in a hyphen (a soft hyphen's, or the word's own). */
const SOFT = "the com\u00ADmu\u00ADni\u00ADca\u00ADtion of the in\u00ADter\u00ADna\u00ADtion\u00ADal sec\u00ADre\u00ADtar\u00ADi\u00ADat on re\u00ADgion\u00ADal co\u00ADop\u00ADer\u00ADa\u00ADtion and its de\u00ADvel\u00ADop\u00ADment was met with";
const OWN = "the Under-Secretary and the vice-chairman of the cross-border council met the well-known delegation of the non-aligned states in";
const paragraphs = (n: number, words: string, repeat = 5) => Array.from({ length: n }, (_, i) => `<p>Item ${i + 1}. ${`${words} `.repeat(repeat)}</p>`).join("");

describe("a word broken across a page turn", () => {
  it("never ends a page: the break moves up a line, whether the hyphen is a soft hyphen's or the word's own", async () => {
    const soft = await layOut("soft", paragraphs(30, SOFT), "div { width: 60mm }");
    const own = await layOut("own", paragraphs(30, OWN), "div { width: 60mm }");
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
    expect(ends.filter((e) => e.last !== undefined).length).toBeGreaterThan(6);
    expect(flaws.filter((f) => f.kind === "page-final-hyphen")).toEqual([]);
    expect(ends.filter((e) => e.last !== undefined && /\p{L}[\u2010\u2011-]$/u.test(e.last)).map((e) => `${e.page}: ${e.last}`)).toEqual([]);
  });
});
