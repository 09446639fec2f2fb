import { describe, expect, it } from "vitest";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadIssue } from "../src/content/load-issue.js";
import { splitFrontMatter, parseYaml } from "../src/content/front-matter.js";
import { formatSpan, monthName, quarterMonths, quarterPeriod, parsePageSize } from "../src/content/calendar.js";
import { loadHyphenator } from "../src/content/hyphenate.js";
import { smartQuotes } from "../src/content/typography.js";
import { isRightToLeft, labelsFor } from "../src/content/language.js";

/** Soft hyphens shown as `·`. */
const shown = (text: string) => text.replace(/\u00AD/g, "·");

const root = join(import.meta.dirname, "..");

describe("the sample issue 2024-q3", () => {
  const { issue, problems } = loadIssue(join(root, "issues", "2024-q3"), root);

  it("loads without errors or warnings", () => {
    expect(problems.report()).toBe("");
    expect(issue).toBeDefined();
  });

  it("has the spotlight, three months in order and the articles of the source's contents list", () => {
    expect(issue!.spotlight.map((a) => a.slug)).toEqual(["spotlight/ministerial-conference-on-environmental-issues"]);
    expect(issue!.months.map((m) => [m.name, m.articles.length])).toEqual([
      ["July", 5],
      ["August", 8],
      ["September", 10],
    ]);
    expect(issue!.months[0]!.articles[0]!.title).toBe("SCO Countries Support CICA Transformation");
    expect(issue!.months[2]!.articles.at(-1)!.title).toMatch(/^Youth in focus of international cooperation/);
  });

  it("takes datelines from front matter, not from the body", () => {
    const sco = issue!.months[0]!.articles[0]!;
    expect(sco.date).toEqual({ start: "2024-07-04" });
    expect(sco.place).toBe("Astana, Kazakhstan");
    const un = issue!.months[0]!.articles[3]!;
    expect(un.date).toEqual({ start: "2024-07-15", end: "2024-07-18" });
  });

  it("places the AIFC ad after the South Korea article and the tourism ad on the back cover", () => {
    const kinds = issue!.ads.map((a) => [a.advertiser, a.placement]);
    expect(kinds).toContainEqual(["Kazakh Tourism", { kind: "back-cover" }]);
    expect(kinds).toContainEqual(["Astana International Financial Centre (AIFC)", { kind: "after", slug: "2024-08/sg-visits-south-korea" }]);
  });

  it("splits the flash briefing into items, with the art notice boxed", () => {
    const items = issue!.flashBriefing!.items;
    expect(items.length).toBe(10);
    expect(items.filter((i) => i.boxed).length).toBe(1);
  });
});

describe("front matter", () => {
  it("is blanked, not cut, so Markdown lines stay the file's lines", () => {
    const split = splitFrontMatter("---\ntitle: A\n---\n\nBody\n");
    expect(split.frontMatter).toBe("title: A\n");
    expect(split.body.split("\n")[4]).toBe("Body");
  });

  it("locates values at their line in the file", () => {
    const yaml = parseYaml("title: A\nplacement:\n  after: x\n", 2);
    expect(yaml.locate(["placement", "after"])).toEqual({ line: 4, column: 10 });
    expect(yaml.locate(["title"], true)).toEqual({ line: 2, column: 1 });
  });
});

describe("calendar", () => {
  it("derives a quarter's months and period from the issue's name", () => {
    expect(quarterMonths("2024-q3")).toEqual(["2024-07", "2024-08", "2024-09"]);
    expect(quarterPeriod("2025-q1")).toBe("January–March 2025");
    expect(quarterMonths("special")).toBeUndefined();
  });

  it("formats datelines as a magazine prints them", () => {
    expect(formatSpan({ start: "2024-07-04" })).toBe("4 July 2024");
    expect(formatSpan({ start: "2024-07-15", end: "2024-07-18" })).toBe("15–18 July 2024");
    expect(formatSpan({ start: "2024-07-30", end: "2024-08-02" })).toBe("30 July – 2 August 2024");
  });

  it("reads page sizes by name or as two lengths", () => {
    expect(parsePageSize("A4", "3mm", "perfect")).toMatchObject({ widthMm: 210, heightMm: 297, bleedMm: 3 });
    expect(parsePageSize("170mm 240mm", "5mm", "perfect")).toMatchObject({ widthMm: 170, heightMm: 240, bleedMm: 5 });
    expect(parsePageSize("huge", "3mm", "perfect")).toBeUndefined();
  });
});

