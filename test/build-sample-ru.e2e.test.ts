import { beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFRef, PDFString } from "pdf-lib";
import { buildIssue, type BuildReport } from "../src/index.js";
import { loadIssue } from "../src/content/load-issue.js";
import { contentsEntries, fonts, info, normalise, pageLines, pageText, printedText } from "./helpers/pdf.js";

/**
 * End to end, in real Chromium: the Russian edition of the sample, read back with
 * poppler: Russian labels, dates, quotes and hyphenation, and contents numbers
 * where the articles stand.
 */
const root = join(import.meta.dirname, "..");
const out = join(mkdtempSync(join(tmpdir(), "digest-e2e-ru-")), "2024-q3-ru.pdf");
const { issue } = loadIssue(join(root, "issues", "2024-q3-ru"), root);
let report: BuildReport;
const ruContents = { heading: /В этом номере/, publishedBy: /Издатель/i };
const pageCount = () => Number(info(out).Pages);
const allPages = () => Array.from({ length: pageCount() }, (_, i) => i + 1);

beforeAll(async () => {
  report = await buildIssue({ issue: "2024-q3-ru", out, cwd: root, cache: false });
});

describe("the Russian edition as a PDF", () => {
  it("passes preflight, with a page count fit for saddle-stitch binding", () => {
    expect(report.preflight.map((p) => [p.edition, p.report.ok])).toEqual([["print", true]]);
    expect(pageCount()).toBe(report.pageCount);
    expect(pageCount() % 4).toBe(0);
  });

  it("prints the cover in Russian: tagline, period from the issue's name, the spotlight label", () => {
    const cover = pageText(out, 1);
    expect(cover).toContain("CICA Digest");
    expect(cover.toLowerCase()).toContain("голос азии");
    expect(cover).toContain("Июль–сентябрь 2024");
    expect(cover.toLowerCase()).toContain("в центре внимания");
    expect(cover).toContain("28 августа 2024 г.");
  });

  it("has a contents page headed in Russian whose page numbers are where each article's title stands", () => {
    const contents = pageText(out, 2);
    expect(contents).toContain("В этом номере");
    expect(contents).not.toMatch(/In this issue|Foreword|Spotlight|published by/i);
    const entries = contentsEntries(out, 2, ruContents);
    const articles = [...issue!.spotlight, ...issue!.months.flatMap((m) => m.articles)];
    expect(articles.length).toBe(9);
    expect(entries.length).toBe(articles.length + 2);
    for (const article of articles) {
      const title = normalise(article.toc ?? article.title);
      const entry = entries.find((e) => e.title === title);
      expect(entry, `contents entry for "${title}" in ${JSON.stringify(entries.map((e) => e.title))}`).toBeDefined();
      expect(pageText(out, entry!.page), `"${article.title}" on page ${entry!.page}`).toContain(normalise(article.title));
      expect(report.pages[article.anchor]).toBe(entry!.page);
    }
    // The foreword and the flash briefing take their titles from the labels.
    for (const [title, needle] of [
      ["Вступительное слово", "Уважаемые коллеги и друзья"],
      ["Коротко", "Культурный калейдоскоп"],
    ] as const) {
      const entry = entries.find((e) => e.title === title);
      expect(entry, title).toBeDefined();
      expect(pageText(out, entry!.page)).toContain(title);
      expect([entry!.page, entry!.page + 1].map((p) => pageText(out, p)).join(" ")).toContain(needle);
    }
    // The masthead, in Russian (its first line is letter-spaced).
    expect(contents.replace(/\s/g, "")).toMatch(/ИздательCICADigest/i);
    expect(contents).toContain("Адрес");
    expect(contents).toContain("Эл. почта");
  });

  it("opens each month with its Russian name and the news label", () => {
    for (const [month, name] of [
      ["2024-07", "Июль"],
      ["2024-08", "Август"],
      ["2024-09", "Сентябрь"],
    ]) {
      const opener = pageText(out, report.pages[issue!.months.find((m) => m.key === month)!.anchor]!);
      expect(opener).toContain(name);
      expect(opener.toLowerCase()).toContain("новости");
    }
  });

  it("prints Russian datelines: `4 июля 2024 г. — Астана`, and a span of days", () => {
    const sco = issue!.months[0]!.articles[0]!;
    expect(pageText(out, report.pages[sco.anchor]!)).toMatch(/4 ИЮЛЯ 2024 Г\. — АСТАНА, КАЗАХСТАН/i);
    const un = issue!.months[0]!.articles.find((a) => a.slug.endsWith("un-political-forum"))!;
    expect(pageText(out, report.pages[un.anchor]!)).toMatch(/15–18 ИЮЛЯ 2024 Г\. — НЬЮ-ЙОРК/i);
  });

  it("sets Russian quotes: «ёлочки» outside, „лапки“ inside, never typed ones", () => {
    // As printed: pageText would fold the marks into typed ones.
    const printed = (p: number) => printedText(out, p);
    const transport = issue!.months[2]!.articles[0]!;
    const text = printed(report.pages[transport.anchor]!);
    expect(text).toContain("«Север — Юг»");
    // „лапки“ inside «ёлочки»: the quote within the ambassador's words.
    expect(text).toMatch(/«Политическая стабильность — основа[^»]*„надёжной многосторонней площадкой“ для диалога[^»]*»/);
    const everything = allPages().map(printed).join(" ");
    expect(everything).toContain("«Евразия Global»");
    expect(everything).not.toMatch(/["'\u201D]/);
  });

  it("hyphenates the Russian text: lines break inside Cyrillic words at soft hyphens", () => {
    let breaks = 0;
    const start = report.pages["a-foreword"]!;
    for (let p = start; p < start + 4; p++) {
      for (const line of pageLines(out, p)) breaks += line.match(/\p{Script=Cyrillic}\u00AD-(?=\s{2,}|$)/gu)?.length ?? 0;
    }
    expect(breaks).toBeGreaterThan(10);
  });

  it("labels the ads in Russian", () => {
    const adPage = allPages().find((p) => /УНИКАЛЬНЫЕ ВОЗМОЖНОСТИ/i.test(pageText(out, p)));
    expect(adPage).toBeDefined();
    expect(pageText(out, adPage!).toLowerCase()).toContain("реклама");
    expect(pageText(out, adPage!)).not.toMatch(/advertisement/i);
  });

  it("embeds only the issue's fonts, as TrueType", () => {
    for (const f of fonts(out)) {
      expect(f.embedded, f.name).toBe(true);
      expect(f.type, f.name).toMatch(/TrueType/);
      expect(f.name.replace(/^[A-Z]{6}\+/, ""), f.name).toMatch(/^PT(Serif|Sans|Mono)-/);
    }
  });

  it("says it is Russian, and bookmarks its sections in Russian", async () => {
    const doc = await PDFDocument.load(readFileSync(out), { updateMetadata: false });
    const lang = doc.catalog.lookup(PDFName.of("Lang"));
    expect(lang instanceof PDFString || lang instanceof PDFHexString ? lang.decodeText() : undefined).toBe("ru");
    const outlines = doc.catalog.lookup(PDFName.of("Outlines"), PDFDict);
    const titles: string[] = [];
    let ref = outlines.get(PDFName.of("First")) as PDFRef | undefined;
    while (ref) {
      const item = doc.context.lookup(ref, PDFDict);
      titles.push((item.lookup(PDFName.of("Title")) as PDFHexString | PDFString).decodeText());
      expect(item.lookup(PDFName.of("Dest"), PDFArray)).toBeDefined();
      ref = item.get(PDFName.of("Next")) as PDFRef | undefined;
    }
    expect(titles).toEqual(["Вступительное слово", "В центре внимания", "Июль", "Август", "Сентябрь", "Коротко"]);
  });
});
