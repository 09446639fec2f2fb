import { formatPreflight, preflight } from "../index.js";
import type { Output } from "./output.js";

export interface PreflightCommandOptions {
  json?: boolean;
  bleed: number;
  binding: "saddle-stitch" | "perfect";
  screen?: boolean;
  pdfx?: boolean;
}

/** `digest preflight <pdf>`: the printer's checks as a table, or JSON for CI; exit code 1 on a failed check. */
export async function preflightCommand(pdf: string, options: PreflightCommandOptions, out: Output): Promise<void> {
  const report = await preflight(pdf, {
    bleedMm: options.bleed,
    binding: options.binding,
    screen: options.screen ?? /\.screen\.pdf$/i.test(pdf),
    pdfx: options.pdfx,
  });
  out.result(options.json ? JSON.stringify(report, null, 2) : formatPreflight(report));
  if (!report.ok) process.exitCode = 1;
}
