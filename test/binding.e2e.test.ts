import { describe, expect, it } from "vitest";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildIssue } from "../src/index.js";
import { info, pageText } from "./helpers/pdf.js";

/**
 * The pages a saddle-stitched issue needs to reach a multiple of four are filled
 * before the inside back cover: the issue's filler ads first, then the house
 * page and notes pages; blank pages only when issue.yml asks for them.
 */
const minimal = join(import.meta.dirname, "fixtures", "minimal", "2025-q1");

function copy(): string {
  const dir = join(mkdtempSync(join(tmpdir(), "digest-binding-")), "2025-q1");
  cpSync(minimal, dir, { recursive: true });
  return dir;
}

describe("filling the binding", () => {
  it("uses the house page when the issue has no filler ads, and a filler ad before it when it has one", async () => {
    const plain = copy();
    const first = await buildIssue({ issue: plain, out: join(plain, "..", "plain.pdf"), cwd: plain });
    const needed = first.fillers.length;
    expect(needed).toBeGreaterThan(0);
    expect(first.fillers[0]).toBe("house");
    expect(first.blanksAdded).toBe(0);
    expect(first.pageCount % 4).toBe(0);
    // The house page carries the publication and its publisher, from issue.yml.
    const housePage = pageText(join(plain, "..", "plain.pdf"), first.pageCount - needed);
    expect(housePage).toMatch(/ABOUT US/i);
    expect(housePage).toContain("The Test Secretariat");
    expect(first.layout.counts["blank-page"] ?? 0).toBe(0);

    const withAd = copy();
    writeFileSync(join(withAd, "ads", "house-subscribe.md"), "---\nadvertiser: Test Digest\nplacement: filler\n---\n\n# Subscribe to the Test Digest\n\nFour issues a year.\n");
    const out = join(withAd, "..", "ad.pdf");
    const second = await buildIssue({ issue: withAd, out, cwd: withAd });
    expect(second.pageCount).toBe(first.pageCount);
    expect(second.fillers[0]).toMatch(/ads\/house-subscribe\.md$/);
    expect(second.fillers.slice(1)).toEqual(first.fillers.slice(0, needed - 1));
    expect(pageText(out, second.pageCount - needed)).toMatch(/SUBSCRIBE TO THE TEST DIGEST/i);
    // The back cover is still the last page.
    expect(pageText(out, second.pageCount)).toMatch(/VISIT THE STEPPE/i);
  });

  it("adds blank pages instead only when issue.yml asks for them", async () => {
    const dir = copy();
    const yml = join(dir, "issue.yml");
    writeFileSync(yml, readFileSync(yml, "utf8").replace("binding: saddle-stitch", "binding: saddle-stitch\n  fill: blank"));
    const out = join(dir, "..", "blank.pdf");
    const report = await buildIssue({ issue: dir, out, cwd: dir });
    expect(report.fillers).toEqual([]);
    expect(report.blanksAdded).toBeGreaterThan(0);
    expect(Number(info(out).Pages) % 4).toBe(0);
    expect(pageText(out, report.pageCount - 1)).toBe("");
  });
});
