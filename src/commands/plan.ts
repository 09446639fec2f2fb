// What `digest build` says about the pages: copyfitting's changes, the binding's
// count (`Binding: 45 → 44 pages (August set tighter and a line longer a page)`),
// and, for `digest build --plan`, the flat plan of the issue, section by section.
import type { PageCountFit, PlanReport } from "../index.js";

/** Each copyfitting variant (src/layout/copyfit.ts, src/layout/page-count.ts) in an editor's words. */
export const COPYFIT_WORDS: Record<string, string> = {
  tight: "tighter",
  loose: "looser",
  long: "a line longer a page",
  short: "a line shorter a page",
  small: "with its pictures at 80 %",
  anchored: "with its pictures where they are written",
  sunk: "a quarter page lower on its first page",
};

/** A variant in words: `tight+long` is "tighter and a line longer a page". */
export function variantWords(variant: string): string {
  const words = variant.split("+").map((v) => COPYFIT_WORDS[v] ?? v);
  return words.length > 1 ? `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}` : words[0]!;
}

const fillerWords = (f: string) => (f === "house" ? "the house page" : f === "notes" ? "a notes page" : f);

/**
 * The binding's line: the page count copyfitting brought the issue from and to, with
 * the sections it set tighter or looser for it, and the filler pages printed.
 */
export function bindingLine(plan: PageCountFit, fillers: string[]): string | undefined {
  const parts = plan.changes.map((c) => `${c.section} set ${variantWords(c.variant)}`);
  if (fillers.length) parts.push(`${fillers.map(fillerWords).join(", ")} before the inside back cover`);
  if (!plan.changes.length) return fillers.length ? `Binding: ${fillers.length} page${fillers.length === 1 ? "" : "s"} filled before the inside back cover (${fillers.map(fillerWords).join(", ")}).` : undefined;
  return `Binding: ${plan.from} → ${plan.to + fillers.length} pages (${parts.join("; ")}).`;
}

const pct = (fill: number) => `${Math.round(fill * 100)} %`;

/** The flat plan: each section's first page, its pages, its last page's fill, its variant; against a budget its share and how far over or under. */
export function formatPlan(report: PlanReport): string {
  const { plan } = report;
  // Shares and how far over or under: only where a budget is not met (met, each section takes its pages).
  const budget = report.count !== undefined && !plan.met;
  const rule = report.binding === "saddle-stitch" ? "a multiple of 4 for saddle-stitch" : "an even count for perfect binding";
  const verdict = plan.met ? "met" : plan.to > report.count! ? `${(plan.reach ?? plan.to) - report.count!} pages over` : `${report.count! - (plan.reach ?? plan.to) - plan.fillers} pages short`;
  const head = `Plan of ${report.issue}: ${report.pageCount} pages, ${rule}${report.count !== undefined ? `; page.count ${report.count}: ${verdict}` : ""}`;
  const width = Math.max(7, ...plan.sections.map((s) => s.name.length));
  const rows = [`  ${"page".padStart(4)}  ${"section".padEnd(width)}  ${"pages".padStart(5)}  ${"last page".padStart(9)}  ${budget ? `${"share".padStart(5)}  ${"over".padStart(5)}  ` : ""}set`];
  for (const s of plan.sections) {
    const over = s.over === undefined ? "" : `${s.over > 0 ? "+" : ""}${s.over.toFixed(1)}`;
    const lines = s.over === undefined || Math.abs(s.over) < 0.05 ? "" : ` (about ${Math.round((Math.abs(s.over) * s.linesPerPage) / 10) * 10} lines)`;
    rows.push(`  ${String(s.firstPage).padStart(4)}  ${s.name.padEnd(width)}  ${String(s.pages).padStart(5)}  ${pct(s.lastFill).padStart(9)}  ${budget ? `${String(s.share ?? "").padStart(5)}  ${over.padStart(5)}  ` : ""}${s.variant ? variantWords(s.variant) : "as written"}${lines}`);
  }
  rows.push(`  Other pages: ${plan.otherPages} (the cover, the contents, month openers, ads, the covers at the back).`);
  const line = bindingLine(plan, report.fillers);
  if (line) rows.push(`  ${line}`);
  if (report.missing) rows.push(`  ${report.missing} blank page${report.missing === 1 ? "" : "s"} would be added for the binding.`);
  if (budget) rows.push(`  The count cannot be met: ${plan.to > report.count! ? "cut" : "add"} where the sections run ${plan.to > report.count! ? "over" : "under"}${plan.nearest ? `, or allow ${plan.nearest} pages` : ", or set page.fill: notes"}.`);
  return [head, ...rows].join("\n");
}
