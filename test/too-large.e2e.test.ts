import { describe, expect, it } from "vitest";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildIssue, ContentError } from "../src/index.js";

/**
 * Content that cannot fit on a page is found after pagination and reported at its
 * source line, instead of a PDF with a cut-off table.
 */
describe("content that does not fit", () => {
  it("is a located error, and no PDF is written", async () => {
    const fixture = join(import.meta.dirname, "fixtures", "too-large", "2024-q3");
    const out = join(mkdtempSync(join(tmpdir(), "digest-large-")), "large.pdf");
    const error = await buildIssue({ issue: fixture, out, cwd: fixture, cache: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContentError);
    const messages = (error as ContentError).problems.list().filter((m) => m.fatal);
    // The wide table: one error, at the table's first line. The tall picture is scaled and its caption flows: no error.
    expect(messages).toHaveLength(1);
    expect(messages[0]!.file).toBe("months/2024-07/01-budget-tables.md");
    expect(messages[0]!.line).toBe(7);
    expect(messages[0]!.ruleId).toBe("content-too-large");
    expect(messages[0]!.reason).toMatch(/^Cannot fit this block on page \d+: it is wider than its column/);
    expect(existsSync(out)).toBe(false);
  });
});
