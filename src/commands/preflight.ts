import { formatPreflight, preflight, type PreflightReport } from "../index.js";
import type { Output } from "./output.js";

export interface PreflightCommandOptions {
  json?: boolean;
  bleed: number;
  binding: "saddle-stitch" | "perfect";
  screen?: boolean;
  pdfx?: boolean;
  layout?: boolean;
  tac: number;
}

/** `digest preflight <pdf...>`: the printer's checks as a table, or JSON for CI; exit code 1 on a failed check. */
export async function preflightCommand(pdfs: string[], options: PreflightCommandOptions, out: Output): Promise<void> {
  const reports: PreflightReport[] = [];
  for (const pdf of pdfs) {
    reports.push(
      await preflight(pdf, {
        bleedMm: options.bleed,
        binding: options.binding,
        screen: options.screen ?? /\.screen\.pdf$/i.test(pdf),
        pdfx: options.pdfx,
        layout: options.layout,
        tacPercent: options.tac,
      }),
    );
  }
  if (options.json) out.result(JSON.stringify(reports.length === 1 ? reports[0] : reports, null, 2));
  else out.result(reports.map(formatPreflight).join("\n\n"));
  if (reports.some((r) => !r.ok)) process.exitCode = 1;
}