describe("typography", () => {
  it("makes typed quotes typographic", () => {
    expect(smartQuotes(`the "Geopolitical Cartographer" and the Secretariat's 'proposal'`)).toBe("the \u201CGeopolitical Cartographer\u201D and the Secretariat\u2019s \u2018proposal\u2019");
    expect(smartQuotes(`("North-South") and '90s`)).toBe("(\u201CNorth-South\u201D) and \u201990s");
  });

  it("is applied to the sample's titles and text", () => {
    const { issue } = loadIssue(join(root, "issues", "2024-q3"), root);
    const transport = issue!.months[2]!.articles.find((a) => a.slug.includes("transport"))!;
    expect(transport.title).toContain("\u201CNorth-South\u201D");
    expect(transport.title).not.toContain('"');
  });
});

describe("hyphenation", () => {
  it("puts soft hyphens into long words but leaves acronyms, numbers and addresses alone", () => {
    const hyphenate = loadHyphenator("en")!;
    const out = hyphenate("institutionalization of CICA at www.s-cica.org in 2024");
    expect(out).toContain("in\u00ADsti\u00ADtu\u00ADtion");
    expect(out).toContain(" CICA ");
    expect(out).toContain("www.s-cica.org");
    expect(out.replace(/\u00AD/g, "")).toBe("institutionalization of CICA at www.s-cica.org in 2024");
  });

  it("has no patterns for an unknown language", () => {
    expect(loadHyphenator("xx")).toBeUndefined();
  });

  it("hyphenates Russian by Russian patterns", () => {
    expect(shown(loadHyphenator("ru")!("Генеральный секретарь приветствовал институционализацию"))).toBe("Ге·не·раль·ный сек·ре·тарь при·вет·ство·вал ин·сти·ту·ци·о·на·ли·за·цию");
  });

  it("hyphenates a word in another script by that script's patterns: Latin in Russian as English, Cyrillic in English as Russian", () => {
    expect(shown(loadHyphenator("ru")!("заседание Interaction"))).toBe("за·се·да·ние In·ter·ac·tion");
    expect(shown(loadHyphenator("en")!("the Secretary met Генеральный"))).toBe("the Sec·ret·ary met Ге·не·раль·ный");
    // German words by German patterns, a Russian name in them by Russian ones.
    expect(shown(loadHyphenator("de")!("Zusammenarbeit Генеральный"))).toBe("Zu·sam·men·ar·beit Ге·не·раль·ный");
  });

  it("leaves words of other scripts, and of mixed scripts, unhyphenated", () => {
    expect(loadHyphenator("en")!("李晓梅李晓梅李晓梅 Secretariatсекретариат")).toBe("李晓梅李晓梅李晓梅 Secretariatсекретариат");
  });
});

describe("quotes by language", () => {
  const typed = `He said "the "Silk Road" plan" and 'yes'; it's the Secretariats' '90s`;

  it("English: “ ” outside, ‘ ’ inside, ’ as apostrophe", () => {
    expect(smartQuotes(typed, "en")).toBe("He said \u201Cthe \u2018Silk Road\u2019 plan\u201D and \u2018yes\u2019; it\u2019s the Secretariats\u2019 \u201990s");
  });

  it("Russian: «ёлочки» outside, „лапки“ inside", () => {
    expect(smartQuotes(`Он сказал: "Это "шутка"", а не 'правда'. Д'Артаньян`, "ru")).toBe("Он сказал: «Это „шутка“», а не „правда“. Д\u2019Артаньян");
    expect(smartQuotes(typed, "ru")).toBe("He said «the „Silk Road“ plan» and „yes“; it\u2019s the Secretariats\u2019 \u201990s");
  });

  it("German: „ “ outside, ‚ ‘ inside", () => {
    expect(smartQuotes(`Er sagte "das "Projekt" ist gut" und 'ja'`, "de")).toBe("Er sagte \u201Edas \u201AProjekt\u2018 ist gut\u201C und \u201Aja\u2018");
  });

  it("French: « » with narrow no-break spaces inside, in place of any typed space, “ ” inside", () => {
    expect(smartQuotes(`Il a dit "oui" et " non " puis "le "projet" avance".`, "fr")).toBe("Il a dit «\u202Foui\u202F» et «\u202Fnon\u202F» puis «\u202Fle \u201Cprojet\u201D avance\u202F».");
  });

  it("carries a quote across emphasis within a paragraph, not across paragraphs", () => {
    const { issue } = loadIssue(join(root, "issues", "2024-q3-ru"), root);
    const transport = issue!.months[2]!.articles[0]!;
    expect(transport.title).toBe("Государства — члены СВМДА обсудили транспортные коридоры «Север — Юг» и «Восток — Запад» на встрече экспертов");
  });
});

