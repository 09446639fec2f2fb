import type { DateSpan, PageSetup } from "./model.js";

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** `2024-07` → `July`. */
export function monthName(key: string): string {
  return MONTHS[Number(key.slice(5, 7)) - 1] ?? key;
}

/** The three month folders a quarterly issue may have: `2024-q3` → 2024-07 … 2024-09; undefined for other names. */
export function quarterMonths(id: string): string[] | undefined {
  const m = /^(\d{4})-q([1-4])$/i.exec(id);
  if (!m) return undefined;
  const first = (Number(m[2]) - 1) * 3 + 1;
  return [0, 1, 2].map((i) => `${m[1]}-${String(first + i).padStart(2, "0")}`);
}

/** `2024-q3` → `July–September 2024`. */
export function quarterPeriod(id: string): string | undefined {
  const months = quarterMonths(id);
  if (!months) return undefined;
  return `${monthName(months[0]!)}–${monthName(months[2]!)} ${months[0]!.slice(0, 4)}`;
}

/** A dateline's date as printed: `4 July 2024`, `15–18 July 2024`, `30 July – 2 August 2024`. */
export function formatSpan(span: DateSpan): string {
  const [y1, m1, d1] = span.start.split("-").map(Number) as [number, number, number];
  if (!span.end) return `${d1} ${MONTHS[m1 - 1]} ${y1}`;
  const [y2, m2, d2] = span.end.split("-").map(Number) as [number, number, number];
  if (y1 === y2 && m1 === m2) return `${d1}–${d2} ${MONTHS[m1 - 1]} ${y1}`;
  if (y1 === y2) return `${d1} ${MONTHS[m1 - 1]} – ${d2} ${MONTHS[m2 - 1]} ${y1}`;
  return `${d1} ${MONTHS[m1 - 1]} ${y1} – ${d2} ${MONTHS[m2 - 1]} ${y2}`;
}

const SIZES: Record<string, [number, number]> = {
  a3: [297, 420],
  a4: [210, 297],
  a5: [148, 210],
  b5: [176, 250],
  letter: [215.9, 279.4],
  legal: [215.9, 355.6],
};

/** Reads `page.size` (a name or two lengths) into millimetres; undefined when it is not understood. */
export function parsePageSize(size: string, bleed: string, binding: PageSetup["binding"]): PageSetup | undefined {
  const named = SIZES[size.trim().toLowerCase()];
  let dims = named;
  if (!dims) {
    const m = /^\s*(\d+(?:\.\d+)?)(mm|cm|in)\s+(\d+(?:\.\d+)?)(mm|cm|in)\s*$/.exec(size);
    if (!m) return undefined;
    const mm = (v: string, u: string) => Number(v) * (u === "cm" ? 10 : u === "in" ? 25.4 : 1);
    dims = [mm(m[1]!, m[2]!), mm(m[3]!, m[4]!)];
  }
  return { size: `${dims[0]}mm ${dims[1]}mm`, widthMm: dims[0], heightMm: dims[1], bleedMm: Number.parseFloat(bleed), binding };
}
