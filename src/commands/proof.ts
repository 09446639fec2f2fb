import { relative } from "node:path";
import { listIssues, proofIssue, type PageRange } from "../index.js";
import { DigestError } from "../errors.js";
import type { Output } from "./output.js";

export interface ProofCommandOptions {
  all?: boolean;
  pdf?: string;
  out?: string;
  dpi: number;
  pages?: PageRange;
  build?: boolean;
  browser?: string;
}

const here = (path: string) => relative(process.cwd(), path) || path;

/** `digest proof <issue>` (or `--all`): the issue as spreads, one PNG each, and a contact sheet of all of them. */
export async function proofCommand(issue: string | undefined, options: ProofCommandOptions, out: Output): Promise<void> {
  if (options.all && (options.pdf || options.out)) throw new DigestError("Cannot use --pdf or --out with --all", "Each issue's proof is written to out/<issue>-proof/.");
  const issues = options.all ? listIssues(process.cwd()) : [issue];
  if (options.all && !issues.length) throw new DigestError("There are no issues under issues/");
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once("SIGINT", onSignal);
  try {
    for (const name of issues) {
      const report = await proofIssue({
        issue: name,
        pdf: options.pdf,
        outDir: options.out,
        dpi: options.dpi,
        pages: options.pages,
        build: options.build,
        browser: options.browser,
        signal: controller.signal,
        log: (line) => out.info(line),
      });
      for (const s of report.spreads) out.detail(`  ${here(s.file)}`);
      const dir = here(report.contactSheet).replace(/[^/]*$/, "");
      const spreads = `${report.spreads.length} spread${report.spreads.length === 1 ? "" : "s"}`;
      out.result(`Proofed ${here(report.pdf)} (${report.pageCount} pages): ${spreads} and a contact sheet in ${dir}`);
    }
  } finally {
    process.off("SIGINT", onSignal);
  }
}