describe("languages", () => {
  it("knows which are written right to left", () => {
    for (const tag of ["ar", "he", "fa", "ur", "yi", "ar-EG"]) expect(isRightToLeft(tag), tag).toBe(true);
    for (const tag of ["en", "ru", "kk", "zh", "de-CH"]) expect(isRightToLeft(tag), tag).toBe(false);
  });

  it("has Russian labels, and the editors' own over them", () => {
    expect(labelsFor("ru")).toMatchObject({ contents: "В этом номере", spotlight: "В центре внимания", foreword: "Вступительное слово", flashBriefing: "Коротко", advertisement: "Реклама" });
    expect(labelsFor("ru", { flashBriefing: "Кратко" }).flashBriefing).toBe("Кратко");
    expect(labelsFor("es").contents).toBe("In this issue");
  });

  it("prints months and dates as the language does, from Intl", () => {
    expect(monthName("2024-07", "ru")).toBe("Июль");
    expect(quarterPeriod("2024-q3", "ru")).toBe("Июль–сентябрь 2024");
    expect(quarterPeriod("2024-q3-ru", "ru")).toBe("Июль–сентябрь 2024");
    expect(formatSpan({ start: "2024-07-04" }, "ru")).toBe("4 июля 2024\u00A0г.");
    expect(formatSpan({ start: "2024-07-15", end: "2024-07-18" }, "ru")).toBe("15–18 июля 2024\u00A0г.");
    expect(formatSpan({ start: "2024-07-30", end: "2024-08-02" }, "ru")).toBe("30 июля — 2 августа 2024\u00A0г.");
    expect(formatSpan({ start: "2024-07-04" }, "de")).toBe("4. Juli 2024");
    expect(formatSpan({ start: "2024-07-15", end: "2024-07-18" }, "de")).toBe("15.–18. Juli 2024");
    expect(formatSpan({ start: "2024-07-04" }, "fr")).toBe("4 juillet 2024");
    expect(formatSpan({ start: "2024-07-04" }, "en-US")).toBe("July 4, 2024");
    expect(formatSpan({ start: "2024-12-30", end: "2025-01-02" }, "en")).toBe("30 December 2024 – 2 January 2025");
  });
});

describe("the Russian edition 2024-q3-ru", () => {
  const { issue, problems } = loadIssue(join(root, "issues", "2024-q3-ru"), root);

  it("loads without errors or warnings, in Russian", () => {
    expect(problems.report()).toBe("");
    expect(issue!.meta.language).toBe("ru");
    expect(issue!.meta.period).toBe("Июль–сентябрь 2024");
    expect(issue!.months.map((m) => m.name)).toEqual(["Июль", "Август", "Сентябрь"]);
    expect(issue!.foreword!.title).toBe("Вступительное слово");
    expect(issue!.flashBriefing!.title).toBe("Коротко");
    expect(issue!.meta.labels.publishedBy).toBe("Издатель CICA Digest");
  });
});

describe("labels and languages in issue.yml and front matter", () => {
  /** A copy of the Russian edition with `edit` applied to one of its files. */
  function edited(file: string, edit: (text: string) => string): string {
    const dir = join(mkdtempSync(join(tmpdir(), "digest-lang-")), "2024-q3-ru");
    cpSync(join(root, "issues", "2024-q3-ru"), dir, { recursive: true });
    writeFileSync(join(dir, file), edit(readFileSync(join(dir, file), "utf8")));
    return dir;
  }

  it("takes the editors' labels over the language's, without touching templates", () => {
    const dir = edited("issue.yml", (t) => `${t}labels:\n  flash-briefing: Кратко\n  contents: Содержание\n`);
    const { issue, problems } = loadIssue(dir, dir);
    expect(problems.report()).toBe("");
    expect(issue!.meta.labels.contents).toBe("Содержание");
    expect(issue!.flashBriefing!.title).toBe("Кратко");
    expect(issue!.meta.labels.spotlight).toBe("В центре внимания");
  });

  it("refuses an unknown label with the keys it knows", () => {
    const dir = edited("issue.yml", (t) => `${t}labels:\n  contnets: Содержание\n`);
    const { problems } = loadIssue(dir, dir);
    const found = problems.list().find((m) => m.ruleId === "unknown-key")!;
    expect(found.reason).toContain("Unknown key `contnets` in `labels`");
    expect(found.reason).toContain("`flash-briefing`");
  });

  it("sets an article in its own language: English quotes and hyphenation in the Russian edition", () => {
    const dir = edited("months/2024-07/01-sco-countries-support-cica-transformation.md", (t) =>
      t.replace("place: Астана, Казахстан\n", "place: Astana\nlanguage: en\n").replace(/^Генеральный секретарь/m, 'The "Secretary General" said'),
    );
    const { issue, problems } = loadIssue(dir, dir);
    expect(problems.report()).toBe("");
    const sco = issue!.months[0]!.articles[0]!;
    expect(sco.language).toBe("en");
    const text = JSON.stringify(sco.body);
    expect(text).toContain("The \u201CSec\u00ADret\u00ADary Gen\u00ADer\u00ADal\u201D said");
  });

  it("warns when digest has no fixed words for the language", () => {
    const dir = edited("issue.yml", (t) => t.replace("language: ru", "language: es"));
    const { problems } = loadIssue(dir, dir);
    const found = problems.list().find((m) => m.ruleId === "no-labels")!;
    expect(found.fatal).toBeFalsy();
    expect(found.reason).toContain("digest has no fixed words for `es`");
    expect(found.line).toBe(4);
  });
});

