import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { annotation, escapeData, escapeProperty } from "../src/commands/ci-report.js";

const root = join(import.meta.dirname, "..");
const digest = (args: string[], env: NodeJS.ProcessEnv = {}, cwd = root) => {
  const r = spawnSync(process.execPath, [join(root, "bin", "digest.js"), ...args], {
    cwd,
    env: { ...process.env, GITHUB_ACTIONS: "", GITHUB_WORKSPACE: "", ...env },
    encoding: "utf8",
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

/**
 * A workflow command as GitHub's runner parses it: `::kind props::message`, props
 * `key=value` separated by commas; values and message unescaped. Fails on anything else.
 */
function parseAnnotation(line: string): { kind: string; props: Record<string, string>; message: string } {
  const m = /^::(error|warning|notice)(?: ([^:]*))?::(.*)$/.exec(line);
  if (!m) throw new Error(`Not a workflow annotation: ${line}`);
  const unescape = (s: string) => s.replace(/%0D/g, "\r").replace(/%0A/g, "\n").replace(/%3A/g, ":").replace(/%2C/g, ",").replace(/%25/g, "%");
  const props: Record<string, string> = {};
  for (const pair of m[2] ? m[2].split(",") : []) {
    const [k, ...v] = pair.split("=");
    expect(["file", "line", "col", "endLine", "endColumn", "title"]).toContain(k);
    props[k!] = unescape(v.join("="));
  }
  // A raw line break would end the command early; a raw % would be read as an escape.
  expect(m[3]).not.toMatch(/[\r\n]|%(?!25|0D|0A)/);
  return { kind: m[1]!, props, message: unescape(m[3]!) };
}

describe("GitHub workflow annotations", () => {
  it("escape %, CR and LF in messages, and : and , in properties too", () => {
    expect(escapeData("50% of 2:1,\r\nnext")).toBe("50%25 of 2:1,%0D%0Anext");
    expect(escapeProperty("a,b:c%d\n")).toBe("a%2Cb%3Ac%25d%0A");
    const line = annotation("error", "Expected `title`, not 50%:\nfix it", { file: "issues/odd,name:1/a.md", line: 3, col: 1, title: "digest unknown-key" });
    expect(line).toBe("::error file=issues/odd%2Cname%3A1/a.md,line=3,col=1,title=digest unknown-key::Expected `title`, not 50%25:%0Afix it");
    expect(parseAnnotation(line)).toEqual({
      kind: "error",
      props: { file: "issues/odd,name:1/a.md", line: "3", col: "1", title: "digest unknown-key" },
      message: "Expected `title`, not 50%:\nfix it",
    });
  });

  it("digest check --format github prints one valid annotation per problem, at its file and line, and exits 1", () => {
    const r = digest(["check", "test/fixtures/broken/unknown-key/2024-q3", "--format", "github"]);
    expect(r.code).toBe(1);
    const lines = r.stdout.split("\n").filter((l) => l.startsWith("::"));
    expect(lines).toHaveLength(1);
    const a = parseAnnotation(lines[0]!);
    expect(a.kind).toBe("error");
    expect(a.props).toEqual({ file: "test/fixtures/broken/unknown-key/2024-q3/months/2024-07/01-first.md", line: "3", col: "1", title: "digest unknown-key" });
    expect(a.message).toContain("Unknown key `titel`");
    expect(r.stdout).toContain("2024-q3: 1 error to fix before it can be built");
  });

  it("are the default in GitHub Actions, with paths from the workspace, and escape odd folder names", () => {
    const dir = mkdtempSync(join(tmpdir(), "digest-gh-"));
    const odd = join(dir, "drafts, 2024: Q3", "2024-q3");
    cpSync(join(root, "test", "fixtures", "broken", "unknown-key", "2024-q3"), odd, { recursive: true });
    // A warning too: raw HTML is not printed.
    writeFileSync(join(odd, "months", "2024-07", "02-second.md"), "---\ntitle: Second\n---\n\nText with <b>raw HTML</b>.\n");
    const r = digest(["check", odd], { GITHUB_ACTIONS: "true", GITHUB_WORKSPACE: dir });
    expect(r.code).toBe(1);
    const annotations = r.stdout.split("\n").filter((l) => l.startsWith("::")).map(parseAnnotation);
    expect(annotations.map((a) => [a.kind, a.props.file, a.props.title])).toEqual([
      ["error", "drafts, 2024: Q3/2024-q3/months/2024-07/01-first.md", "digest unknown-key"],
      ["warning", "drafts, 2024: Q3/2024-q3/months/2024-07/02-second.md", "digest raw-html"],
    ]);
    expect(r.stdout).toContain("::error file=drafts%2C 2024%3A Q3/2024-q3/months/2024-07/01-first.md,");
  });

  it("digest build --format github annotates content errors before Chromium starts", () => {
    const r = digest(["build", "test/fixtures/broken/missing-picture/2024-q3", "--format", "github", "--out", join(mkdtempSync(join(tmpdir(), "digest-gh-")), "x.pdf")]);
    expect(r.code).toBe(1);
    const a = r.stdout.split("\n").filter((l) => l.startsWith("::")).map(parseAnnotation);
    expect(a).toHaveLength(1);
    expect(a[0]!.kind).toBe("error");
    expect(a[0]!.props.file).toBe("test/fixtures/broken/missing-picture/2024-q3/months/2024-07/01-first.md");
    expect(a[0]!.props.title).toBe("digest missing-picture");
    expect(r.stderr).toContain("digest: 1 problem in the issue must be fixed");
  });

  it("digest check --format json gives every problem as data", () => {
    const r = digest(["check", "test/fixtures/broken/date-outside-month/2024-q3", "--format", "json"]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ issue: "2024-q3", ready: false, errors: 1, warnings: 0 });
    expect(report.problems).toEqual([expect.objectContaining({ severity: "error", rule: "date-outside-month", file: expect.stringMatching(/01-first\.md$/), line: expect.any(Number) })]);
    const ok = digest(["check", "2024-q3", "--format", "json"]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ issue: "2024-q3", ready: true, errors: 0, problems: [] });
  });
});
