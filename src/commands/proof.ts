import { relative } from "node:path";
import { proofIssue, type PageRange } from "../index.js";
import type { Output } from "./output.js";

export interface ProofCommandOptions {
  pdf?: string;
  out?: string;
  dpi: number;
  pages?: PageRange;
  build?: boolean;
  browser?: string;
}

const here = (path: string) => relative(process.cwd(), path) || path;

/** `digest proof <issue>`: the issue as spreads, one PNG each, and a contact sheet of all of them. */
export async function proofCommand(issue: string | undefined, options: ProofCommandOptions, out: Output): Promise<void> {
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once("SIGINT", onSignal);
  try {
    const report = await proofIssue({
      issue,
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
    out.result(`Proofed ${here(report.pdf)} (${report.pageCount} pages): ${report.spreads.length} spread${report.spreads.length === 1 ? "" : "s"} and a contact sheet in ${dir}`);
    out.result(`Contact sheet: ${here(report.contactSheet)}`);
  } finally {
    process.off("SIGINT", onSignal);
  }
}
