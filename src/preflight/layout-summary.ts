// What the layout report finds, and how it is printed: kept apart from the
// report itself so that printing it (digest build, preflight) loads no PDF library.
import type { CheckStatus, PreflightCheck } from "./check.js";

/** The limits the report judges by. */
export const LAYOUT_LIMITS = {
  /** Text must stay this far inside the trim (the safe area), in mm. */
  safeMarginMm: 3,
  /** A page of running text filled less than this fraction of its text area height is near-empty. */
  nearEmptyFill: 0.25,
  /** A justified line is loose when a word gap is wider than this many line heights. */
  looseGap: 0.75,
  /** At most this percentage of justified body lines may be loose. */
  maxLoosePercent: 1,
} as const;

/** A fault found in the pages. Kinds from the PDF: `outside-safe-area`, `blank-page`, `near-empty-page`, `loose-line`; any other kind comes from the build (`widow`, `orphan`, `stranded-headline`, `clipped`, …). */
export interface LayoutFault {
  kind: string;
  /** 1-based page number. */
  page: number;
  /** The words concerned (the first few), when there are any. */
  text?: string;
  /** What was measured, e.g. `gap 11.2 pt, line 13 pt` or `filled 18 %`. */
  detail?: string;
  /** For faults from the build: the source `file:line:column`, when known. */
  source?: string;
}

/** A flaw the layout reported (the shape of `BuildReport.flaws`), any kind. */
export interface ReportedFlaw {
  page: number;
  kind: string;
  text?: string;
  source?: string;
  detail?: string;
}

/** What the layout report found in one PDF. */
export interface LayoutReport {
  file: string;
  pages: number;
  /** Pages of running text (those with a folio): the pages judged for fill and loose lines. */
  textPages: number[];
  /** Justified lines of body text (flush at both sides, three words or more) that were measured. */
  justifiedLines: number;
  looseLines: number;
  /** Loose lines as a percentage of the justified body lines (0 when there are none). */
  loosePercent: number;
  faults: LayoutFault[];
  /** How many faults of each kind. */
  counts: Record<string, number>;
  /** Whether the layout's own findings (widows, orphans, stranded headlines, clipped text) are in: a PDF alone cannot tell them. */
  fromBuild: boolean;
}

const firstWords = (text: string, n = 8) => text.split(/\s+/).slice(0, n).join(" ");
const plural = (n: number, word: string, words = `${word}s`) => `${n} ${n === 1 ? word : words}`;
const pagesOf = (faults: LayoutFault[]) => [...new Set(faults.map((f) => f.page))].sort((a, b) => a - b);

/** The report as rows of the preflight table: one a kind of fault, failing only for text that would be cut off. */
export function layoutChecks(report: LayoutReport): PreflightCheck[] {
  const of = (...kinds: string[]) => report.faults.filter((f) => kinds.includes(f.kind));
  const row = (id: string, title: string, faults: LayoutFault[], status: CheckStatus, detail: string): PreflightCheck => ({
    id, title, status: faults.length ? status : "pass", detail, pages: faults.length ? pagesOf(faults) : undefined,
  });
  const quote = (f?: LayoutFault) => (f?.text ? `: “${firstWords(f.text, 6)}”` : "");
  const outside = of("outside-safe-area", "clipped");
  const blank = of("blank-page");
  const near = of("near-empty-page");
  const loose = of("loose-line");
  const rows = [
    row("layout-safe-area", "Text inside the safe area", outside, "fail",
      outside.length ? `${plural(outside.length, "piece")} of text outside it${quote(outside[0])}` : `all text ${LAYOUT_LIMITS.safeMarginMm} mm or more inside the trim`),
    row("layout-blank-pages", "No blank pages", blank, "warn", blank.length ? plural(blank.length, "blank page") : "none"),
    row("layout-near-empty-pages", "No near-empty pages", near, "warn",
      near.length ? `${plural(near.length, "page")} of text filled less than a quarter` : "none (a section's last page may be short)"),
  ];
  if (report.fromBuild) {
    const stranded = of("stranded-headline");
    const widows = of("widow");
    const orphans = of("orphan");
    rows.push(
      row("layout-stranded-headlines", "No stranded headlines", stranded, "warn", stranded.length ? `${plural(stranded.length, "headline")} at a page foot${quote(stranded[0])}` : "none"),
      row("layout-widows-orphans", "No widows or orphans", [...widows, ...orphans], "warn",
        widows.length + orphans.length ? `${plural(widows.length, "widow")}, ${plural(orphans.length, "orphan")}` : "none"),
    );
    const known = new Set(["outside-safe-area", "clipped", "blank-page", "near-empty-page", "loose-line", "stranded-headline", "widow", "orphan"]);
    for (const kind of [...new Set(report.faults.map((f) => f.kind))].filter((k) => !known.has(k))) {
      const faults = of(kind);
      rows.push(row(`layout-${kind}`, `No ${kind.replace(/-/g, " ")}`, faults, "warn", `${faults.length}${quote(faults[0])}`));
    }
  }
  const percent = report.loosePercent.toFixed(1);
  rows.push({
    id: "layout-loose-lines",
    title: `Loose lines ≤ ${LAYOUT_LIMITS.maxLoosePercent} %`,
    status: report.loosePercent > LAYOUT_LIMITS.maxLoosePercent ? "warn" : "pass",
    detail: report.justifiedLines ? `${percent} %: ${loose.length} of ${report.justifiedLines} justified lines with a gap over ${LAYOUT_LIMITS.looseGap} × the line height` : "no justified text",
    pages: loose.length ? pagesOf(loose) : undefined,
  });
  return rows;
}

/** The report in one line, for `digest build`: whether anything is clipped, the faults found (only those), and the loose lines. */
export function summariseLayout(report: LayoutReport): string {
  const n = (kind: string) => report.counts[kind] ?? 0;
  const clipped = n("outside-safe-area") + n("clipped");
  const named: Record<string, [string, string]> = {
    "blank-page": ["blank page", "blank pages"],
    "near-empty-page": ["near-empty page", "near-empty pages"],
    "stranded-headline": ["stranded headline", "stranded headlines"],
    widow: ["widow", "widows"],
    orphan: ["orphan", "orphans"],
  };
  // The named kinds in the order above, then any other kind the layout reported.
  const rank = (kind: string) => (kind in named ? Object.keys(named).indexOf(kind) : Infinity);
  const others = Object.keys(report.counts)
    .filter((k) => !["outside-safe-area", "clipped", "loose-line"].includes(k))
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const parts = [
    clipped ? `${clipped} clipped` : "nothing clipped",
    ...others.map((k) => (named[k] ? plural(n(k), ...named[k]) : `${n(k)} ${k.replace(/-/g, " ")}`)),
    `loose lines ${report.loosePercent.toFixed(1)} % (${report.looseLines} of ${report.justifiedLines} justified)`,
  ];
  return `Layout: ${parts.join(", ")}`;
}
