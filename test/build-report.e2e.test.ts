// What `digest build` reports, as the README promises it: the Markdown job summary
// (--summary), workflow annotations (--format github) and data (--format json) for the
// layout report's and preflight's warnings, and exit code 1 when a preflight check fails
// (and then nothing written: the earlier editions stay as they were).
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeScene } from "../src/fuzz/png.js";

const root = join(import.meta.dirname, "..");

/** A project folder with a copy of the small fixture issue, a picture of `width` × 2/3 `width` pixels added to an article (600: under 300 ppi in its column, a warning; 300: under 150, a failure). */
function project(pictureWidth: number, yml: (text: string) => string = (t) => t): { dir: string; article: string; pictureLine: number } {
  const dir = mkdtempSync(join(tmpdir(), "digest-report-"));
  const issue = join(dir, "issues", "2025-q1");
  cpSync(join(root, "test", "fixtures", "minimal", "2025-q1"), issue, { recursive: true });
  writeFileSync(join(issue, "images", "small.png"), encodeScene(pictureWidth, Math.round((pictureWidth * 2) / 3), [90, 120, 160], [40, 60, 90]));
  const article = join(issue, "months", "2025-02", "01-forum-in-baku.md");
  const text = readFileSync(article, "utf8");
  writeFileSync(article, `${text}\n![A small picture](../../images/small.png)\n`);
  writeFileSync(join(issue, "issue.yml"), yml(readFileSync(join(issue, "issue.yml"), "utf8")));
  writeFileSync(join(dir, "package.json"), "{}");
  return { dir, article: "issues/2025-q1/months/2025-02/01-forum-in-baku.md", pictureLine: text.split("\n").length + 1 };
}

