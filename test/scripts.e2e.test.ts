import { describe, expect, it } from "vitest";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fonts, info } from "./helpers/pdf.js";

/**
 * Every script of the region prints from the fonts digest ships (issue 19): an issue
 * whose articles name people in Chinese, Korean, Japanese, Mongolian and Kazakh
 * Cyrillic, Vietnamese, Azerbaijani, Thai, Hindi, Bengali, Sinhala, Khmer, Arabic,
 * Urdu, Persian, Hebrew, Georgian, Armenian and Greek, with ↩ ≥ ≧ → € ✓, builds with
 * nothing refused, every font embedded as TrueType, and gives the names back from
 * its text layer, the right-to-left ones in logical order. And text without spaces
 * (a Chinese paragraph of several pages, a 3,000-character token, a run of
 * brackets) crosses pages without losing or repeating a character.
 */
const root = join(import.meta.dirname, "..");
const scripts = join(root, "test", "fixtures", "scripts", "2024-q3");
const longRuns = join(root, "test", "fixtures", "long-runs", "2024-q3");

function build(issue: string): string {
  const out = join(mkdtempSync(join(tmpdir(), "digest-scripts-")), "issue.pdf");
  const r = spawnSync(process.execPath, [join(root, "bin", "digest.js"), "build", issue, "--out", out, "--no-cache"], {
    cwd: root,
    env: { ...process.env, SOURCE_DATE_EPOCH: "1727740800" },
    encoding: "utf8",
    timeout: 240_000,
  });
  expect(r.status, r.stderr + r.stdout).toBe(0);
  // Nothing refused, nothing warned about a glyph.
  expect(r.stderr + r.stdout).not.toMatch(/missing-glyph|error/);
  return out;
}

const pageCount = (pdf: string) => Number(info(pdf).Pages);
/** Each page's text; `raw`: in the order the PDF draws it (column by column), not as pdftotext reads the columns. */
const pagesText = (pdf: string, raw = false) =>
  Array.from({ length: pageCount(pdf) }, (_, i) =>
    execFileSync("pdftotext", [...(raw ? ["-raw"] : []), "-f", String(i + 1), "-l", String(i + 1), "-enc", "UTF-8", pdf, "-"], { encoding: "utf8", maxBuffer: 64 << 20 }),
  );

/** Text as compared: no soft hyphens (with the hyphen a line break gave them), no spaces or line ends, no bidi marks pdftotext adds around right-to-left runs. */
const squeeze = (text: string) => text.replace(/\u00AD-?/g, "").replace(/[\s\u200E\u200F\u202A-\u202E]+/g, "");

