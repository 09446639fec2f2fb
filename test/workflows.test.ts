import { describe, expect, it } from "vitest";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

/**
 * CI, the release workflow, .ci/run and the README build and test the same way:
 * through npm scripts that exist.
 */
const root = join(import.meta.dirname, "..");
const scripts = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;

/** The npm scripts a piece of shell calls: `npm test`, `npm run x`, `npm run --silent x`. */
function npmScripts(shell: string): string[] {
  const found: string[] = [];
  for (const m of shell.matchAll(/\bnpm\s+(?:run\s+(?:--?[\w-]+\s+)*([\w:-]+)|(test)\b)/g)) found.push(m[1] ?? m[2]!);
  return found;
}

interface Workflow {
  on: unknown;
  jobs: Record<string, { steps: { run?: string; uses?: string; env?: Record<string, string> }[] }>;
}

const workflows = readdirSync(join(root, ".github", "workflows")).map((f) => ({
  file: f,
  flow: parse(readFileSync(join(root, ".github", "workflows", f), "utf8")) as Workflow,
}));

describe("the workflows", () => {
  it("are CI and release", () => {
    expect(workflows.map((w) => w.file).sort()).toEqual(["ci.yml", "release.yml"]);
  });

  it.each(workflows.map((w) => [w.file, w.flow] as const))("%s calls only npm scripts that exist", (_file, flow) => {
    const runs = Object.values(flow.jobs).flatMap((job) => job.steps.map((s) => s.run ?? ""));
    const called = runs.flatMap(npmScripts);
    expect(called.length).toBeGreaterThan(2);
    for (const name of called) expect(Object.keys(scripts), `npm script "${name}"`).toContain(name);
    // Installing goes through the same setup as the README and .ci/run.
    expect(called).toContain("setup");
  });

  it("CI tests, builds every issue, preflights, proofs, keeps the PDFs and the proofs, and on pull requests says which pages changed", () => {
    const ci = workflows.find((w) => w.file === "ci.yml")!.flow;
    const steps = Object.values(ci.jobs).flatMap((j) => j.steps);
    const called = steps.flatMap((s) => npmScripts(s.run ?? ""));
    expect(called).toEqual(["setup", "test", "build:all", "preflight:all", "proof:all", "diff"]);
    const uploads = steps.filter((s) => s.uses?.startsWith("actions/upload-artifact")).map((s) => String((s as { with?: { path?: string } }).with?.path));
    expect(uploads.some((p) => p.includes("out/*.pdf"))).toBe(true);
    expect(uploads.some((p) => p.includes("-proof/"))).toBe(true);
    expect(Object.keys(ci.on as object).sort()).toEqual(["pull_request", "push"]);
    // The job summary: the build's report, and the diff against the base branch on pull requests only.
    const build = steps.find((s) => npmScripts(s.run ?? "").includes("build:all"))!;
    expect(build.run).toContain('--summary "$GITHUB_STEP_SUMMARY"');
    const diff = steps.find((s) => npmScripts(s.run ?? "").includes("diff"))! as { if?: string; run?: string; env?: Record<string, string> };
    expect(diff.if).toContain("pull_request");
    expect(diff.env?.BASE).toContain("github.base_ref");
    expect(diff.run).toContain("$GITHUB_STEP_SUMMARY");
    // Pages that differ (exit code 1) must not fail the job; trouble (2) must.
    expect(diff.run).toContain("|| [ $? -eq 1 ]");
  });

  it("release builds the tagged issue (or all) and attaches the editions with gh", () => {
    const release = workflows.find((w) => w.file === "release.yml")!.flow;
    expect((release.on as { push: { tags: string[] } }).push.tags).toEqual(["v*", "[0-9][0-9][0-9][0-9]-q[1-4]"]);
    const shell = Object.values(release.jobs).flatMap((j) => j.steps.map((s) => s.run ?? "")).join("\n");
    expect(npmScripts(shell)).toEqual(["setup", "build:all", "build:issue", "preflight:all", "diff", "diff"]);
    // The diff against the previous release tag goes into the notes.
    expect(shell).toMatch(/git describe --tags --abbrev=0 .*"\$TAG\^"/);
    expect(shell).toContain(">> release-notes.md");
    expect(shell).toContain("gh release create");
    expect(shell).toContain("gh release upload");
  });

  it(".ci/run and the README's quick start use the same scripts", () => {
    const ciRun = readFileSync(join(root, ".ci", "run"), "utf8");
    expect(ciRun).toContain("bash scripts/setup.sh");
    expect(npmScripts(ciRun)).toEqual(["test"]);
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const quickStart = /## Quick start[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)![1]!;
    const commands = quickStart.split("\n").filter((l) => l.trim()).map((l) => l.replace(/#.*/, "").trim());
    expect(commands).toEqual(["npm run sample", "npm test"]);
    for (const name of commands.flatMap(npmScripts)) expect(Object.keys(scripts)).toContain(name);
    expect(scripts.sample).toContain("scripts/setup.sh");
    expect(scripts.pretest).toContain("scripts/setup.sh");
  });
});
