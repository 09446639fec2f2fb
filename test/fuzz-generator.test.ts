// The fuzzer's issues: the same seed gives the same files, byte for byte; every
// seed gives an issue that digest check accepts; the variety the fuzzer promises
// is there. No Chromium.
import { describe, expect, it } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkIssue } from "../src/index.js";
import { createHash } from "node:crypto";
import { FUZZ_SIZES, PICTURE_RATIOS, generateIssue, isPictureHeavy, writeIssue, type GeneratedIssue } from "../src/fuzz/generate-issue.js";
import { Random } from "../src/fuzz/random.js";

const SEEDS = Array.from({ length: 24 }, (_, i) => i + 1);
/** Seed 1's files, hashed, as the generator made them before picture-heavy seeds (commit 93eac38). */
const PINNED_SEED_1 = "cdec4a18b21904f0";
const issues = new Map<number, GeneratedIssue>(SEEDS.map((s) => [s, generateIssue(s)]));
const text = (issue: GeneratedIssue) => [...issue.files].filter(([path]) => path.endsWith(".md") || path.endsWith(".yml")).map(([, c]) => String(c)).join("\n");

/** Width and height from a PNG's header. */
const pngSize = (png: Buffer) => [png.readUInt32BE(16), png.readUInt32BE(20)] as const;

