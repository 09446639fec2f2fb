import { describe, expect, it } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkOddSeed, oddInputs, type OddVerdict } from "../src/fuzz/odd-inputs.js";
import { buildIssue, ContentError } from "../src/index.js";

/**
 * The odd-input fuzzer's seeds (src/fuzz/odd-inputs.ts; `npm run fuzz:odd` runs
 * more): hostile and odd articles and pictures, checked. None may crash digest,
 * every error has its file and line, and no message reads like a bug; the first
 * issues that check clean are built, and build.
 */
const SEEDS = Array.from({ length: 60 }, (_, i) => i + 1);

describe("odd inputs", () => {
  const work = mkdtempSync(join(tmpdir(), "digest-odd-"));
  const verdicts: OddVerdict[] = [];

  it("are the same for the same seed", () => {
    const [a, b] = [oddInputs(7, "2025-01"), oddInputs(7, "2025-01")];
    expect([...a.files.keys()]).toEqual([...b.files.keys()]);
    for (const [path, content] of a.files) expect(Buffer.compare(Buffer.from(content), Buffer.from(b.files.get(path)!)), path).toBe(0);
  });

  it("never crash check, and every error is located", async () => {
    for (const seed of SEEDS) verdicts.push(await checkOddSeed(seed, work));
    const findings = verdicts.flatMap((v) => [...v.crashes, ...v.unlocated, ...v.unhelpful].map((f) => `seed ${v.seed}: ${f}`));
    expect(findings).toEqual([]);
    // The seeds do reach digest's refusals, and some issues are sound.
    expect(verdicts.filter((v) => v.errors).length).toBeGreaterThan(SEEDS.length / 2);
    expect(verdicts.some((v) => !v.errors)).toBe(true);
  }, 120_000);

  it("that check clean build into a PDF, or are refused at their line", async () => {
    for (const v of verdicts.filter((v) => !v.errors).slice(0, 2)) {
      const result = await buildIssue({ issue: v.dir, cwd: v.dir, out: join(v.dir, "..", "odd.pdf") }).catch((e: unknown) => e);
      if (result instanceof ContentError) for (const m of result.problems.list()) expect([m.file, m.line], m.reason).not.toContain(undefined);
      else expect(result, String(result)).toHaveProperty("pageCount");
    }
  });
});
