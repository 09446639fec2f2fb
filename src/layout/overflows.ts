// Content that does not fit on a page would be cut off: each such block is an
// error at its source line, and the build stops before anything is printed.
import type { Problems } from "../content/problems.js";
import type { Pagination } from "./paginate.js";

/** What to do about content that does not fit, by how it does not fit. */
const FIT_HINTS: Record<string, string> = {
  "wider than its column": "Make it narrower: a table with fewer columns or shorter cells, or split it in two",
  "taller than the page": "Split it into smaller blocks (a long table into several), or use a smaller picture",
  "outside the safe area of the page": "Shorten the text; if it is running text, report it as a bug in digest's layout",
  "a list number outside the safe area of the page": "Number the list from a smaller number, or, if the number is not a list's, write its full stop with a backslash (`123456789\\.`)",
  "display type too large for the page": "Shorten it (a shorter title, name or ad copy), or choose a larger page size in issue.yml",
};

/** Content that Paged.js could not fit, and text that would be cut off, become content errors at their source line, one a block. */
export function reportOverflows(flaws: Pagination["flaws"], problems: Problems, issueId: string): void {
  // A block too large for its column, or display type too large for its page, is also
  // outside the safe area: one error a source, the most telling one (they come first).
  const rank = (f: Pagination["flaws"][number]) => (f.kind === "overflow" ? 0 : f.detail === "outside the safe area of the page" ? 2 : 1);
  const fatal = flaws.filter((f) => f.kind === "overflow" || f.kind === "clipped").sort((a, b) => rank(a) - rank(b));
  const reported = new Set<string>();
  for (const flaw of fatal) {
    const key = flaw.source ?? flaw.text;
    if (reported.has(key)) continue;
    reported.add(key);
    const m = /^(.*):(\d+):(\d+)$/.exec(flaw.source ?? "");
    const where = flaw.page ? ` on page ${flaw.page}` : " at this page size";
    const what = flaw.kind === "clipped" ? `“${flaw.text}”` : "this block";
    problems.error(
      m ? m[1]! : (flaw.source ?? issueId),
      m ? { line: Number(m[2]), column: Number(m[3]) } : undefined,
      `Cannot fit ${what}${where}: it is ${flaw.detail ?? "too large"} and would be cut off`,
      flaw.kind === "clipped" ? "text-clipped" : "content-too-large",
      FIT_HINTS[flaw.detail ?? ""] ?? FIT_HINTS["taller than the page"]!,
    );
  }
}

/** The flaws that do not stop the build (widows, orphans, stranded headlines): reported as warnings. */
export function warnedFlaws(flaws: Pagination["flaws"]): Pagination["flaws"] {
  return flaws.filter((f) => f.kind !== "overflow" && f.kind !== "clipped");
}
