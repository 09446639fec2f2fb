import { execFileSync } from "node:child_process";

/** Reads a PDF back with the printers' tools (poppler-utils). */
function run(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
}

/** Text of one page (1-based), whitespace folded, soft hyphens removed. */
export function pageText(pdf: string, page: number): string {
  return normalise(run("pdftotext", ["-f", String(page), "-l", String(page), "-enc", "UTF-8", pdf, "-"]));
}

/** Text of one page with its typographic quotes as printed (whitespace folded, soft hyphens removed). */
export function printedText(pdf: string, page: number): string {
  return run("pdftotext", ["-f", String(page), "-l", String(page), "-enc", "UTF-8", pdf, "-"]).replace(/\u00AD/g, "").replace(/\s+/g, " ").trim();
}

/** Text of one page as laid out (columns side by side), line by line, soft hyphens kept. */
export function pageLines(pdf: string, page: number): string[] {
  return run("pdftotext", ["-layout", "-f", String(page), "-l", String(page), "-enc", "UTF-8", pdf, "-"]).split("\n");
}

export function normalise(text: string): string {
  return text
    .replace(/\u00AD/g, "")
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201C\u201D]/g, '"')
    .replace(/\s+/g, " ")
    .trim();
}

/** `pdfinfo` fields. */
export function info(pdf: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of run("pdfinfo", [pdf]).split("\n")) {
    const m = /^([^:]+):\s*(.*)$/.exec(line);
    if (m) out[m[1]!.trim()] = m[2]!.trim();
  }
  return out;
}

export interface FontRow {
  name: string;
  type: string;
  embedded: boolean;
}

/** `pdffonts` rows. */
export function fonts(pdf: string): FontRow[] {
  const lines = run("pdffonts", [pdf]).split("\n").slice(2).filter(Boolean);
  return lines.map((line) => {
    // name, then type (may contain spaces), encoding, then emb sub uni (yes/no) and object id
    const cols = line.trim().split(/\s+/);
    const n = cols.length;
    return { name: cols[0]!, type: line.slice(37, 55).trim(), embedded: cols[n - 5] === "yes" };
  });
}

/** `pdfimages -list` rows: page and effective resolution. */
export function images(pdf: string): { page: number; width: number; height: number; xppi: number; yppi: number }[] {
  return run("pdfimages", ["-list", pdf])
    .split("\n")
    .slice(2)
    .filter(Boolean)
    .map((line) => {
      const c = line.trim().split(/\s+/);
      return { page: Number(c[0]), width: Number(c[3]), height: Number(c[4]), xppi: Number(c[12]), yppi: Number(c[13]) };
    });
}

/**
 * The entries of a contents page as printed: each title (over one or more lines)
 * with the page number at the end of its last line. The list runs from the heading
 * to the masthead (`publishedBy`, matched with spaces removed).
 */
export function contentsEntries(pdf: string, page: number, marks: { heading: RegExp; publishedBy: RegExp } = { heading: /In this issue/, publishedBy: /publishedby/i }): { title: string; page: number }[] {
  const entries: { title: string; page: number }[] = [];
  let pending = "";
  const lines = pageLines(pdf, page);
  const start = lines.findIndex((l) => marks.heading.test(l)) + 1;
  const end = lines.findIndex((l) => marks.publishedBy.test(l.replace(/\s/g, "")));
  for (const line of lines.slice(start, end < 0 ? undefined : end)) {
    const m = /^(.*?)\s+(\d+)\s*$/.exec(line);
    if (m && m[1]!.trim()) {
      entries.push({ title: normalise(`${pending} ${m[1]}`), page: Number(m[2]) });
      pending = "";
    } else {
      pending = line.trim() ? `${pending} ${line}` : "";
    }
  }
  return entries;
}
