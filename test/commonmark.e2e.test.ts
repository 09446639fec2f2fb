import { beforeAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unified } from "unified";
import rehypeParse from "rehype-parse";
import type { Nodes, Root } from "hast";
import { buildIssue, checkIssue, ContentError } from "../src/index.js";
import type { Problems } from "../src/content/problems.js";
import { articleFile, batchExamples, specExamples, type Article, type SpecExample } from "./helpers/commonmark.js";

/**
 * Every example of the CommonMark spec (652, the npm package commonmark-spec) goes
 * through `digest check` and `digest build`, batched into a few articles. Each must
 * print its words (the text a browser shows of the spec's HTML, found in order in
 * the PDF's text) or be refused at its own file and line; nothing may crash, no
 * refusal may lack a file and line, and no example may lose words without a warning
 * at its own line.
 */
const MONTH = "months/2024-07";

/** What a reader sees of HTML: its text, without comments, scripts and styles (as digest prints raw HTML). */
function visibleText(html: string): string {
  const tree = unified().use(rehypeParse, { fragment: true }).parse(html) as Root;
  const out: string[] = [];
  const walk = (node: Nodes) => {
    if (node.type === "text") out.push(node.value);
    if (node.type === "element" && ["script", "style", "template", "noscript", "head", "title"].includes(node.tagName)) return;
    if ("children" in node) for (const child of node.children) walk(child as Nodes);
    if (node.type === "element") out.push(" ");
  };
  walk(tree);
  return out.join("");
}

/** The words of a text as runs of letters and digits: quotes, dashes, hyphens, list numbers and spacing do not count. */
const words = (text: string) => text.normalize("NFKC").split(/[^\p{L}\p{N}]+/u).filter(Boolean);

interface Outcome {
  example: SpecExample;
  refused?: { file: string; line: number; rule: string };
  warned: boolean;
  printed?: boolean;
  missing?: string[];
}

