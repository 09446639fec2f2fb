// One round of the layout fuzzer: generate the seed's issue, build it with the
// library API, and read the layout's faults back from the PDF.
import { cpSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readFileSync, writeFileSync } from "node:fs";
import { buildIssue, ContentError, DigestError, planIssue, type PageCountFit } from "../index.js";
import type { LayoutReport } from "../preflight/layout-summary.js";
import { generateIssue, writeIssue, type GenerateOptions, type IssueFacts } from "./generate-issue.js";

/**
 * Whether a seed's issue is built to a page budget: every eighth seed from 7 on (7, 15, 23…). Its page count is
 * planned first, without a budget, and the budget is then a sheet more than that (four pages for saddle-stitch,
 * two for perfect binding): copyfitting must carry sections on to more pages, the fillers taking the rest.
 */
export function isBudgetSeed(seed: number): boolean {
  return seed % 8 === 7;
}

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
  /** The filler pages the binding printed (\`house\`, \`notes\`, filler ads' files) and the blank pages it added. */
  fillers?: string[];
  blanks?: number;
  /** For a budget seed (isBudgetSeed): the count asked for, and whether the build met it or was refused (then it is built again without one). */
  budget?: { count: number; met: boolean; message?: string };
  plan?: PageCountFit;
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
      const build = () => buildIssue({ issue: dir, out: pdf, cwd: work, browser: options.browser, timeoutSeconds: options.timeoutSeconds, cache: false });
      let built: Awaited<ReturnType<typeof buildIssue>> | undefined;
      if (isBudgetSeed(seed)) {
        const planned = await planIssue({ issue: dir, cwd: work, browser: options.browser, timeoutSeconds: options.timeoutSeconds, cache: false });
        const count = planned.pageCount + (planned.binding === "saddle-stitch" ? 4 : 2);
        const yml = join(dir, "issue.yml");
        const plain = readFileSync(yml, "utf8");
        writeFileSync(yml, plain.replace(/^page:\n/m, `page:\n  count: ${count}\n`));
        try {
          built = await build();
          result.budget = { count, met: true };
        } catch (error) {
          if (!(error instanceof ContentError) || !error.problems.list().some((m) => m.ruleId === "page-count")) throw error;
          result.budget = { count, met: false, message: error.problems.list().find((m) => m.ruleId === "page-count")!.reason };
          writeFileSync(yml, plain);
        }
      }
      built ??= await build();
      result.pageCount = built.pageCount;
      result.layout = built.layout;
      result.fillers = built.fillers;
      result.blanks = built.blanksAdded;
      result.plan = built.plan;
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
