import { describe, expect, it } from "vitest";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildIssue } from "../src/index.js";
import { images, info, pageText } from "./helpers/pdf.js";

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
    const first = await buildIssue({ issue: plain, out: join(plain, "..", "plain.pdf"), cwd: plain, cache: false });
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
    const second = await buildIssue({ issue: withAd, out, cwd: withAd, cache: false });
    expect(second.pageCount).toBe(first.pageCount);
    expect(second.fillers[0]).toMatch(/ads\/house-subscribe\.md$/);
    expect(second.fillers.slice(1)).toEqual(first.fillers.slice(0, needed - 1));
    expect(pageText(out, second.pageCount - needed)).toMatch(/SUBSCRIBE TO THE TEST DIGEST/i);
    // The back cover is still the last page.
    expect(pageText(out, second.pageCount)).toMatch(/VISIT THE STEPPE/i);
  });

  it("adds blank pages instead only when issue.yml asks for them: as many as the binding needs, before the back cover, printing nothing", async () => {
    const dir = copy();
    const yml = join(dir, "issue.yml");
    writeFileSync(yml, readFileSync(yml, "utf8").replace("binding: saddle-stitch", "binding: saddle-stitch\n  fill: blank"));
    const out = join(dir, "..", "blank.pdf");
    const report = await buildIssue({ issue: dir, out, cwd: dir, cache: false });
    expect(report.fillers).toEqual([]);
    const pages = Number(info(out).Pages);
    expect(pages).toBe(report.pageCount);
    expect(pages % 4).toBe(0);
    // The padding was needed, and no more than needed: without it the count is not a multiple of four.
    const unpadded = pages - report.blanksAdded;
    expect(report.blanksAdded).toBeGreaterThan(0);
    expect(report.blanksAdded).toBe((4 - (unpadded % 4)) % 4);
    // The blank pages stand just before the back cover and print nothing: no text, no picture.
    for (let p = unpadded; p < pages; p++) {
      expect(pageText(out, p), `page ${p}`).toBe("");
      expect(images(out).filter((i) => i.page === p), `page ${p}`).toEqual([]);
    }
    expect(pageText(out, unpadded - 1)).not.toBe("");
    expect(pageText(out, pages)).toMatch(/VISIT THE STEPPE/i);
    // The layout report warns of them, and of no other blank page.
    expect(report.layout.counts["blank-page"]).toBe(report.blanksAdded);
  });

  it("pads a perfect-bound issue to an even count only, not to a multiple of four", async () => {
    // Nine pages once the ad after an article and the flash briefing are taken out.
    const dir = copy();
    rmSync(join(dir, "ads", "bank.md"));
    rmSync(join(dir, "flash-briefing.md"));
    const yml = join(dir, "issue.yml");
    writeFileSync(yml, readFileSync(yml, "utf8").replace("binding: saddle-stitch", "binding: perfect\n  fill: blank"));
    const out = join(dir, "..", "perfect.pdf");
    const report = await buildIssue({ issue: dir, out, cwd: dir, cache: false });
    const pages = Number(info(out).Pages);
    expect(pages - report.blanksAdded, "the pages before padding").toBe(9);
    // One blank page makes it even; saddle-stitch would have needed three.
    expect(report.blanksAdded).toBe(1);
    expect(pages).toBe(10);
    expect(pageText(out, 9)).toBe("");
    expect(pageText(out, 10)).toMatch(/VISIT THE STEPPE/i);
    const pageCount = report.preflight.find((p) => p.edition === "print")!.report.checks.find((c) => c.id === "page-count")!;
    expect(pageCount.status).toBe("pass");
    expect(pageCount.detail).toBe("10 pages: an even count for perfect binding");
    // Filled by the house page instead (the default): one page, not three.
    writeFileSync(yml, readFileSync(yml, "utf8").replace("\n  fill: blank", ""));
    const house = await buildIssue({ issue: dir, out: join(dir, "..", "perfect-house.pdf"), cwd: dir, cache: false });
    expect(house.fillers).toEqual(["house"]);
    expect(house.blanksAdded).toBe(0);
    expect(house.pageCount).toBe(10);
  });
});
