import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { loadIssue } from "../src/content/load-issue.js";

/**
 * Each folder under fixtures/broken/ is an issue with one mistake an editor can
 * make, and expected.json says where the error must point and what it must say.
 */
const dir = join(import.meta.dirname, "fixtures", "broken");
const cases = readdirSync(dir);

describe.each(cases)("broken issue: %s", (name) => {
  const expected = JSON.parse(readFileSync(join(dir, name, "expected.json"), "utf8")) as {
    file: string;
    line?: number;
    column?: number;
    rule: string;
    message: string;
  };
  const issueDir = join(dir, name, "2024-q3");
  const { issue, problems } = loadIssue(issueDir, issueDir);

  it("is refused", () => {
    expect(issue).toBeUndefined();
    expect(problems.errorCount).toBeGreaterThan(0);
  });

  it("gives a located error with the rule and a message that says what is wrong", () => {
    const match = problems.list().find((m) => m.ruleId === expected.rule);
    expect(match, problems.report()).toBeDefined();
    expect(match!.fatal).toBe(true);
    expect(match!.file).toBe(expected.file);
    if (expected.line !== undefined) expect(match!.line).toBe(expected.line);
    if (expected.column !== undefined) expect(match!.column).toBe(expected.column);
    expect(match!.reason).toContain(expected.message);
  });

  it("reports it as file:line:column in the printed report", () => {
    const report = problems.report();
    expect(report).toContain(expected.file);
    if (expected.line !== undefined) expect(report).toContain(`${expected.line}:${expected.column ?? ""}`);
    expect(report).toContain(expected.rule);
  });
});
