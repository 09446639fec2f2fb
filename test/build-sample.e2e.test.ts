import { beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFRef, PDFString } from "pdf-lib";
import { buildIssue, type BuildReport } from "../src/index.js";
import { loadIssue } from "../src/content/load-issue.js";
import { contentsEntries, fonts, info, normalise, pageLines, pageText } from "./helpers/pdf.js";

/**
 * End to end, in real Chromium: build the sample issue, then read the PDF back
 * with the printers' tools and check what an editor and a printer would check.
 */
const root = join(import.meta.dirname, "..");
const out = join(mkdtempSync(join(tmpdir(), "digest-e2e-")), "2024-q3.pdf");
const { issue } = loadIssue(join(root, "issues", "2024-q3"), root);
let report: BuildReport;

beforeAll(async () => {
  report = await buildIssue({ issue: "2024-q3", out, cwd: root, cache: false });
});

describe("the sample issue as a PDF", () => {
  it("has a page count fit for saddle-stitch binding, the cover first and the back cover last", () => {
    const pages = Number(info(out).Pages);
    expect(pages).toBe(report.pageCount);
    expect(pages % 4).toBe(0);
    expect(pages).toBeGreaterThanOrEqual(24);
    expect(pageText(out, 1)).toContain("CICA Digest");
    expect(pageText(out, 1).toLowerCase()).toContain("voice of asia");
    expect(pageText(out, 1)).toContain("July–September 2024");
    expect(pageText(out, pages)).toMatch(/KAZAKHSTAN/i);
  });

  it("has no blank page and no near-empty page: copyfitting set the flash briefing tighter instead, and no page had to be padded", () => {
    const layout = report.layout;
    expect(layout.counts["blank-page"] ?? 0).toBe(0);
    expect(layout.counts["near-empty-page"] ?? 0).toBe(0);
    expect(layout.counts["stranded-headline"] ?? 0).toBe(0);
    expect(report.blanksAdded).toBe(0);
    // The first layout left one flash item alone on a page; copyfitting pulled it back.
    expect(report.copyfit.variants).toEqual({ "Flash Briefing": "tight" });
    const flash = report.pages["a-flash-briefing"]!;
    expect(pageText(out, flash + 1)).toMatch(/KAZAKHSTAN/i);
    expect(pageText(out, flash)).toContain("SWG sessions were held on 20 and 27 August");
  });

  it("has a one-page contents list whose page numbers are where each article's title stands", () => {
    expect(pageText(out, 2)).toContain("In this issue");
    const contents = pageText(out, 2);
    const entries = contentsEntries(out, 2);
    const articles = [...issue!.spotlight, ...issue!.months.flatMap((m) => m.articles)];
    expect(articles.length).toBe(24);
    // Every article, then the foreword and the flash briefing: nothing else, nothing twice.
    expect(entries.length).toBe(articles.length + 2);
    for (const article of articles) {
      const title = normalise(article.toc ?? article.title);
      const entry = entries.find((e) => e.title === title);
      expect(entry, `contents entry for "${title}" in ${JSON.stringify(entries.map((e) => e.title))}`).toBeDefined();
      const page = entry!.page;
      expect(pageText(out, page), `"${article.title}" on page ${page}`).toContain(normalise(article.title));
      expect(report.pages[article.anchor]).toBe(page);
    }
    // The masthead is on the contents page too.
    expect(contents).toContain("Mangilik Yel");
    expect(pageText(out, 3)).not.toContain("In this issue");
  });

  it("lists the foreword and the flash briefing in the contents at their pages", () => {
    const entries = contentsEntries(out, 2);
    for (const [title, needle] of <[string, string][]>[
      ["Foreword", "Distinguished colleagues and friends"],
      ["Flash Briefing", "CICA Art Collection Initiative"],
    ]) {
      const page = entries.find((e) => e.title === title)!.page;
      expect(pageText(out, page)).toContain(title);
      const pages = [page, page + 1].map((p) => pageText(out, p)).join(" ");
      expect(pages.toLowerCase()).toContain(needle.toLowerCase());
    }
  });

  it("leaves no widow, orphan or stranded headline", () => {
    expect(report.flaws).toEqual([]);
  });

  it("prints the AIFC ad on the page after the one where the South Korea article ends, not leaving that page half empty", () => {
    const pages = Number(info(out).Pages);
    const adPage = Array.from({ length: pages }, (_, i) => i + 1).find((p) => /UNIQUE OPPORTUNITIES FOR INVESTING/i.test(pageText(out, p)))!;
    expect(adPage).toBeDefined();
    expect(pageText(out, adPage - 1)).toContain("one of the largest contributors to Secretariat's budget.");
    // The next article goes on filling that page: its text does not end with the Korea article.
    expect(pageText(out, adPage - 1)).toContain("CICA Special Working Group Launches Series of Meetings");
  });

  it("prints the datelines from front matter", () => {
    const page = report.pages[issue!.months[0]!.articles[0]!.anchor]!;
    expect(pageText(out, page)).toMatch(/4 JULY 2024 – ASTANA, KAZAKHSTAN/i);
  });

  it("embeds every font, as TrueType, none as Type 3", () => {
    const rows = fonts(out);
    expect(rows.length).toBeGreaterThanOrEqual(4);
    for (const f of rows) {
      expect(f.embedded, f.name).toBe(true);
      expect(f.type, f.name).not.toMatch(/Type 3/);
      expect(f.type, f.name).toMatch(/TrueType/);
    }
    expect(rows.map((f) => f.name).join(" ")).toMatch(/PTSerif-Regular/);
    expect(rows.map((f) => f.name).join(" ")).toMatch(/PTSans-Bold/);
  });

  it("hyphenates justified text: lines break inside words at soft hyphens", () => {
    const page = report.pages[issue!.months[0]!.articles[0]!.anchor]!;
    let breaks = 0;
    for (let p = page; p < page + 4; p++) {
      const lines = pageLines(out, p);
      // A line of a column that ends in a soft hyphen's visible "-": a word broken by hyphenation.
      for (const line of lines) breaks += line.match(/\p{L}\u00AD-(?=\s{2,}|$)/gu)?.length ?? 0;
    }
    expect(breaks).toBeGreaterThan(10);
  });

  it("carries title, author, subject and language in its metadata", async () => {
    const meta = info(out);
    expect(meta.Title).toBe("CICA Digest · July–September 2024");
    expect(meta.Author).toBe("Secretariat of the Conference on Interaction and Confidence Building Measures in Asia");
    expect(meta.Subject).toContain("Voice of Asia");
    const doc = await PDFDocument.load(readFileSync(out), { updateMetadata: false });
    const lang = doc.catalog.lookup(PDFName.of("Lang"));
    expect(lang instanceof PDFString || lang instanceof PDFHexString ? lang.decodeText() : undefined).toBe("en");
  });

  it("has an outline of sections and articles pointing at their pages", async () => {
    const doc = await PDFDocument.load(readFileSync(out), { updateMetadata: false });
    const pageRefs = doc.getPages().map((p) => p.ref.toString());
    const outlines = doc.catalog.lookup(PDFName.of("Outlines"), PDFDict);
    const walk = (first: PDFRef | undefined, depth: number): { title: string; page: number; depth: number }[] => {
      const items: { title: string; page: number; depth: number }[] = [];
      let ref = first;
      while (ref) {
        const item = doc.context.lookup(ref, PDFDict);
        const title = (item.lookup(PDFName.of("Title")) as PDFHexString | PDFString).decodeText();
        const dest = item.lookup(PDFName.of("Dest"), PDFArray);
        items.push({ title, page: pageRefs.indexOf(dest.get(0).toString()) + 1, depth });
        const child = item.get(PDFName.of("First")) as PDFRef | undefined;
        if (child) items.push(...walk(child, depth + 1));
        ref = item.get(PDFName.of("Next")) as PDFRef | undefined;
      }
      return items;
    };
    const items = walk(outlines.get(PDFName.of("First")) as PDFRef, 0);
    expect(items.filter((i) => i.depth === 0).map((i) => i.title)).toEqual(["Foreword", "In the Spotlight", "July", "August", "September", "Flash Briefing"]);
    expect(items.filter((i) => i.depth === 1)).toHaveLength(24);
    for (const article of issue!.months.flatMap((m) => m.articles)) {
      const item = items.find((i) => i.title === article.title);
      expect(item, article.title).toBeDefined();
      expect(item!.page).toBe(report.pages[article.anchor]);
    }
  });
});
