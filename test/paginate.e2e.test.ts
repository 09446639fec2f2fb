import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { findBrowser, launchBrowser, type BrowserSession } from "../src/layout/browser.js";
import { paginate, type LayoutStage } from "../src/layout/paginate.js";
import { pagedScripts } from "../src/layout/scripts.js";
import { buildIssue, loadIssue, renderIssue } from "../src/index.js";
import { pageText } from "./helpers/pdf.js";

let session: BrowserSession;
beforeAll(async () => {
  session = await launchBrowser(findBrowser());
});
afterAll(async () => {
  await session?.close();
});

describe("while laying out pages, Chromium", () => {
  it("loads only allowed local files and reports every other request", async () => {
    const dir = mkdtempSync(join(tmpdir(), "digest-guard-"));
    const outside = mkdtempSync(join(tmpdir(), "digest-outside-"));
    writeFileSync(join(outside, "outside.css"), "p { color: red }");
    writeFileSync(join(dir, "inside.css"), "p { color: navy }");
    const html = join(dir, "doc.html");
    writeFileSync(
      html,
      `<!DOCTYPE html><html><head><meta charset="utf-8">
      <link rel="stylesheet" href="inside.css">
      <link rel="stylesheet" href="${pathToFileURL(join(outside, "outside.css")).href}">
      <style>@page { size: A5; margin: 10mm } body { background: url("https://example.com/paper.png") }</style>
      ${pagedScripts().map((s) => `<script src="${pathToFileURL(s).href}"></script>`).join("")}
      </head><body><p>Hello.</p></body></html>`,
    );
    const result = await paginate({
      browser: session.browser,
      url: pathToFileURL(html).href,
      anchors: [],
      timeoutMs: 60_000,
      sheetMm: { width: 148, height: 210 },
      allowedPaths: [dir, ...pagedScripts()],
    });
    expect(result.blocked).toContain(pathToFileURL(join(outside, "outside.css")).href);
    expect(result.blocked).toContain("https://example.com/paper.png");
    expect(result.blocked.some((u) => u.endsWith("inside.css"))).toBe(false);
    expect(result.pageCount).toBe(1);
    expect(Buffer.from(result.pdf.subarray(0, 5)).toString()).toBe("%PDF-");
  });
});

/** Lays out an A5 document of 60 paragraphs (after `before`, with `style`), running `stage` on its pages. */
async function layOutParagraphs(name: string, stage: LayoutStage, style = "", before = "") {
  const dir = mkdtempSync(join(tmpdir(), `digest-${name}-`));
  const html = join(dir, "doc.html");
  const paragraphs = Array.from({ length: 60 }, (_, i) => `<p>Paragraph ${i + 1}. ${"A line of text that runs on. ".repeat(12)}</p>`).join("");
  writeFileSync(
    html,
    `<!DOCTYPE html><html><head><meta charset="utf-8"><style>@page { size: A5; margin: 15mm } ${style}</style>
      ${pagedScripts().map((s) => `<script src="${pathToFileURL(s).href}"></script>`).join("")}
      </head><body>${before}${paragraphs}</body></html>`,
  );
  return paginate({
    browser: session.browser,
    url: pathToFileURL(html).href,
    anchors: [],
    timeoutMs: 60_000,
    sheetMm: { width: 148, height: 210 },
    allowedPaths: [dir, ...pagedScripts()],
    stages: [stage],
  });
}

describe("Paged.js's pacing", () => {
  it("lays out pages back to back in a build: the patch of Paged.js's queue still finds what it patches", async () => {
    let pacing: unknown;
    const result = await layOutParagraphs("pacing", async ({ page }) => void (pacing = await page.evaluate("window.digestFramePacing")));
    // "unpatched" would mean a Paged.js upgrade moved the queue: see BackToBack in src/layout/in-page/paged-patches.js.
    expect(pacing).toBe("back-to-back");
    expect(result.pageCount).toBeGreaterThan(5);
  });
});

