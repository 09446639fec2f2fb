import { beforeAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "puppeteer";
import { buildIssue, loadIssue, planIssue } from "../src/index.js";
import { shareOut } from "../src/layout/units.js";
import { renderIssueUnits } from "../src/render/render-issue.js";
import { splitFrontMatter } from "../src/content/front-matter.js";

/**
 * Units of layout (each child of the document's body starts a page): laid out in
 * parallel, alone for copyfitting, or taken from the layout cache, the pages
 * printed are the same bytes as when the whole document is laid out at once.
 */
const root = join(import.meta.dirname, "..");
process.env.SOURCE_DATE_EPOCH = "1727740800";

const bytes = (path: string) => readFileSync(path);

/**
 * Low enough a share for the sample (121 000 characters of markup) to be shared out among three
 * renderers: the first layout's parallel path, which the sample alone (under 150 000) never takes.
 */
const MIN_SHARE = 20_000;

/**
 * Records the units of each share of the first layout, as the pages that lay them out load them: the
 * first page and the workers' documents of some units alone (`#units=…`), copyfitting's (`&copyfit=…`) left out.
 * The pages start at the same time, in no set order: the shares are given in print order (the first page's first).
 */
function shareRecorder(): { shares: number[][]; watchPage: (page: Page) => Promise<void> } {
  const loaded: number[][] = [];
  return {
    get shares() {
      return [...loaded].sort((a, b) => a[0]! - b[0]!);
    },
    watchPage: async (page) => {
      const goto = page.goto.bind(page);
      page.goto = (url: string, options?: Parameters<Page["goto"]>[1]) => {
        const m = /#units=([\d,]+)$/.exec(url);
        if (m) loaded.push(m[1]!.split(",").map(Number));
        return goto(url, options);
      };
    },
  };
}

/** The words of a page with their boxes, and the page's TrimBox (in pdftotext's coordinates: y from the top). */
function wordsOf(pdf: string, page: number): { words: { text: string; x0: number; x1: number; y: number }[]; trim: { left: number; right: number; top: number; bottom: number } } {
  const boxes = execFileSync("pdfinfo", ["-box", "-f", String(page), "-l", String(page), pdf], { encoding: "utf8" });
  const box = /TrimBox:\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)/.exec(boxes)!.slice(1).map(Number);
  const height = Number(/MediaBox:\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+([\d.]+)/.exec(boxes)![1]);
  const html = execFileSync("pdftotext", ["-bbox", "-f", String(page), "-l", String(page), pdf, "-"], { encoding: "utf8" });
  const words = [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<\/word>/g)].map((m) => ({ text: m[4]!, x0: Number(m[1]), y: Number(m[2]), x1: Number(m[3]) }));
  return { words, trim: { left: box[0]!, right: box[2]!, top: height - box[3]!, bottom: height - box[1]! } };
}