function digest(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [join(root, "bin", "digest.js"), ...args], {
    cwd,
    env: { ...process.env, GITHUB_ACTIONS: "", GITHUB_WORKSPACE: "", SOURCE_DATE_EPOCH: "1727740800", ...env },
    encoding: "utf8",
    timeout: 240_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A workflow command as GitHub's runner reads it (test/ci-report.test.ts checks the escaping). */
function parse(line: string): { kind: string; props: Record<string, string>; message: string } {
  const m = /^::(error|warning|notice)(?: ([^:]*))?::(.*)$/.exec(line)!;
  expect(m, line).not.toBeNull();
  const unescape = (s: string) => s.replace(/%0D/g, "\r").replace(/%0A/g, "\n").replace(/%3A/g, ":").replace(/%2C/g, ",").replace(/%25/g, "%");
  const props = Object.fromEntries((m[2] ?? "").split(",").filter(Boolean).map((p) => [p.split("=")[0]!, unescape(p.split("=").slice(1).join("="))]));
  return { kind: m[1]!, props, message: unescape(m[3]!) };
}

describe("digest build's report", () => {
  it("annotates the layout report's and preflight's warnings for GitHub, and appends them to the --summary file", () => {
    // A picture under 300 ppi (a preflight warning and a content warning), and blank pages for the binding (a layout warning).
    const { dir, article, pictureLine } = project(600, (t) => t.replace("binding: saddle-stitch", "binding: saddle-stitch\n  fill: blank"));
    const summary = join(dir, "summary.md");
    writeFileSync(summary, "# Earlier steps\n\n");
    const r = digest(["build", "2025-q1", "--format", "github", "--summary", summary, "--no-cache"], dir, { GITHUB_WORKSPACE: dir });
    // Warnings pass.
    expect(r.code, r.stderr).toBe(0);
    const annotations = r.stdout.split("\n").filter((l) => l.startsWith("::")).map(parse);
    // The content warning at the picture's line.
    const picture = annotations.find((a) => a.props.title === "digest low-resolution-picture")!;
    expect(picture).toMatchObject({ kind: "warning", props: { file: article, line: String(pictureLine), col: "1" } });
    expect(picture.message).toMatch(/prints at \d+ ppi/);
    // The layout report's warning, on the PDF.
    const layout = annotations.filter((a) => a.props.title === "digest layout");
    // (the blank page the binding took, and the small issue's short foreword, a page of text filled less than a quarter)
    const onPdf = { file: "out/2025-q1.pdf", title: "digest layout" };
    expect(layout).toEqual([
      { kind: "warning", props: onPdf, message: expect.stringMatching(/^No blank pages: 1 blank page \(pages \d+\)$/) },
      { kind: "warning", props: onPdf, message: expect.stringMatching(/^No near-empty pages: 1 page of text filled less than a quarter \(pages 3\)$/) },
      // The blank page is also a page printed only to pad the binding (asked for here with `page.fill: blank`).
      { kind: "warning", props: onPdf, message: expect.stringMatching(/^No padding pages: 1 page printed only to reach the binding's count: a blank page for the binding \(pages \d+\)$/) },
    ]);
    // Preflight's warning, on the PDF, with the page of the picture.
    const preflight = annotations.filter((a) => a.props.title === "preflight, print edition");
    expect(preflight).toHaveLength(1);
    expect(preflight[0]!.kind).toBe("warning");
    expect(preflight[0]!.props.file).toBe("out/2025-q1.pdf");
    expect(preflight[0]!.message).toMatch(/^Images at 300 ppi or more: .*\d+ ppi.* \(pages \d+\)$/);
    // Nothing else: no error, no other warning.
    expect(annotations).toHaveLength(5);
    expect(annotations.filter((a) => a.kind === "error")).toEqual([]);

    // The summary: appended after what the file held, one section for the issue.
    const md = readFileSync(summary, "utf8");
    expect(md.startsWith("# Earlier steps\n\n### 2025-q1\n")).toBe(true);
    expect(md).toMatch(/^\| print \| `out\/2025-q1\.pdf` \| \d+ \| ⚠️ passed, 1 with warnings \|$/m);
    expect(md).toMatch(/^\| print \| WARN \| Images at 300 ppi or more \| .*ppi.* \| \d+ \|$/m);
    expect(md).toContain("1 blank page added before the back cover for the binding.");
    expect(md).toMatch(/^\*\*Layout: nothing clipped, 1 blank page.*\*\*$/m);
    expect(md).toMatch(/^\| WARN \| No blank pages \| 1 blank page \| \d+ \|$/m);
    expect(md).toMatch(new RegExp(`^- ${article.replace(/[.]/g, "\\.")}:${pictureLine}:1: warning: .*prints at \\d+ ppi`, "m"));
    expect(existsSync(join(dir, "out", "2025-q1.pdf"))).toBe(true);
  });

  it("fails with exit code 1 when a preflight check fails, says so in its JSON, and writes nothing", () => {
    // The PDF/X edition held to an ink limit of 5 %: its preflight fails, the print edition's passes (a picture at about 180 ppi: a warning).
    const { dir } = project(600);
    const r = digest(["build", "2025-q1", "--format", "json", "--no-cache", "--pdfx", "--tac", "5"], dir);
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as {
      ok: boolean;
      written: boolean;
      pdf: string;
      pages: number;
      units: { total: number; cached: number };
      preflight: { edition: string; ok: boolean; checks: { id: string; status: string; detail: string; pages?: number[] }[] }[];
      layout: { faults: { kind: string; page: number }[]; counts: Record<string, number> };
      problems: { rule: string; severity: string }[];
    };
    expect(report.ok).toBe(false);
    expect(report.written).toBe(false);
    expect(report.pdf).toBe("out/2025-q1.pdf");
    expect(existsSync(join(dir, "out", "2025-q1.pdf"))).toBe(false);
    expect(existsSync(join(dir, "out", "2025-q1.pdfx.pdf"))).toBe(false);
    expect(report.units.cached).toBe(0);
    expect(report.preflight.find((p) => p.edition === "print")!.ok).toBe(true);
    const pdfx = report.preflight.find((p) => p.edition === "pdfx")!;
    expect(pdfx.ok).toBe(false);
    // Every other check passed: the failure is the ink limit's alone.
    expect(pdfx.checks.filter((c) => c.status === "fail").map((c) => c.id)).toEqual(["ink-coverage"]);
    // The layout report as data, and the content warning.
    expect(report.layout.faults.filter((f) => f.kind === "outside-safe-area" || f.kind === "clipped")).toEqual([]);
    expect(report.layout.counts["blank-page"] ?? 0).toBe(0);
    expect(report.layout.counts["near-empty-page"]).toBeGreaterThan(0);
    expect(report.problems).toContainEqual(expect.objectContaining({ rule: "low-resolution-picture", severity: "warning" }));
  });
});
