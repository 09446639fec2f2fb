import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { alignPages, type PageFingerprint } from "../src/review/align.js";
import { comparePages } from "../src/review/compare.js";
import { filled, type Raster } from "../src/review/raster.js";
import { diffPdfs, pageRanges, printerList } from "../src/review/diff.js";
import { readPng } from "../src/review/raster.js";
import { madePage, writeMagazine, type MadePage } from "./helpers/magazine-pdf.js";

const root = join(import.meta.dirname, "..");
const digest = (args: string[]) => {
  const r = spawnSync(process.execPath, [join(root, "bin", "digest.js"), ...args], { cwd: root, encoding: "utf8", timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

const fingerprint = (text: string): PageFingerprint => ({ words: text ? text.split(" ") : [], thumb: new Uint8Array(256).fill(255) });

describe("lining up pages by content", () => {
  it("matches unchanged pages across an inserted page, and pairs the changed ones", () => {
    const old = ["cover", "a b c", "d e f", "g h i", "j k l", "", "back"].map(fingerprint);
    const next = ["cover", "a b c", "new page here", "d e f", "g h x", "j k l", "back"].map(fingerprint);
    const pairs = alignPages(old, next);
    expect(pairs.map((p) => [p.old ?? null, p.new ?? null, p.sameContent])).toEqual([
      [1, 1, true],
      [2, 2, true],
      [null, 3, false],
      [3, 4, true],
      [4, 5, false],
      [5, 6, true],
      [6, null, false],
      [7, 7, true],
    ]);
  });

  it("keeps identical pages (blanks) at their own numbers when it can", () => {
    const old = ["x", "", "", "", "back"].map(fingerprint);
    const next = ["x", "y", "", "", "back"].map(fingerprint);
    const pairs = alignPages(old, next).filter((p) => p.sameContent);
    expect(pairs.map((p) => [p.old, p.new])).toEqual([[1, 1], [3, 3], [4, 4], [5, 5]]);
  });

  it("writes the printer's list", () => {
    expect(pageRanges([17, 5, 18, 21, 22, 23])).toBe("5, 17–18, 21–23");
    expect(printerList({ changed: [5, 17, 18], added: [19, 20], removed: [], shifted: [{ first: 21, last: 44, offset: 2 }] })).toBe(
      "changed: 5, 17–18; added: 19–20; shifted: 21–44 (+2)",
    );
    expect(printerList({ changed: [], added: [], removed: [3], shifted: [{ first: 3, last: 7, offset: -1 }] })).toBe("shifted: 3–7 (−1); removed: old 3");
    expect(printerList({ changed: [], added: [], removed: [], shifted: [] })).toBe("no changes");
  });
});

describe("comparing the pixels of a page that moved", () => {
  /** A white 40 × 20 picture with grey rows painted in: `rows[y]` is a string of shades, 0–9 (9 = black), from x = 10. */
  const picture = (rows: Record<number, string>): Raster => {
    const r = filled(40, 20, [255, 255, 255]);
    for (const [y, row] of Object.entries(rows)) {
      [...row].forEach((ch, i) => {
        const v = 255 - Math.round((Number(ch) / 9) * 255);
        r.data.set([v, v, v], (Number(y) * 40 + 10 + i) * 4);
      });
    }
    return r;
  };
  const frame = { x: 0, y: 0, width: 40, height: 20 };
  const text = [{ x: 5, y: 3, width: 30, height: 10 }];

  it("forgives a glyph drawn a quarter pixel off: the same ink, the same middle, row by row", () => {
    // A stem's ink spread over two pixels, then over one and a little: the same ink, the same place within half a pixel.
    const old = picture({ 5: "0360", 6: "0360", 7: "0630" });
    const moved = picture({ 5: "0090", 6: "0090", 7: "0900" });
    expect(comparePages(old, moved, { frame }).pixels).toBeGreaterThan(0);
    expect(comparePages(old, moved, { frame, text }).pixels).toBe(0);
  });

  it("does not forgive another glyph in the text: a 0 that became a 1, or two figures swapped", () => {
    const zero = picture({ 5: "0990", 6: "9009", 7: "9009", 8: "0990" });
    const one = picture({ 5: "0090", 6: "0990", 7: "0090", 8: "0090" });
    expect(comparePages(zero, one, { frame, text }).pixels).toBeGreaterThan(0);
    const twelve = picture({ 5: "09009990", 6: "99000090", 7: "09009900", 8: "09009999" });
    const twentyOne = picture({ 5: "99900900", 6: "00909900", 7: "99000900", 8: "99990900" });
    expect(comparePages(twelve, twentyOne, { frame, text }).pixels).toBeGreaterThan(0);
  });

  it("forgives a rule whose end fell on the next pixel, away from the text", () => {
    const old = picture({ 16: "99999999999999999990" });
    const moved = picture({ 16: "999999999999999999990" });
    expect(comparePages(old, moved, { frame, text }).pixels).toBe(0);
    // In the text, a mark that appeared is a change.
    expect(comparePages(picture({}), picture({ 6: "99", 7: "99" }), { frame, text }).pixels).toBeGreaterThan(0);
  });
});

describe("digest diff of two PDFs", () => {
  const dir = mkdtempSync(join(tmpdir(), "digest-diff-"));
  const pages = (n: number) => Array.from({ length: n }, (_, i) => madePage(i + 1));
  const make = async (name: string, list: MadePage[]) => {
    const path = join(dir, name);
    await writeMagazine(path, list);
    return path;
  };

  it("finds nothing between two builds of the same pages, and exits 0", async () => {
    const a = await make("same-a.pdf", pages(8));
    const b = await make("same-b.pdf", pages(8));
    const report = await diffPdfs(a, b);
    expect(report.identical).toBe(true);
    expect(report.summary).toBe("no changes");
    expect(report.pages.every((p) => p.status === "same")).toBe(true);
    const r = digest(["diff", a, b]);
    expect(r.stdout.trim()).toBe("no changes");
    expect(r.code).toBe(0);
  });

  it("names the one page whose sentence changed, marks where, and draws it side by side", async () => {
    const list = pages(8);
    const edited = pages(8);
    edited[4] = { lines: [...edited[4]!.lines] };
    edited[4].lines[12] = "Page 5 line 13: the Council met to discuss item 512 of its revised agenda.";
    const a = await make("sentence-a.pdf", list);
    const b = await make("sentence-b.pdf", edited);
    const png = join(dir, "sentence-png");
    const report = await diffPdfs(a, b, { pngDir: png });
    expect(report.summary).toBe("changed: 5");
    const page = report.pages.find((p) => p.status === "changed")!;
    // The change is on line 13: about 22 mm + 10 pt + 12 lines of 13 pt down from the trim's top.
    expect(page.areas).toHaveLength(1);
    const y = 22 + ((10 + 12 * 13) * 25.4) / 72;
    expect(page.areas![0]!.y).toBeGreaterThan(y - 6);
    expect(page.areas![0]!.y).toBeLessThan(y + 2);
    expect(readdirSync(png)).toEqual(["05-changed.png"]);
    // Old on the left, new on the right, the same size, with red boxes on both.
    const picture = readPng(join(png, "05-changed.png"));
    let red = 0;
    for (let i = 0; i < picture.data.length; i += 4) if (picture.data[i]! > 200 && picture.data[i + 1]! < 40 && picture.data[i + 2]! < 40) red++;
    expect(red).toBeGreaterThan(100);
    const r = digest(["diff", a, b, "--json"]);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json.changed).toEqual([5]);
    expect(json.pages).toHaveLength(8);
  });

  it("reports an inserted page as added and the later pages as shifted, though their folios, running heads and margins moved", async () => {
    const list = pages(12);
    const inserted = [...list.slice(0, 3), { lines: ["An advertisement, new in this edition."], picture: [0.9, 0.6, 0.1] as [number, number, number] }, ...list.slice(3)];
    const a = await make("insert-a.pdf", list);
    const b = await make("insert-b.pdf", inserted);
    const report = await diffPdfs(a, b);
    expect(report.summary).toBe("added: 4; shifted: 5–13 (+1)");
    expect(report.pages.filter((p) => p.status === "shifted").map((p) => p.new! - p.old!)).toEqual(Array(9).fill(1));
  });

  it("still sees a change on a page that also moved", async () => {
    const list = pages(10);
    const changed = [...list.slice(0, 2), madePage(99), ...list.slice(2)];
    // Page 7 of the old (8 of the new) gets a picture of another colour: same text, other pixels.
    list[6] = { ...list[6]!, picture: [0.1, 0.3, 0.8] };
    changed[7] = { ...changed[7]!, picture: [0.1, 0.35, 0.8] };
    // Page 9 of the old (10 of the new): one figure of one line changed.
    changed[9] = { lines: changed[9]!.lines.map((l, i) => (i === 20 ? l.replace("item 920", "item 921") : l)) };
    expect(changed[9]!.lines[20]).toContain("item 921");
    const a = await make("moved-a.pdf", list);
    const b = await make("moved-b.pdf", changed);
    const report = await diffPdfs(a, b);
    expect(report.summary).toBe("changed: 8, 10; added: 3; shifted: 4–7 (+1), 9 (+1), 11 (+1)");
  });

  it("reports removed pages by their old numbers", async () => {
    const list = pages(9);
    const a = await make("remove-a.pdf", list);
    const b = await make("remove-b.pdf", [...list.slice(0, 5), ...list.slice(7)]);
    const report = await diffPdfs(a, b);
    expect(report.summary).toBe("shifted: 6–7 (−2); removed: old 6–7");
    expect(report.removed).toEqual([6, 7]);
  });

  it("says what is wrong, with exit code 2, when it cannot compare", () => {
    const a = join(dir, "same-a.pdf");
    const missing = digest(["diff", a, join(dir, "nowhere.pdf")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("No such file");
    expect(missing.stderr).not.toMatch(/^\s+at /m);
    const one = digest(["diff", a]);
    expect(one.code).toBe(2);
    expect(one.stderr).toContain("Expected a second PDF");
    const ref = digest(["diff", "no-such-branch", "2024-q3"]);
    expect(ref.code).toBe(2);
    expect(ref.stderr).toContain("Cannot find the git ref `no-such-branch`");
    expect(existsSync(join(root, "out", "no-such-branch"))).toBe(false);
  });
});

describe("digest diff --threshold", () => {
  it("counts any change of colour by default, and lets a slight one through when a threshold is given", async () => {
    const dir = mkdtempSync(join(tmpdir(), "digest-threshold-"));
    const a = join(dir, "a.pdf");
    const b = join(dir, "b.pdf");
    const tinted = join(dir, "tinted.pdf");
    // The same four pages; page 3's picture a shade bluer (2 %), then much redder.
    const pages = (blue: number, red = 0.1): MadePage[] => Array.from({ length: 4 }, (_, i) => ({ ...madePage(i + 1, 8), picture: i === 2 ? [red, 0.2, blue] : [0.1, 0.2, 0.6] }));
    await writeMagazine(a, pages(0.6));
    await writeMagazine(b, pages(0.62));
    await writeMagazine(tinted, pages(0.6, 0.9));
    const plain = digest(["diff", a, b]);
    expect(plain.code).toBe(1);
    expect(plain.stdout.trim()).toBe("changed: 3");
    const lenient = digest(["diff", a, b, "--threshold", "0.1"]);
    expect(lenient.stderr).not.toMatch(/error/i);
    expect(lenient.code).toBe(0);
    expect(lenient.stdout.trim()).toBe("no changes");
    // A threshold lets slight differences through, not real ones.
    const red = digest(["diff", a, tinted, "--threshold", "0.1"]);
    expect(red.code).toBe(1);
    expect(red.stdout.trim()).toBe("changed: 3");
    const bad = digest(["diff", a, b, "--threshold", "2"]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("Expected a number from 0 to 1");
  });
});