describe("digest's handlers", () => {
  it("register with Paged.js in their order, each file its own, and share their helpers without setting them on window", async () => {
    let names: unknown;
    let sharedOnWindow: unknown;
    await layOutParagraphs("handlers", async ({ page }) => {
      names = await page.evaluate("window.Paged.registeredHandlers.map((handler) => handler.name)");
      sharedOnWindow = await page.evaluate(`"digestShared" in window`);
    });
    // The order of pagedScripts() (src/layout/scripts.ts) is the order Paged.js calls them in.
    const ours = ["BackToBack", "ChecksNearPageEnd", "PlaceBreaks", "KeepSpilledLines", "PageSides", "AdsAfterArticles", "PageNumbers", "ReportProgress", "SoftHyphensAtLineEnds"];
    expect((names as string[]).slice(-ours.length)).toEqual(ours);
    expect(sharedOnWindow).toBe(false);
  });
});

describe("Paged.js's check for a full page", () => {
  it("follows the pages' length, not the first page's: the patch of Paged.js's maxChars still finds what it patches", async () => {
    let checks: unknown;
    let limits: unknown;
    // A cover of a few words, then pages of text: without the patch every page after the cover is checked after every paragraph.
    const result = await layOutParagraphs(
      "checks",
      async ({ page }) => {
        checks = await page.evaluate("window.digestOverflowChecks");
        // What each page's text weighs: the patch makes Paged.js check after that many characters, so it must be near a page's.
        limits = await page.evaluate(() => Array.from(document.querySelectorAll(".pagedjs_page_content")).map((p) => p.textContent!.length));
      },
      "h1 { break-after: page }",
      "<h1>Cover</h1>",
    );
    // "unpatched" would mean a Paged.js upgrade moved its maxChars: see ChecksNearPageEnd in src/layout/in-page/paged-patches.js.
    expect(checks).toBe("near the page end");
    expect(result.pageCount).toBeGreaterThan(5);
    // The cover holds a few characters, a page of text a thousand or more: the mean Paged.js follows comes from the latter.
    const lengths = limits as number[];
    expect(lengths[0]).toBeLessThan(20);
    expect(Math.min(...lengths.slice(1, -1))).toBeGreaterThan(1000);
  });
});

describe("content with code in it", () => {
  it("is printed as text only: no script, event handler or iframe reaches the page", async () => {
    const fixture = join(import.meta.dirname, "fixtures", "hostile", "2024-q3");
    const out = join(mkdtempSync(join(tmpdir(), "digest-hostile-")), "hostile.pdf");
    const report = await buildIssue({ issue: fixture, out, cwd: fixture, html: true, cache: false });
    const html = readFileSync(report.htmlPath!, "utf8");
    // The document written with --html has no script at all; what the content tried is gone.
    expect(html).not.toMatch(/<script|onerror|<iframe|javascript:/i);
    // One warning a block of raw HTML, at its line; the block's words print as plain text, its code does not.
    const warnings = report.problems.list().filter((m) => m.ruleId === "raw-html");
    expect(warnings.map((w) => w.line)).toEqual([7, 9]);
    expect(warnings[0]!.reason).toContain("`<script>` is not printed");
    const page = report.pages["a-2024-07-hostile"]!;
    const text = pageText(out, page);
    expect(text).toContain("Text before the script.");
    expect(text).toContain("Text of a block with a handler.");
    expect(text).toContain("and text after it.");
    expect(text).not.toContain("HACKED");
    expect(report.blocked).toEqual([]);
    // The document Chromium lays out has our layout scripts and no other.
    const { issue } = loadIssue(fixture, fixture);
    const laidOut = renderIssue(issue!, { scripts: pagedScripts().map((s) => pathToFileURL(s).href) });
    // Only digest's own layout scripts.
    expect(laidOut.match(/<script/g)).toHaveLength(pagedScripts().length);
    expect(laidOut).not.toMatch(/onerror|onclick|<iframe|javascript:|HACKED/i);
  });

  it("refuses HTML that would show something other than text (a picture, a frame), at its line", () => {
    const dir = join(mkdtempSync(join(tmpdir(), "digest-hostile-")), "2024-q3");
    cpSync(join(import.meta.dirname, "fixtures", "hostile", "2024-q3"), dir, { recursive: true });
    writeFileSync(join(dir, "months", "2024-07", "01-hostile.md"), `---\ntitle: Frames\n---\n\n<img src="x" onerror="document.body.innerHTML = 'HACKED'">\n\n<iframe src="https://example.com/"></iframe>\n`);
    const { issue, problems } = loadIssue(dir, dir);
    expect(issue).toBeUndefined();
    expect(problems.list().filter((m) => m.fatal).map((m) => [m.ruleId, m.line])).toEqual([["raw-html-content", 5], ["raw-html-content", 7]]);
  });
});
