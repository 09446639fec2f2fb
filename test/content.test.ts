import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { loadIssue } from "../src/content/load-issue.js";
import { splitFrontMatter, parseYaml } from "../src/content/front-matter.js";
import { formatSpan, quarterMonths, quarterPeriod, parsePageSize } from "../src/content/calendar.js";
import { loadHyphenator } from "../src/content/hyphenate.js";
import { smartQuotes } from "../src/content/typography.js";

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
});
