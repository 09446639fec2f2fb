// One round of the layout fuzzer: generate the seed's issue, build it with the
// library API, and read the layout's faults back from the PDF.
import { cpSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildIssue, ContentError, DigestError } from "../index.js";
import type { LayoutReport } from "../preflight/layout-summary.js";
import { generateIssue, writeIssue, type GenerateOptions, type IssueFacts } from "./generate-issue.js";

export interface FuzzSeedOptions extends GenerateOptions {
  /** Keep the issue folder and its PDF under this folder, as `seed-<n>/`. */
  keepDir?: string;
  /** The Chromium to drive. */
  browser?: string;
  timeoutSeconds?: number;
}

/** What one seed gave: the issue's facts, and either the build error or the layout report. */
export interface FuzzResult {
  facts: IssueFacts;
  /** The located error that stopped the build, as digest prints it. */
  error?: string;
  layout?: LayoutReport;
  pageCount?: number;
  seconds: number;
  /** Where the issue folder and PDF were kept (with `keepDir`). */
  kept?: string;
}

/** Generates, builds and inspects the issue of one seed; build failures are results, not exceptions. */
export async function fuzzSeed(seed: number, options: FuzzSeedOptions = {}): Promise<FuzzResult> {
  const started = performance.now();
  const generated = generateIssue(seed, options);
  const work = mkdtempSync(join(tmpdir(), `digest-fuzz-${seed}-`));
  const result: FuzzResult = { facts: generated.facts, seconds: 0 };
  try {
    const dir = writeIssue(work, generated);
    const pdf = join(work, `${generated.id}.pdf`);
    try {
      // Every page laid out afresh: a fuzzer looks for layout faults, which pages from the layout cache could hide.
      const built = await buildIssue({ issue: dir, out: pdf, cwd: work, browser: options.browser, timeoutSeconds: options.timeoutSeconds, cache: false });
      result.pageCount = built.pageCount;
      result.layout = built.layout;
    } catch (error) {
      if (error instanceof ContentError) result.error = `${error.problems.report()}\n${error.message}`.trim();
      else if (error instanceof DigestError) result.error = [error.message, error.hint].filter(Boolean).join("\n");
      else throw error;
    }
    if (options.keepDir) {
      result.kept = join(options.keepDir, `seed-${seed}`);
      rmSync(result.kept, { recursive: true, force: true });
      mkdirSync(result.kept, { recursive: true });
      cpSync(work, result.kept, { recursive: true });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  result.seconds = (performance.now() - started) / 1000;
  return result;
}
