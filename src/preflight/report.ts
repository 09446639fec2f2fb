// What a preflight finds, and how it is printed: kept apart from the checks
// themselves so that printing a report does not load a PDF library.
import type { LayoutReport } from "./layout-summary.js";
import { formatChecks, plural, type CheckStatus, type PreflightCheck } from "./check.js";

export { formatChecks, type CheckStatus, type PreflightCheck } from "./check.js";

export interface PreflightOptions {
  bleedMm?: number; // expected bleed; default 3
  binding?: "saddle-stitch" | "perfect"; // default "saddle-stitch"
  /** true when the PDF must be PDF/X (the --pdfx edition): then any RGB is a fail and PDF/X identification + output intent are required. */
  pdfx?: boolean;
  /** true for a screen edition: no bleed is expected (BleedBox = TrimBox = MediaBox), binding, ink and lines are not checked, and low-resolution pictures are only noted. */
  screen?: boolean;
  /** true to add the layout report (`--layout`): text outside the safe area, blank and near-empty pages, loose lines. */
  layout?: boolean;
  /** The highest total area coverage the printer accepts, in percent; default 300 (coated stock). */
  tacPercent?: number;
}
/** The layout report as a section of the preflight: its rows, and the faults they count. */
export interface LayoutSection extends LayoutReport { checks: PreflightCheck[] }
export interface PreflightReport {
  file: string;
  pages: number;
  checks: PreflightCheck[];
  /** With the `layout` option. */
  layout?: LayoutSection;
  ok: boolean /* no fail, layout included */;
}

/** The report as a plain-text table for the terminal, one row per check (then the layout's, with --layout), then a one-line summary. */
export function formatPreflight(report: PreflightReport): string {
  const layout = report.layout?.checks ?? [];
  const aligned = formatChecks([...report.checks, ...layout]);
  const rows = layout.length ? [...aligned.slice(0, report.checks.length), "", "Layout", ...aligned.slice(report.checks.length)] : aligned;
  const count = (s: CheckStatus) => [...report.checks, ...layout].filter((c) => c.status === s).length;
  const [fails, warns, notes] = [count("fail"), count("warn"), count("note")];
  const remarks = [warns ? plural(warns, "warning") : "", notes ? plural(notes, "note") : ""].filter(Boolean).join(" and ");
  // "ready for print" would be wrong for a screen edition, so the verdict is the preflight's.
  const verdict = fails ? `preflight failed: ${plural(fails, "check")} failed` : `preflight passed${remarks ? ` with ${remarks}` : ""}`;
  return [...rows, "", `${report.file}, ${plural(report.pages, "page")}: ${verdict}`].join("\n");
}
