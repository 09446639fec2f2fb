// What every preflight check is, and the small measures they share: a row of the
// report (a check's id, title, status, what was found, the pages concerned).
import { PDFName } from "pdf-lib";

/** A note passes: worth knowing, nothing to fix. */
export type CheckStatus = "pass" | "note" | "warn" | "fail";
export interface PreflightCheck {
  // fonts-embedded, page-boxes, trim-size, bleed, page-count, image-resolution, colour-spaces, pdfx,
  // ink-coverage, small-text, hairlines, annotations
  id: string;
  title: string;
  status: CheckStatus;
  detail: string; // one line: what was found
  pages?: number[]; // 1-based pages concerned, when any
}
export const PT_PER_MM = 72 / 25.4;
export const name = (n: string) => PDFName.of(n);
export const unique = (xs: Iterable<number>) => [...new Set(xs)].sort((a, b) => a - b);
export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
export const onAll = (pages: number) => (pages === 1 ? "on the one page" : `on all ${pages} pages`);
/** Millimetres to 0.1 mm, without a trailing ".0": printers read "210 × 297", not "210.0 × 297.0". */
export const mm = (pt: number) => String(Number((pt / PT_PER_MM).toFixed(1)));
export const check = (id: string, title: string, status: CheckStatus, detail: string, pages?: number[]): PreflightCheck =>
  pages?.length ? { id, title, status, detail, pages } : { id, title, status, detail };

/** Page numbers as a printer writes them: "p. 2, 5-7". */
export function pageList(pages: number[]): string {
  const ranges: [number, number][] = [];
  for (const p of pages) {
    const last = ranges.at(-1);
    if (last && p === last[1] + 1) last[1] = p;
    else ranges.push([p, p]);
  }
  return `p. ${ranges.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(", ")}`;
}

/** Checks as rows of a table, aligned together: status, title, what was found, pages. */
export function formatChecks(checks: PreflightCheck[]): string[] {
  const width = (key: "title" | "detail") => Math.max(0, ...checks.map((c) => c[key].length));
  const [titleWidth, detailWidth] = [width("title"), width("detail")];
  return checks.map((c) => {
    const row = `${c.status.toUpperCase()}  ${c.title.padEnd(titleWidth)}  ${c.detail}`;
    return c.pages?.length ? `${row.padEnd(6 + titleWidth + 2 + detailWidth)}  ${pageList(c.pages)}` : row;
  });
}
