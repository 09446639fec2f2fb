// The page budget (`page.count` in issue.yml) and copyfitting to it, end to end:
// the sample fitted to 28 pages, refused at 12 at the count line, planned with
// `digest build --plan`, and notes pages only where the issue asks for them.
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildIssue, checkIssue, ContentError } from "../src/index.js";
import { info, pageText } from "./helpers/pdf.js";

const root = join(import.meta.dirname, "..");

/** A copy of an issue with `page:` settings added to its issue.yml. */
function withPage(from: string, id: string, page: string): string {
  const dir = join(mkdtempSync(join(tmpdir(), "digest-budget-")), id);
  cpSync(from, dir, { recursive: true });
  const yml = join(dir, "issue.yml");
  const text = readFileSync(yml, "utf8");
  writeFileSync(yml, /^page:/m.test(text) ? text.replace(/^page:\n/m, `page:\n${page}`) : `${text}page:\n${page}`);
  return dir;
}

const digest = (args: string[], cwd: string) => spawnSync(process.execPath, [join(root, "bin", "digest.js"), ...args], { cwd, encoding: "utf8", timeout: 180_000 });

describe("the page budget", () => {
  it("makes the sample exactly 28 pages, with no notes page: three sections a page longer, and the house page", async () => {
    const dir = withPage(join(root, "issues", "2024-q3"), "2024-q3", "  count: 28\n");
    const out = join(dir, "..", "28.pdf");
    const report = await buildIssue({ issue: dir, out, cwd: dir, cache: false });
    expect(Number(info(out).Pages)).toBe(28);
    expect(report.pageCount).toBe(28);
    expect(report.plan.met).toBe(true);
    expect(report.blanksAdded).toBe(0);
    expect(report.fillers).toEqual(["house"]);
    expect(report.fillers).not.toContain("notes");
    // 24 pages as written; copyfitting carried three sections on to a page more each, within its bounds.
    expect(report.plan.from).toBe(24);
    expect(report.plan.changes.map((c) => [c.section, c.pages])).toEqual([
      ["In the Spotlight", 1],
      ["September", 1],
      ["Flash Briefing", 1],
    ]);
    for (const c of report.plan.changes) expect(c.variant).toMatch(/^loose/);
    // No page a designer would send back.
    for (const kind of ["blank-page", "near-empty-page", "stranded-headline", "page-final-hyphen"]) expect(report.layout.counts[kind] ?? 0, kind).toBe(0);
    expect(pageText(out, 27)).toMatch(/ABOUT US/i);
    expect(pageText(out, 28)).toMatch(/KAZAKHSTAN/i);
  });

  it("gives the same bytes from the layout cache as without it, though the units were cached by a build of the issue without a budget", async () => {
    const dir = withPage(join(root, "issues", "2024-q3"), "2024-q3", "  binding: saddle-stitch\n");
    // Cached without a budget (the layout cache's units hold no page.count), then fitted to 28 pages from them.
    await buildIssue({ issue: dir, out: join(dir, "..", "plain.pdf"), cwd: dir });
    const yml = join(dir, "issue.yml");
    writeFileSync(yml, readFileSync(yml, "utf8").replace(/^page:\n/m, "page:\n  count: 28\n"));
    const cached = await buildIssue({ issue: dir, out: join(dir, "..", "cached.pdf"), cwd: dir });
    expect(cached.units.cached).toBeGreaterThan(0);
    const cold = await buildIssue({ issue: dir, out: join(dir, "..", "cold.pdf"), cwd: dir, cache: false });
    expect(cached.pageCount).toBe(28);
    expect(readFileSync(join(dir, "..", "cached.pdf")).equals(readFileSync(join(dir, "..", "cold.pdf")))).toBe(true);
    expect(cold.plan.changes).toEqual(cached.plan.changes);
  });

  it("refuses the sample at 12 pages, at the count line of issue.yml, saying by how much each section runs over, and writes nothing", async () => {
    const dir = withPage(join(root, "issues", "2024-q3"), "2024-q3", "  count: 12\n");
    const out = join(dir, "..", "12.pdf");
    const error = await buildIssue({ issue: dir, out, cwd: dir, cache: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContentError);
    const [problem, ...others] = (error as ContentError).problems.list();
    expect(others).toEqual([]);
    expect(problem!.ruleId).toBe("page-count");
    expect(problem!.file).toMatch(/issue\.yml$/);
    const countLine = readFileSync(join(dir, "issue.yml"), "utf8").split("\n").findIndex((l) => /^\s+count: 12$/.test(l)) + 1;
    expect(problem!.line).toBe(countLine);
    expect(problem!.reason).toMatch(/^The issue runs \d+ pages over its count of 12: it takes 24/);
    // Section by section, the furthest over first, in pages and lines.
    expect(problem!.reason).toMatch(/September runs \d+\.\d pages over its share of \d+ pages? \(about \d+ lines\); August runs/);
    for (const name of ["July", "August", "September"]) expect(problem!.reason).toContain(`${name} runs`);
    expect(problem!.reason).toMatch(/Cut there, or allow 24 pages$/);
    expect(existsSync(out)).toBe(false);
  });

  it("is planned by digest build --plan: the sections, their pages and how far over their share each runs, with no PDF written and exit code 1", () => {
    const dir = withPage(join(root, "issues", "2024-q3"), "2024-q3", "  count: 12\n");
    const run = digest(["build", dir, "--plan", "--no-cache"], join(dir, ".."));
    expect(run.status, run.stderr).toBe(1);
    expect(run.stdout).toMatch(/^Plan of 2024-q3: 24 pages, a multiple of 4 for saddle-stitch; page\.count 12: \d+ pages over$/m);
    expect(run.stdout).toMatch(/^ +16 +September +7 +\d+ % +\d+ +\+\d\.\d +as written \(about \d+ lines\)$/m);
    expect(run.stdout).toMatch(/Other pages: 7/);
    expect(existsSync(join(dir, "..", "out"))).toBe(false);
    // Without a budget, the plan of the sample as it is, and exit code 0.
    const plain = digest(["build", "2024-q3", "--plan"], root);
    expect(plain.status, plain.stderr).toBe(0);
    expect(plain.stdout).toMatch(/^ +23 +Flash Briefing +1 +\d+ % +tighter$/m);
  });

  it("must fit the binding: digest check refuses a count that is no multiple of four for saddle-stitch, at its line", () => {
    const dir = withPage(join(root, "test", "fixtures", "minimal", "2025-q1"), "2025-q1", "  count: 30\n");
    const { problems } = checkIssue(dir, dir);
    const [problem] = problems.list();
    expect(problem).toMatchObject({ ruleId: "page-count", reason: "A count of 30 pages does not fit saddle-stitch binding, which takes pages in fours. Make it 28 or 32" });
  });

  it("prints ruled notes pages only when issue.yml asks for them (page.fill: notes), as many as the count needs", async () => {
    const dir = withPage(join(root, "test", "fixtures", "minimal", "2025-q1"), "2025-q1", "  fill: notes\n  count: 16\n");
    const out = join(dir, "..", "notes.pdf");
    const report = await buildIssue({ issue: dir, out, cwd: dir, cache: false });
    expect(report.pageCount).toBe(16);
    expect(report.fillers[0]).toBe("house");
    const notes = report.fillers.filter((f) => f === "notes").length;
    expect(notes).toBe(16 - report.plan.to - 1);
    expect(notes).toBeGreaterThan(1);
    expect(pageText(out, 16 - 1)).toMatch(/NOTES/i);
    // The default fill never prints one (test/binding.e2e.test.ts: the house page, then blank pages).
  });
});
