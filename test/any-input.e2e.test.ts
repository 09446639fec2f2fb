import { Problems } from "../src/content/problems.js";
import { reportOverflows } from "../src/layout/overflows.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cpSync, existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { buildIssue, ContentError, type BuildReport } from "../src/index.js";
import { findBrowser, launchBrowser, type BrowserSession } from "../src/layout/browser.js";
import { paginate } from "../src/layout/paginate.js";
import { pagedScripts } from "../src/layout/scripts.js";
import { images, pageText } from "./helpers/pdf.js";

/**
 * Inputs nobody on the project wrote (issue 18), built: what checks clean prints
 * every word and picture, and what would print past the trim is a located error.
 */
const fixture = join(import.meta.dirname, "fixtures", "odd-inputs", "2025-q1");

describe("an issue of odd but sound inputs", () => {
  const out = join(mkdtempSync(join(tmpdir(), "digest-odd-")), "odd.pdf");
  let report: BuildReport;
  let text: string;
  beforeAll(async () => {
    report = await buildIssue({ issue: fixture, out, cwd: fixture });
    const page = report.pages["a-2025-01-odd-but-fine"]!;
    text = [page, page + 1].map((p) => pageText(out, p)).join("\n").replace(/\s+/g, " ").replace(/-\s/g, "");
  });

  it("prints a picture whose name has a %, inline and by reference, with no request blocked", () => {
    const page = report.pages["a-2025-01-odd-but-fine"]!;
    expect(report.blocked).toEqual([]);
    expect(images(out).filter((i) => i.page === page || i.page === page + 1).length).toBeGreaterThanOrEqual(2);
    expect(text).toContain("Delegates at the table");
    expect(text).toContain("The table again");
  });

  it("prints the footnotes' calls and their notes, and no ↩", () => {
    expect(text).toMatch(/1992\.\s?1/);
    expect(text).toContain("In Almaty, at the first summit.");
    expect(text).toContain("In 2024, to new headquarters.");
    expect(text).not.toContain("↩");
  });

  it("prints raw HTML's words as plain text, and entities as their characters", () => {
    expect(text).toContain("First paragraph with bold text.");
    expect(text).toContain("The minister said the talks went well.");
    expect(text).not.toContain("editor:");
    expect(text).toContain("© été — & done.");
    expect(text).toContain("Last paragraph of the article.");
  });
});

describe("text at the trim", () => {
  let session: BrowserSession;
  beforeAll(async () => {
    session = await launchBrowser(findBrowser());
  });
  afterAll(async () => {
    await session?.close();
  });

  it("finds a list's number laid out past the safe area, at its block's source (a ::marker has no box of its own)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "digest-marker-"));
    const html = join(dir, "doc.html");
    writeFileSync(
      html,
      `<!DOCTYPE html><html><head><meta charset="utf-8"><style>@page { size: A5; margin: 8mm } ol { padding-left: 1.2em }</style>
      ${pagedScripts().map((s) => `<script src="${pathToFileURL(s).href}"></script>`).join("")}
      </head><body><ol data-source="months/2024-07/06-x.md:6:1" start="123456789"><li>ok</li></ol>
      <ol data-source="months/2024-07/06-x.md:8:1"><li>one</li><li>two</li></ol></body></html>`,
    );
    const result = await paginate({ browser: session.browser, url: pathToFileURL(html).href, anchors: [], timeoutMs: 60_000, sheetMm: { width: 148, height: 210 }, allowedPaths: [dir, ...pagedScripts()] });
    const clipped = result.flaws.filter((f) => f.kind === "clipped");
    expect(clipped).toEqual([{ page: 1, kind: "clipped", text: "123456789. ok", source: "months/2024-07/06-x.md:6:1", detail: "a list number outside the safe area of the page" }]);
    // The build's error for it, at that line, says what to do about a list number.
    const problems = new Problems();
    reportOverflows(result.flaws, problems, "2024-q3");
    const [m] = problems.list();
    expect([m!.file, m!.line, m!.ruleId]).toEqual(["months/2024-07/06-x.md", 6, "text-clipped"]);
    expect(m!.reason).toMatch(/Number the list from a smaller number/);
  });

  it("refuses an article that starts a line with a long number (a numbered list in Markdown) at that line, and writes nothing", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "digest-trim-")), "2025-q1");
    cpSync(join(import.meta.dirname, "fixtures", "minimal", "2025-q1"), dir, { recursive: true });
    writeFileSync(join(dir, "months", "2025-01", "02-x.md"), "---\ntitle: Trim\ndate: 2025-01-20\n---\n\n123456789. ok\n");
    const out = join(dir, "..", "trim.pdf");
    const error = await buildIssue({ issue: dir, out, cwd: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContentError);
    const [m] = (error as ContentError).problems.list().filter((p) => p.fatal);
    expect([m!.file, m!.line, m!.ruleId]).toEqual(["months/2025-01/02-x.md", 6, "list-number-too-long"]);
    expect(m!.reason).toContain("`123456789\\.`");
    expect(existsSync(out)).toBe(false);
  });
});