describe("the fuzzer's issue generator", () => {
  it("is deterministic: the same seed gives the same files, byte for byte; another seed other files", () => {
    for (const seed of [1, 7, 20]) {
      const again = generateIssue(seed);
      const first = issues.get(seed)!;
      expect([...again.files.keys()]).toEqual([...first.files.keys()]);
      for (const [path, content] of first.files) expect(Buffer.compare(Buffer.from(again.files.get(path)!), Buffer.from(content)), path).toBe(0);
    }
    expect(text(issues.get(1)!)).not.toBe(text(issues.get(2)!));
  });

  it("draws from a seeded generator: the same seed the same sequence, on every machine (mulberry32's own numbers), another seed another", () => {
    const draw = (seed: number, n = 1000) => {
      const random = new Random(seed);
      return Array.from({ length: n }, () => random.next());
    };
    const five = draw(5);
    expect(draw(5)).toEqual(five);
    // Pinned: a generator that took anything from its machine or its moment (Math.random, the time) would not give these.
    expect(five.slice(0, 4)).toEqual([0.7203877985011786, 0.31097615440376103, 0.15606558579020202, 0.5226833636406809]);
    expect(draw(6)).not.toEqual(five);
    expect(five.every((x) => x >= 0 && x < 1)).toBe(true);
    // Spread over [0, 1): not stuck, and each tenth gets its share.
    const tenths = Array.from({ length: 10 }, (_, i) => five.filter((x) => Math.floor(x * 10) === i).length);
    for (const count of tenths) expect(count).toBeGreaterThan(60);
  });

  it("makes every fifth seed from 4 picture-heavy, at one-column A5 or two-column B5, and the others as before", () => {
    const pictures = (issue: GeneratedIssue) => Object.values(issue.facts.pictures).reduce((a, b) => a + b, 0);
    for (const seed of [4, 9, 14, 19, 24]) {
      const heavy = issues.get(seed)!;
      expect(isPictureHeavy(seed)).toBe(true);
      expect(heavy.facts.pictureHeavy).toBe(true);
      expect(["A5", "B5"]).toContain(heavy.facts.size);
      // Many pictures: about one an article or more (a lead picture for most, one in about a third of the blocks).
      expect(pictures(heavy) / heavy.facts.articles).toBeGreaterThanOrEqual(1);
    }
    expect(SEEDS.filter((s) => issues.get(s)!.facts.pictureHeavy)).toEqual([4, 9, 14, 19, 24]);
    // Asked for, any seed is picture-heavy (its own size kept unless forced), or not.
    expect(generateIssue(3, { pictures: "heavy" }).facts.pictureHeavy).toBe(true);
    expect(generateIssue(4, { pictures: "usual" }).facts.pictureHeavy).toBe(false);
    // The other seeds' issues did not change with picture-heavy ones (pinned: the hash of seed 1's files as they were).
    const hash = createHash("sha256");
    for (const [path, content] of issues.get(1)!.files) hash.update(path).update(content);
    expect(hash.digest("hex").slice(0, 16)).toBe(PINNED_SEED_1);
  });

  it("lays out the same content at a forced page size", () => {
    const own = issues.get(3)!;
    const a5 = generateIssue(3, { size: "A5" });
    expect(a5.facts.size).toBe("A5");
    expect([...a5.files.keys()]).toEqual([...own.files.keys()]);
    expect(String(a5.files.get("issue.yml"))).toContain('size: "A5"');
    expect(String(a5.files.get("issue.yml")).replace(/size: .*/, "")).toBe(String(own.files.get("issue.yml")).replace(/size: .*/, ""));
  });

  it("makes issues that digest check accepts, at every page size", () => {
    const parent = mkdtempSync(join(tmpdir(), "digest-fuzz-check-"));
    const checked = SEEDS.map((seed, i) => {
      const issue = i < FUZZ_SIZES.length ? generateIssue(seed, { size: FUZZ_SIZES[i] }) : issues.get(seed)!;
      const dir = writeIssue(mkdtempSync(join(parent, `${seed}-`)), issue);
      const { problems, articles } = checkIssue(dir, parent);
      return { seed, errors: problems.errorCount, report: problems.report(), articles, expected: issue.facts.articles };
    });
    for (const c of checked) {
      expect(c.errors, `seed ${c.seed}:\n${c.report}`).toBe(0);
      expect(c.articles).toBe(c.expected);
    }
  });

  it("varies what breaks layouts: sizes, bindings, pictures of six shapes, tables, long titles and addresses, flash items, ads", () => {
    const all = [...issues.values()];
    const facts = all.map((i) => i.facts);
    expect(new Set(facts.map((f) => f.size))).toEqual(new Set(FUZZ_SIZES));
    expect(new Set(facts.map((f) => f.binding))).toEqual(new Set(["saddle-stitch", "perfect"]));
    for (const shape of Object.keys(PICTURE_RATIOS)) expect(facts.some((f) => f.pictures[shape as keyof typeof PICTURE_RATIOS] > 0), shape).toBe(true);
    expect(facts.some((f) => f.tables > 0)).toBe(true);
    expect(Math.max(...facts.map((f) => f.flashItems))).toBeGreaterThanOrEqual(8);
    expect(facts.some((f) => f.flashItems === 0)).toBe(true);
    expect(new Set(facts.map((f) => f.ads))).toEqual(new Set([0, 1, 2, 3]));
    const md = all.map(text).join("\n");
    expect(md).toMatch(/^title: "[^"]{60,140}"$/m);
    expect(md).toMatch(/https:\/\/www\.\S{60,}/);
    expect(md).toMatch(/[\w.-]{12,}@[\w-]{20,}\.org/);
    expect(md).toMatch(/^\| .+ \| .+ \| .+ \| .+ \|$/m); // a table of four columns
    expect(md).toMatch(/^## /m); // a boxed flash item
    expect(md).toMatch(/^> /m);
    expect(md).toMatch(/^1\. /m);
    expect(md).toMatch(/^image: /m); // a lead picture
    expect(md).toMatch(/placement:\s+after: /);
    // Latin script only: the typefaces have no CJK.
    expect(md).not.toMatch(/[\u3000-\u9fff]/);
  });

  it("draws each picture at the shape its name says, from 800 to 2400 pixels on the long side", () => {
    for (const issue of issues.values()) {
      for (const [path, content] of issue.files) {
        const m = /^images\/(\w+)-\d+-(\d+)x(\d+)\.png$/.exec(path);
        if (!m) continue;
        const [w, h] = pngSize(content as Buffer);
        expect([w, h]).toEqual([Number(m[2]), Number(m[3])]);
        const [rw, rh] = PICTURE_RATIOS[m[1] as keyof typeof PICTURE_RATIOS];
        expect(Math.abs(w / h - rw / rh)).toBeLessThan(0.01);
        expect(Math.max(w, h)).toBeGreaterThanOrEqual(800);
        expect(Math.max(w, h)).toBeLessThanOrEqual(2400);
      }
    }
  });
});