describe("names in every script of the region", () => {
  const pdf = build(scripts);
  const text = squeeze(pagesText(pdf).join("\n"));

  it("embeds every font as TrueType (none Type 3), each from PT or the Noto families digest ships", () => {
    const rows = fonts(pdf);
    for (const f of rows) {
      expect(f.embedded, f.name).toBe(true);
      expect(f.type, f.name).toBe("CID TrueType");
      expect(f.name.replace(/^[A-Z]{6}\+/, ""), f.name).toMatch(/^(PT(Serif|Sans|Mono)|Noto(Serif|Sans|Naskh))/);
    }
    const families = new Set(rows.map((f) => f.name.replace(/^[A-Z]{6}\+/, "").replace(/(Thin|ExtraLight)?-.*$/, "")));
    // Each script from its own family, serif in the text and sans in the headlines.
    for (const family of ["NotoSerif", "NotoSerifSC", "NotoSerifKR", "NotoSerifJP", "NotoSerifThai", "NotoSerifDevanagari", "NotoSerifBengali", "NotoSerifSinhala", "NotoSerifKhmer", "NotoNaskhArabic", "NotoSerifHebrew", "NotoSerifGeorgian", "NotoSerifArmenian", "NotoSansMath", "NotoSansSC", "NotoSansKR", "NotoSansThai", "NotoSansHebrew"]) {
      expect(families, family).toContain(family);
    }
  });

  it.each([
    ["Chinese", "Wang Yi (王毅)"],
    // (pdftotext joins a line broken after a hyphen, dropping it: "Ching-te" is not compared.)
    ["Chinese, traditional", "te (賴清德)"],
    ["Korean", "Cho Tae-yul (조태열)"],
    ["Japanese", "上川陽子, かみかわ ようこ"],
    ["Mongolian", "Лувсаннамсрайн Оюун-Эрдэнэ"],
    ["Kazakh", "Мұхтар Тілеуберді"],
    ["Vietnamese", "Bùi Thanh Sơn"],
    ["Vietnamese", "Nguyễn Phú Trọng"],
    ["Azerbaijani", "İlham Əliyev"],
    ["Thai", "แพทองธาร ชินวัตร"],
    ["Hindi", "नरेन्द्र मोदी"],
    ["Bengali", "মুহাম্মদ ইউনূস"],
    ["Sinhala", "රනිල් වික්‍රමසිංහ"],
    ["Khmer", "ហ៊ុន ម៉ាណែត"],
    ["Georgian", "ირაკლი კობახიძე"],
    ["Armenian", "Նիկոլ Փաշինյան"],
    ["Greek", "Κυριάκος Μητσοτάκης"],
    ["symbols", "turnout ≥ 50 % and quorum ≧ 2/3 were needed → the vote was held; the budget is €1.2 million ✓"],
    ["the footnote, printed at the article's end (with no ↩ back link: paper has no links)", "The vote is reported in the minutes."],
    ["↩ typed in the text", "a return to the agenda with ↩."],
  ])("gives back %s: %s", (_, name) => {
    expect(text).toContain(squeeze(name));
  });

  it.each([
    ["Arabic", "محمد بن سلمان"],
    ["Urdu", "شہباز شریف"],
    ["Persian", "مسعود پزشکیان"],
    ["Persian", "عباس عراقچی"],
    ["Hebrew", "בנימין נתניהו"],
    ["Hebrew", "ישראל כ״ץ"],
  ])("gives back the %s name %s in logical order (first letter first), inside English text", (_, name) => {
    // Letters only: where pdftotext puts the parentheses around a right-to-left run, or a line break inside it, is its own guess.
    const letters = text.replace(/[()]/g, "");
    expect(letters).toContain(squeeze(name));
    // Not reversed: the visual order would read the name backwards.
    expect(letters).not.toContain(squeeze([...name].reverse().join("")));
  });
});

describe("text without spaces across pages", () => {
  const pdf = build(longRuns);
  const source = readFileSync(join(longRuns, "months", "2024-07", "01-long-runs.md"), "utf8");
  const pages = pagesText(pdf).map(squeeze);

  it("prints every character of a Chinese paragraph of several pages, once and in order", () => {
    const han = (s: string) => [...s].filter((c) => /[\p{Script=Han}\u3000-\u303F\uFF00-\uFFEF]/u.test(c)).join("");
    const want = han(source);
    expect([...want].length).toBe(7008);
    // In drawing order: pdftotext's reading of the first page reads the second column's top lines beside the article's head first.
    const per = pagesText(pdf, true).map(han);
    // Several pages, and every one of them full or nearly.
    expect(per.filter((p) => p.length > 0).length).toBeGreaterThanOrEqual(3);
    const got = per.join("");
    expect([...got].length).toBe([...want].length);
    expect(got).toBe(want);
  });

  it("prints every character of a 3,000-character token that crosses a page", () => {
    const token = /\n([0-9a-f]{3000})\n/.exec(source)![1]!;
    // Its pieces, page by page (a page broken inside the token gains Paged.js's non-breaking hyphen, U+2011).
    const pieces = pages.map((p) => p.replace(/\u2011/g, "")).flatMap((p) => p.match(/[0-9a-f]{20,}/g) ?? []);
    expect(pieces.length, "the token crosses a page").toBeGreaterThanOrEqual(2);
    expect(pieces.join("").length).toBe(3000);
    expect(pieces.join("")).toBe(token);
  });

  it("prints every character of a run of brackets", () => {
    // The fixture escapes the run's `[` (\[), so that Markdown does not read 200 unclosed links: the page prints them plain.
    const run = /\n((?:\\?[(\[{<>}\])]){100,})\n/.exec(source)![1]!.replace(/\\/g, "");
    expect(pages.flatMap((p) => p.match(/[(\[{<>}\])]{20,}/g) ?? []).join("")).toBe(run);
  });
});