describe("the CommonMark spec's examples", () => {
  const examples = specExamples();
  const outcomes = new Map<number, Outcome>(examples.map((e) => [e.number, { example: e, warned: false }]));
  const unlocated: string[] = [];
  const crashes: string[] = [];
  const dir = join(mkdtempSync(join(tmpdir(), "digest-commonmark-")), "2024-q3");
  /** The line ranges of each example, by file. */
  let lines = new Map<string, Map<number, [number, number]>>();
  let articles: Article[] = [];

  /** Writes the issue: the articles, without the examples refused so far. */
  function writeIssue() {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(join(dir, MONTH), { recursive: true });
    writeFileSync(join(dir, "issue.yml"), "title: CommonMark Digest\n");
    lines = new Map();
    for (const article of articles) {
      const kept = { ...article, examples: article.examples.filter((e) => !outcomes.get(e.number)!.refused) };
      if (!kept.examples.length) continue;
      const file = articleFile(kept);
      writeFileSync(join(dir, MONTH, article.name), file.text);
      lines.set(`${MONTH}/${article.name}`, file.lines);
    }
  }

  /** The example a problem is at, by its file and line. */
  function exampleAt(file: string | undefined | null, line: number | undefined | null): number | undefined {
    const ranges = file ? lines.get(file) : undefined;
    if (!ranges || !line) return undefined;
    for (const [n, [first, last]] of ranges) if (line >= first && line <= last) return n;
    return undefined;
  }

  /** Records the problems: each error refuses its example, each warning is noted; any without an example's line is a failure. */
  function take(problems: Problems) {
    for (const m of problems.list()) {
      const n = exampleAt(m.file, m.line);
      if (n === undefined) {
        if (m.fatal) unlocated.push(`${m.file}:${m.line ?? "?"} ${m.reason} (${m.ruleId})`);
        continue;
      }
      const outcome = outcomes.get(n)!;
      if (m.fatal) outcome.refused ??= { file: m.file!, line: m.line!, rule: m.ruleId ?? "" };
      else outcome.warned = true;
    }
  }

  let pdfText = "";
  beforeAll(async () => {
    articles = batchExamples(examples);
    // check, then build; each refusal takes its example out, and the rest is checked and built again.
    for (let round = 0; round < 4; round++) {
      writeIssue();
      let checked;
      try {
        checked = checkIssue(dir, dir);
      } catch (error) {
        crashes.push(`check: ${(error as Error).stack}`);
        return;
      }
      take(checked.problems);
      if (checked.problems.errorCount) continue;
      const out = join(dir, "..", "commonmark.pdf");
      try {
        const report = await buildIssue({ issue: dir, out, cwd: dir, cache: false });
        const first = Math.min(...Object.entries(report.pages).filter(([a]) => a.startsWith("a-2024-07-")).map(([, p]) => p));
        pdfText = execFileSync("pdftotext", ["-raw", "-f", String(first), out, "-"], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
        take(report.problems);
        return;
      } catch (error) {
        if (error instanceof ContentError) {
          take(error.problems);
          continue;
        }
        crashes.push(`build: ${(error as Error).stack}`);
        return;
      }
    }
  }, 600_000);

  it("none crashes check or build", () => {
    expect(crashes).toEqual([]);
    expect(pdfText.length).toBeGreaterThan(0);
  });

  it("no refusal lacks a file and a line inside its example", () => {
    expect(unlocated).toEqual([]);
  });

  it("every example not refused prints its words, or has a warning at its own line", () => {
    // The text of each example: from its marker (`§N§`, a batch's paragraph or a solo article's title) to the next marker.
    const text = pdfText.replace(/\u00AD/g, "");
    const places = [...text.matchAll(/§(\d+)§/g)].map((m) => ({ n: Number(m[1]), at: m.index! + m[0].length }));
    const regions = new Map<number, string>();
    for (const [k, p] of places.entries()) regions.set(p.n, text.slice(p.at, places[k + 1] ? places[k + 1]!.at - String(places[k + 1]!.n).length - 2 : undefined));
    for (const outcome of outcomes.values()) {
      if (outcome.refused) continue;
      const printed = (regions.get(outcome.example.number) ?? "").normalize("NFKC").replace(/[^\p{L}\p{N}]+/gu, "");
      const missing: string[] = [];
      let at = 0;
      for (const word of words(visibleText(outcome.example.html))) {
        const found = printed.indexOf(word, at);
        if (found < 0) missing.push(word);
        else at = found + word.length;
      }
      outcome.printed = missing.length === 0;
      outcome.missing = missing;
    }
    if (process.env.DIGEST_COMMONMARK_DEBUG) writeFileSync(process.env.DIGEST_COMMONMARK_DEBUG, JSON.stringify({ regions: Object.fromEntries(regions), dir }, null, 1));
    const silent = [...outcomes.values()].filter((o) => !o.refused && !o.printed && !o.warned).map((o) => `example ${o.example.number} (${o.example.section}): missing ${o.missing!.slice(0, 6).join(" ")}`);
    const all = [...outcomes.values()];
    const figures = {
      examples: all.length,
      articles: articles.length,
      printed: all.filter((o) => o.printed).length,
      refusedAtTheirLine: all.filter((o) => o.refused).length,
      wordsMissingWithWarning: all.filter((o) => !o.refused && !o.printed && o.warned).length,
      wordsMissingSilently: silent.length,
      crashes: crashes.length,
      refusedBy: all.reduce<Record<string, number>>((by, o) => (o.refused ? { ...by, [o.refused.rule]: (by[o.refused.rule] ?? 0) + 1 } : by), {}),
    };
    console.log(`CommonMark spec examples through digest: ${JSON.stringify(figures)}`);
    expect(silent).toEqual([]);
    expect(figures.printed + figures.refusedAtTheirLine + figures.wordsMissingWithWarning).toBe(examples.length);
  });
});