const MM = 72 / 25.4;
/** A page's running head (the words in its top 15 mm) and folio (the words in its bottom 21 mm: below the text area, which a page a line longer does not reach). */
function headAndFolio(pdf: string, page: number) {
  const { words, trim } = wordsOf(pdf, page);
  const head = words.filter((w) => w.y < trim.top + 15 * MM);
  const foot = words.filter((w) => w.y > trim.bottom - 21 * MM);
  return { head, foot, trim, centre: (trim.left + trim.right) / 2 };
}

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

  it("print the same bytes laid out by one job or shared out among three, and taken from the layout cache", async () => {
    const three = join(work, "three.pdf");
    const recorder = shareRecorder();
    const report = await buildIssue({ issue, out: three, jobs: 3, minShare: MIN_SHARE, cache: false, watchPage: recorder.watchPage });
    expect(report.units.cached).toBe(0);
    // The first layout was shared out: three shares, every unit in one of them, in print order.
    expect(recorder.shares.length).toBeGreaterThanOrEqual(2);
    expect(recorder.shares.length).toBe(3);
    expect(recorder.shares.flat()).toEqual(Array.from({ length: report.units.total }, (_, i) => i));
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

  it("keep the running heads, sides and folios of pages laid out by other renderers, where they fall on the other side", async () => {
    // A copy of the sample whose July is a page longer: August and September open on left-hand pages,
    // so the shares laid out by the workers (each from a right-hand page) change sides when they are taken in.
    const dir = join(mkdtempSync(join(tmpdir(), "digest-sides-")), "2024-q3");
    cpSync(join(root, "issues", "2024-q3"), dir, { recursive: true });
    const september = join(dir, "months", "2024-09");
    const donors = readdirSync(september).sort().flatMap((f) => splitFrontMatter(readFileSync(join(september, f), "utf8")).body.split(/\n\s*\n/).map((p) => p.trim()).filter((p) => p.length > 200 && !p.startsWith("!")));
    const july = join(dir, "months", "2024-07", "05-road-map-signing-ceremony.md");
    const written = readFileSync(july, "utf8");
    /** The page each worker's share opens on, in a layout of the issue as it now stands. */
    const shareStarts = (recorder: ReturnType<typeof shareRecorder>, pages: Record<string, number>) => {
      const { issue: loaded } = loadIssue(dir, dir);
      const units = renderIssueUnits(loaded!, { scripts: [] }).units;
      const anchorOf = (unit: number) => /id="(a-[^"]+)"/.exec(units[unit]!)?.[1];
      return recorder.shares.slice(1).map((share) => pages[anchorOf(share[0]!)!]!);
    };
    // As much text as puts the first worker's share on a left-hand page once the issue is fitted to its binding
    // (copyfitting may pull a page back or carry one on): the plan says where they open.
    for (const words of [650, 450, 850, 1050, 1250, 1450]) {
      const added: string[] = [];
      for (const p of donors) if (added.join(" ").split(/\s+/).length < words) added.push(p);
      writeFileSync(july, `${written}\n${added.join("\n\n")}\n`);
      const planning = shareRecorder();
      const planned = await planIssue({ issue: dir, cwd: dir, jobs: 3, minShare: MIN_SHARE, cache: false, watchPage: planning.watchPage });
      if (shareStarts(planning, planned.pages)[0]! % 2 === 0) break;
    }

    const pdf = join(work, "sides.pdf");
    const recorder = shareRecorder();
    const report = await buildIssue({ issue: dir, out: pdf, jobs: 3, minShare: MIN_SHARE, cache: false, watchPage: recorder.watchPage });

    // The units each share laid out, and the page each share's first unit starts on.
    expect(recorder.shares.length).toBe(3);
    const starts = shareStarts(recorder, report.pages);
    // The premise: a worker's share opens on a left-hand (even) page, though it was laid out from a right-hand one
    // (the other may too, or not: copyfitting to the binding's multiple may take a page from August).
    expect(starts[0]! % 2, `the workers' shares start on pages ${starts.join(", ")}`).toBe(0);
    expect(starts[0]).toBe(report.pages["a-month-2024-08"]);

    // Every page from the first worker's share to the back cover: the issue's name on left-hand pages, the
    // section's on right-hand ones, at the outer edge, and the page's own number as its folio, at the outer edge.
    const sections: [string, string][] = [["a-month-2024-08", "AUGUST"], ["a-month-2024-09", "SEPTEMBER"], ["a-flash-briefing", "FLASH BRIEFING"]];
    const sectionAt = (page: number) => sections.filter(([anchor]) => report.pages[anchor]! <= page).at(-1)![1];
    // Pages designed whole have neither: the month openers, the house page the binding took, and the ads (the
    // AIFC's after an article, the back cover), which say ADVERTISEMENT at their foot instead.
    const housePage = report.fillers.includes("house") ? report.pageCount - report.fillers.length + report.fillers.indexOf("house") : -1;
    const isAd = (n: number) => headAndFolio(pdf, n).foot.map((w) => w.text).join("") === "ADVERTISEMENT";
    expect(isAd(report.pageCount)).toBe(true);
    const bare = new Set([report.pages["a-month-2024-08"], report.pages["a-month-2024-09"], housePage]);
    const folioEdges = { left: new Set<string>(), right: new Set<string>() };
    let foliated = 0;
    for (let n = starts[0]!; n <= report.pageCount; n++) {
      const { head, foot, centre } = headAndFolio(pdf, n);
      const folio = foot.filter((w) => /^\d+$/.test(w.text));
      if (bare.has(n) || isAd(n)) {
        expect(folio, `page ${n} has no folio`).toEqual([]);
        continue;
      }
      foliated++;
      expect(folio.map((w) => w.text), `the folio of page ${n}`).toEqual([String(n)]);
      const headText = head.map((w) => w.text).join(" ");
      const left = n % 2 === 0;
      expect(headText, `the running head of page ${n}`).toBe(left ? "CICA DIGEST · JULY–SEPTEMBER 2024" : sectionAt(n));
      // The side: on a left-hand page the head and folio start at the left margin; on a right-hand one they end at the right margin.
      if (left) {
        expect(folio[0]!.x1, `page ${n}'s folio on the left`).toBeLessThan(centre);
        expect(Math.abs(Math.min(...head.map((w) => w.x0)) - folio[0]!.x0), `page ${n}'s head and folio flush left`).toBeLessThan(1.5);
        folioEdges.left.add(folio[0]!.x0.toFixed(1));
      } else {
        expect(folio[0]!.x0, `page ${n}'s folio on the right`).toBeGreaterThan(centre);
        // (to a side bearing: the last letters differ; mirrored margins that were not mirrored would be millimetres off)
        expect(Math.abs(Math.max(...head.map((w) => w.x1)) - folio[0]!.x1), `page ${n}'s head and folio flush right`).toBeLessThan(1.5);
        folioEdges.right.add(folio[0]!.x1.toFixed(1));
      }
    }
    // August's and September's news and the flash briefing at least: ten pages and more.
    expect(foliated).toBeGreaterThanOrEqual(10);
    // One outer edge a side, on every page checked, and the same as on the pages the first renderer laid out (July's).
    const firstRenderer = (side: 0 | 1) => {
      for (let n = report.pages["a-month-2024-07"]! + 1; n < starts[0]!; n++) {
        const folio = headAndFolio(pdf, n).foot.find((w) => /^\d+$/.test(w.text));
        if (folio && n % 2 === side) return side === 0 ? folio.x0.toFixed(1) : folio.x1.toFixed(1);
      }
      throw new Error("July has no page of news on that side");
    };
    expect([...folioEdges.left]).toEqual([firstRenderer(0)]);
    expect([...folioEdges.right]).toEqual([firstRenderer(1)]);

    // And the pages are those one renderer lays out, to the byte.
    const one = join(work, "sides-one.pdf");
    await buildIssue({ issue: dir, out: one, jobs: 1, cache: false });
    expect(bytes(pdf).equals(bytes(one)), "three renderers printed other bytes than one").toBe(true);
  }, 240_000);
});
