import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { DigestError } from "../errors.js";
import { decodeEntities, parseBboxLayout } from "./text-layer.js";

const exec = promisify(execFile);

/** A rectangle on a page, in points, from the top-left corner of the page as shown (its CropBox). */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A page's size as shown and its printer's boxes, in points from the top-left of its CropBox. */
export interface PageBoxes {
  width: number;
  height: number;
  trim: Rect;
  bleed: Rect;
}

/** One line of text on a page, with its box. */
export interface TextLine {
  text: string;
  box: Rect;
}

/** The text of a PDF, page by page, as poppler reads it. */
export interface PdfText {
  title?: string;
  pages: TextLine[][];
}

const shown = (path: string) => relative(process.cwd(), path) || path;

/** Fails early, in the user's words, when the file is not there or not a PDF. */
export function assertPdf(path: string): void {
  if (!existsSync(path)) throw new DigestError(`No such file: ${shown(path)}`);
  if (statSync(path).isDirectory()) throw new DigestError(`${shown(path)} is a folder, not a PDF`);
  const head = readFileSync(path).subarray(0, 1024);
  if (!head.includes("%PDF-")) throw new DigestError(`${shown(path)} is not a PDF`);
}

/**
 * Runs a poppler tool (`pdfinfo`, `pdftotext`, `pdffonts`, `pdfimages`, `pdftoppm`) on a PDF: the
 * one runner of preflight, the layout report and review. A missing tool or an unreadable file
 * becomes a one-line error for the user; `purpose` says what needs the tool.
 */
export async function runPoppler(tool: string, args: string[], pdf: string, purpose: string): Promise<string> {
  try {
    return (await exec(tool, args, { encoding: "utf8", maxBuffer: 512 * 1024 * 1024 })).stdout;
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === "ENOENT") throw new DigestError(`Cannot find \`${tool}\`: ${purpose} needs poppler-utils`, "Install it: sudo apt-get install poppler-utils");
    const said = (e.stderr ?? "").trim().split("\n").find((l) => /error/i.test(l)) ?? (e.stderr ?? "").trim().split("\n")[0] ?? e.message;
    throw new DigestError(`Cannot read ${shown(pdf)}: ${said || e.message}`);
  }
}

const REVIEW = "comparing and proofing pages";
const poppler = (tool: string, args: string[], pdf: string) => runPoppler(tool, args, pdf, REVIEW);

const box = (x1: number, y1: number, x2: number, y2: number, crop: number[]): Rect => ({
  // PDF boxes count up from the bottom-left; pages are read from the top-left of the CropBox.
  x: Math.min(x1, x2) - crop[0]!,
  y: crop[3]! - Math.max(y1, y2),
  width: Math.abs(x2 - x1),
  height: Math.abs(y2 - y1),
});

/** The boxes of every page (`pdfinfo -box`). */
export async function pageBoxes(pdf: string): Promise<PageBoxes[]> {
  assertPdf(pdf);
  const out = await poppler("pdfinfo", ["-box", "-f", "1", "-l", "1000000", pdf], pdf);
  const pages = new Map<number, Record<string, number[]>>();
  for (const m of out.matchAll(/^Page\s+(\d+)\s+(\w+Box):\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*$/gm)) {
    const page = Number(m[1]);
    if (!pages.has(page)) pages.set(page, {});
    pages.get(page)![m[2]!] = [Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])];
  }
  return [...pages.keys()].sort((a, b) => a - b).map((n) => {
    const b = pages.get(n)!;
    const crop = b.CropBox ?? b.MediaBox!;
    const [x1, y1, x2, y2] = crop;
    const of = (name: string) => {
      const v = b[name] ?? crop;
      return box(v[0]!, v[1]!, v[2]!, v[3]!, crop);
    };
    return { width: x2! - x1!, height: y2! - y1!, trim: of("TrimBox"), bleed: of("BleedBox") };
  });
}

/** The lines of text of every page, with their boxes (`pdftotext -bbox-layout`, read by the layout report's parser). */
export async function pdfText(pdf: string): Promise<PdfText> {
  assertPdf(pdf);
  const xhtml = await poppler("pdftotext", ["-bbox-layout", "-enc", "UTF-8", pdf, "-"], pdf);
  const title = /<title>([\s\S]*?)<\/title>/.exec(xhtml)?.[1];
  const pages = parseBboxLayout(xhtml).map((lines) =>
    lines.map((line) => ({ text: line.words.map((w) => w.text).join(" "), box: { x: line.left, y: line.top, width: line.right - line.left, height: line.bottom - line.top } })),
  );
  return { title: title ? decodeEntities(title).trim() || undefined : undefined, pages };
}

/**
 * Renders pages `first`–`last` as PPM files in `dir` (`pdftoppm -cropbox`), at any
 * resolution, fractions included; returns their paths, by page number.
 */
export async function renderPages(pdf: string, dir: string, dpi: number, first: number, last: number, prefix = "p"): Promise<Map<number, string>> {
  await poppler("pdftoppm", ["-r", String(dpi), "-cropbox", "-f", String(first), "-l", String(last), pdf, join(dir, prefix)], pdf);
  const files = new Map<number, string>();
  for (const name of readdirSync(dir)) {
    const m = new RegExp(`^${prefix}-(\\d+)\\.ppm$`).exec(name);
    if (m && Number(m[1]) >= first && Number(m[1]) <= last) files.set(Number(m[1]), join(dir, name));
  }
  return files;
}