/** A copy of the small fixture issue to change. */
function minimalCopy(): string {
  const dir = join(mkdtempSync(join(tmpdir(), "digest-content-")), "2025-q1");
  cpSync(join(root, "test", "fixtures", "minimal", "2025-q1"), dir, { recursive: true });
  return dir;
}

describe("draft files", () => {
  it("are left out: files and folders whose names start with `_` or `.`, wherever they are, unread", () => {
    const dir = minimalCopy();
    const before = loadIssue(dir, dir).issue!;
    // Each would be an error if it were read: no front matter, an unknown key, a month folder not named YYYY-MM, an ad with no placement.
    writeFileSync(join(dir, "months", "2025-01", "_draft.md"), "No front matter at all.\n");
    writeFileSync(join(dir, "months", "2025-01", ".notes.md"), "---\ntitel: typo\n---\n");
    mkdirSync(join(dir, "months", "_2025-03-ideas"));
    writeFileSync(join(dir, "months", "_2025-03-ideas", "01-idea.md"), "---\ntitle: An idea\n---\n\nText.\n");
    mkdirSync(join(dir, "months", ".backup"));
    writeFileSync(join(dir, "months", ".backup", "01-old.md"), "Old text.\n");
    writeFileSync(join(dir, "spotlight", "_second-story.md"), "---\ntitle: Not yet\n---\n\nText.\n");
    writeFileSync(join(dir, "ads", "_unsold.md"), "---\nadvertiser: Nobody\n---\n");
    const { issue, problems } = loadIssue(dir, dir);
    expect(problems.report()).toBe("");
    expect(issue!.spotlight.map((a) => a.slug)).toEqual(before.spotlight.map((a) => a.slug));
    expect(issue!.months.map((m) => [m.name, m.articles.map((a) => a.slug)])).toEqual(before.months.map((m) => [m.name, m.articles.map((a) => a.slug)]));
    expect(issue!.ads.map((a) => a.file)).toEqual(before.ads.map((a) => a.file));
    // The same files without the `_` are read, and refused: the prefix is what leaves them out.
    writeFileSync(join(dir, "months", "2025-01", "02-draft.md"), "No front matter at all.\n");
    expect(loadIssue(dir, dir).problems.list().map((m) => m.ruleId)).toEqual(["missing-front-matter"]);
  });
});

describe("an issue in a language without hyphenation patterns", () => {
  it("warns at issue.yml's `language:`, builds, and justifies its text without hyphenating it", () => {
    const dir = minimalCopy();
    const yml = join(dir, "issue.yml");
    const hyphenated = loadIssue(dir, dir).issue!;
    // English text is hyphenated (soft hyphens in the words), which is what the warning says Swahili's will not be.
    expect(JSON.stringify(hyphenated.months[0]!.articles[0]!.body)).toContain("\u00AD");
    writeFileSync(yml, readFileSync(yml, "utf8").replace("language: en", "language: sw"));
    const { issue, problems } = loadIssue(dir, dir);
    expect(issue).toBeDefined();
    expect(problems.errorCount).toBe(0);
    const warning = problems.list().find((m) => m.ruleId === "no-hyphenation")!;
    expect(warning).toMatchObject({ file: "issue.yml", line: 3, column: 11, fatal: false });
    expect(warning.reason).toBe("No hyphenation patterns for `sw`: text is justified without hyphenation");
    expect(JSON.stringify(issue!.months[0]!.articles[0]!.body)).not.toContain("\u00AD");
    expect(problems.report()).toContain("no-hyphenation");
  });
});
