import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { alignPages, type PagePair } from "./align.js";
import { comparePages, type PixelComparison } from "./compare.js";
import { contentOffset, readContents, type PageContent } from "./page-content.js";
import { pageBoxes, pdfText, renderPages, type PageBoxes, type Rect } from "../preflight/poppler.js";
import { crop, drawLabel, filled, labelWidth, paste, readPpm, shrink, strokeRect, writePng, type PixelRect, type Raster } from "./raster.js";

const PT_PER_MM = 72 / 25.4;

/** What happened to a page between two editions. */
export type PageStatus = "same" | "changed" | "added" | "removed" | "shifted";

/** One page of the comparison: its numbers in the old and the new PDF, and what changed. */
export interface PageDiff {
  status: PageStatus;
  /** The page's number in the old PDF (missing for an added page). */
  old?: number;
  /** The page's number in the new PDF (missing for a removed page). */
  new?: number;
  /** How many pages it moved (new − old), when it did. */
  offset?: number;
  /** How many pixels differ, at the resolution compared. */
  pixels?: number;
  /** The changed areas, in millimetres from the top-left corner of the trim (the new page's; the old one's for a removed page). */
  areas?: { x: number; y: number; width: number; height: number }[];
  /** The side-by-side picture written for it with --png. */
  picture?: string;
}

/** A run of pages that moved by the same number of pages. */
export interface ShiftedRun {
  first: number;
  last: number;
  offset: number;
}

/** The comparison of two PDFs, page by page. */
export interface DiffReport {
  /** The old edition: its name as given (a path, or the git ref it was built at) and its page count (0 when there was none). */
  old: { label: string; pages: number };
  new: { label: string; pages: number };
  dpi: number;
  /** Every page, in the new PDF's order (removed pages where they were). */
  pages: PageDiff[];
  /** Pages of the new PDF whose content changed. */
  changed: number[];
  /** Pages of the new PDF that the old did not have. */
  added: number[];
  /** Pages of the old PDF that the new does not have (old numbers). */
  removed: number[];
  /** Pages of the new PDF that are unchanged but now stand at another number. */
  shifted: ShiftedRun[];
  /** Nothing changed, moved, came or went. */
  identical: boolean;
  /** The list for the printer, e.g. `changed: 5, 17–18; added: 19–20; shifted: 21–44 (+2)`. */
  summary: string;
}

export interface DiffOptions {
  /** The resolution pages are compared at; 72–150 is plenty. Default 72. */
  dpi?: number;
  /** How different two pixels' colours must be to count, 0–1 (pixelmatch's threshold). Default 0: any difference; a page is plates and ink. */
  threshold?: number;
  /** Where to write a side-by-side picture of each changed, added and removed page. */
  pngDir?: string;
}

/** One edition, read: its boxes, text and renders. */
interface Edition {
  pdf: string;
  boxes: PageBoxes[];
  contents: PageContent[];
  renders: Map<number, string>;
}

/** Pages as a printer lists them: `5, 17–18, 21`. */
export function pageRanges(pages: number[]): string {
  const sorted = [...new Set(pages)].sort((a, b) => a - b);
  const runs: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    runs.push(j > i ? `${sorted[i]}–${sorted[j]}` : `${sorted[i]}`);
    i = j + 1;
  }
  return runs.join(", ");
}

/** The printer's list: what changed, came, moved and went, by page number. */
export function printerList(r: Pick<DiffReport, "changed" | "added" | "removed" | "shifted">): string {
  const parts: string[] = [];
  if (r.changed.length) parts.push(`changed: ${pageRanges(r.changed)}`);
  if (r.added.length) parts.push(`added: ${pageRanges(r.added)}`);
  if (r.shifted.length) {
    parts.push(`shifted: ${r.shifted.map((s) => `${s.first === s.last ? s.first : `${s.first}–${s.last}`} (${s.offset > 0 ? "+" : "−"}${Math.abs(s.offset)})`).join(", ")}`);
  }
  if (r.removed.length) parts.push(`removed: old ${pageRanges(r.removed)}`);
  return parts.length ? parts.join("; ") : "no changes";
}

const sameSize = (a: PageBoxes, b: PageBoxes) =>
  Math.abs(a.bleed.width - b.bleed.width) < 0.5 && Math.abs(a.bleed.height - b.bleed.height) < 0.5 && Math.abs(a.bleed.x - b.bleed.x) < 0.5 && Math.abs(a.bleed.y - b.bleed.y) < 0.5;

const toPixels = (r: Rect, scale: number): PixelRect => {
  const x = Math.floor(r.x * scale);
  const y = Math.floor(r.y * scale);
  return { x, y, width: Math.ceil((r.x + r.width) * scale) - x, height: Math.ceil((r.y + r.height) * scale) - y };
};
const grow = (r: Rect, by: number): Rect => ({ x: r.x - by, y: r.y - by, width: r.width + 2 * by, height: r.height + 2 * by });

/** A small grey picture of a page's bleed box, for matching pages without text. */
function fingerprintPicture(render: Raster, bleed: PixelRect): Uint8Array {
  const small = shrink(crop(render, bleed), 16, 16);
  const grey = new Uint8Array(256);
  for (let i = 0; i < 256; i++) grey[i] = Math.round((small.data[i * 4]! + small.data[i * 4 + 1]! + small.data[i * 4 + 2]!) / 3);
  return grey;
}

/**
 * Compares two PDFs page by page, by their pixels, with the pages lined up by content
 * (see align.ts): which pages changed, came, went, or only moved. With `pngDir`, writes
 * a picture of each changed, added and removed page, old and new side by side.
 */
export async function diffPdfs(oldPdf: string | undefined, newPdf: string, options: DiffOptions = {}): Promise<DiffReport> {
  const dpi = options.dpi ?? 72;
  const scale = dpi / 72;
  const work = mkdtempSync(join(tmpdir(), "digest-diff-"));
  try {
    const read = async (pdf: string, prefix: string) => {
      const [boxes, text] = await Promise.all([pageBoxes(pdf), pdfText(pdf)]);
      const renders = boxes.length ? await renderPages(pdf, work, dpi, 1, boxes.length, prefix) : new Map<number, string>();
      return { pdf, boxes, text, renders };
    };
    const oldRead = oldPdf ? await read(resolve(oldPdf), "old") : undefined;
    const newRead = await read(resolve(newPdf), "new");
    const [oldContents, newContents] = oldRead ? readContents([oldRead, newRead]) : [[], readContents([newRead])[0]!];
    const old: Edition | undefined = oldRead && { ...oldRead, contents: oldContents! };
    const next: Edition = { ...newRead, contents: newContents! };

    const fingerprints = (e: Edition | undefined) =>
      (e?.boxes ?? []).map((b, i) => ({ words: e!.contents[i]!.words, thumb: fingerprintPicture(readPpm(e!.renders.get(i + 1)!), toPixels(b.bleed, scale)) }));
    const pairs = alignPages(fingerprints(old), fingerprints(next));

    // Pages that moved sideways (mirrored margins) are compared at a resolution where the move is a whole number of pixels.
    const offsets = new Map<PagePair, { dx: number; dy: number } | undefined>();
    for (const p of pairs) if (old && p.old && p.new && p.old !== p.new) offsets.set(p, contentOffset(old.contents[p.old - 1]!, next.contents[p.new - 1]!));
    const exact = new Map<number, { oldPages: number[]; newPages: number[] }>();
    const exactDpi = (dx: number) => {
      if (Math.abs(dx) < 0.01) return dpi;
      const fine = (72 * Math.ceil(Math.abs(dx) * scale)) / Math.abs(dx);
      return fine <= 4 * dpi ? Number(fine.toFixed(6)) : dpi;
    };
    for (const [p, o] of offsets) {
      if (!o || Math.abs(o.dy) >= 0.01) continue;
      const d = exactDpi(o.dx);
      if (d === dpi) continue;
      const group = exact.get(d) ?? { oldPages: [], newPages: [] };
      group.oldPages.push(p.old!);
      group.newPages.push(p.new!);
      exact.set(d, group);
    }
    const fineRenders = new Map<number, { old: Map<number, string>; new: Map<number, string> }>();
    let k = 0;
    for (const [d, g] of exact) {
      const sub = join(work, `fine-${k++}`);
      mkdirSync(sub);
      fineRenders.set(d, {
        old: await renderPages(old!.pdf, sub, d, Math.min(...g.oldPages), Math.max(...g.oldPages), "old"),
        new: await renderPages(next.pdf, sub, d, Math.min(...g.newPages), Math.max(...g.newPages), "new"),
      });
    }

    const pages: PageDiff[] = [];
    /** How far, in points, each compared page's content moved sideways. */
    const sideways = new Map<PageDiff, number>();
    for (const p of pairs) {
      if (!p.old) {
        pages.push({ status: "added", new: p.new });
        continue;
      }
      if (!p.new) {
        pages.push({ status: "removed", old: p.old });
        continue;
      }
      const ob = old!.boxes[p.old - 1]!;
      const nb = next.boxes[p.new - 1]!;
      const moved = p.old !== p.new;
      const entry: PageDiff = { status: "same", old: p.old, new: p.new, ...(moved ? { offset: p.new - p.old } : {}) };
      let result: PixelComparison;
      let at = dpi;
      if (!sameSize(ob, nb)) {
        result = { pixels: Math.round(nb.bleed.width * nb.bleed.height * scale * scale), areas: [toPixels(nb.bleed, scale)] };
      } else {
        const o = offsets.get(p);
        const dx = o && Math.abs(o.dy) < 0.01 ? o.dx : 0;
        at = exactDpi(dx);
        const s = at / 72;
        const fine = fineRenders.get(at);
        const a = readPpm(fine ? fine.old.get(p.old)! : old!.renders.get(p.old)!);
        const b = readPpm(fine ? fine.new.get(p.new)! : next.renders.get(p.new)!);
        // A page that moved has another folio and perhaps another running head: those are left out.
        const ignore = moved
          ? [...old!.contents[p.old - 1]!.furniture.map((r) => ({ ...r, x: r.x + dx })), ...next.contents[p.new - 1]!.furniture].map((r) => toPixels(grow(r, 1.5), s))
          : [];
        result = comparePages(a, b, {
          frame: toPixels(nb.bleed, s), shift: Math.round(dx * s), ignore, threshold: options.threshold, merge: Math.round(4 * PT_PER_MM * s),
          ...(moved ? { text: [...old!.contents[p.old - 1]!.lines.map((l) => ({ ...l.box, x: l.box.x + dx })), ...next.contents[p.new - 1]!.lines.map((l) => l.box)].map((r) => toPixels(r, s)) } : {}),
        });
        sideways.set(entry, dx);
      }
      const s = at / 72;
      if (result.pixels > 0 || (!p.sameContent && moved)) {
        entry.status = "changed";
        entry.pixels = result.pixels;
        entry.areas = result.areas.map((r) => ({
          x: round1((r.x / s - nb.trim.x) / PT_PER_MM),
          y: round1((r.y / s - nb.trim.y) / PT_PER_MM),
          width: round1(r.width / s / PT_PER_MM),
          height: round1(r.height / s / PT_PER_MM),
        }));
      } else if (moved) entry.status = "shifted";
      pages.push(entry);
    }

    if (options.pngDir) writePictures(pages, sideways, old, next, dpi, resolve(options.pngDir));

    const changed = pages.filter((p) => p.status === "changed").map((p) => p.new!);
    const added = pages.filter((p) => p.status === "added").map((p) => p.new!);
    const removed = pages.filter((p) => p.status === "removed").map((p) => p.old!);
    const shifted: ShiftedRun[] = [];
    for (const p of pages.filter((q) => q.status === "shifted")) {
      const last = shifted.at(-1);
      if (last && last.offset === p.offset && last.last === p.new! - 1) last.last = p.new!;
      else shifted.push({ first: p.new!, last: p.new!, offset: p.offset! });
    }
    const lists = { changed, added, removed, shifted };
    return {
      old: { label: oldPdf ?? "(none)", pages: old?.boxes.length ?? 0 },
      new: { label: newPdf, pages: next.boxes.length },
      dpi,
      pages,
      ...lists,
      identical: !changed.length && !added.length && !removed.length && !shifted.length,
      summary: printerList(lists),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const round1 = (n: number) => Math.round(n * 10) / 10;

const RED = [220, 0, 0] as const;
const INK = [40, 40, 40] as const;
const BACKDROP = [200, 200, 200] as const;

/** Side-by-side pictures of the changed, added and removed pages: old left, new right, changed areas boxed in red. */
function writePictures(pages: PageDiff[], sideways: Map<PageDiff, number>, old: Edition | undefined, next: Edition, dpi: number, dir: string): void {
  mkdirSync(dir, { recursive: true });
  const scale = dpi / 72;
  const digits = Math.max(2, String(Math.max(old?.boxes.length ?? 0, next.boxes.length)).length);
  const pad = (n: number) => String(n).padStart(digits, "0");
  const side = (e: Edition | undefined, page: number | undefined) => (e && page ? crop(readPpm(e.renders.get(page)!), toPixels(e.boxes[page - 1]!.bleed, scale)) : undefined);
  const gap = Math.max(16, Math.round(24 * scale));
  const label = Math.max(2, Math.round(3 * scale));
  const head = label * 7 + 2 * gap;
  for (const p of pages) {
    if (p.status !== "changed" && p.status !== "added" && p.status !== "removed") continue;
    const left = side(old, p.old);
    const right = side(next, p.new);
    const w = (left ?? right)!.width;
    const h = Math.max(left?.height ?? 0, right?.height ?? 0);
    const sheet = filled(2 * w + 3 * gap, h + head + gap, BACKDROP);
    const top = head;
    if (left) paste(sheet, left, gap, top);
    if (right) paste(sheet, right, 2 * gap + w, top);
    const oldLabel = p.old ? `old ${p.old}` : "added";
    const newLabel = p.new ? `new ${p.new}` : "removed";
    drawLabel(sheet, oldLabel, gap + (w - labelWidth(oldLabel, label)) / 2, gap, label, INK);
    drawLabel(sheet, newLabel, 2 * gap + w + (w - labelWidth(newLabel, label)) / 2, gap, label, INK);
    if (p.status === "changed") {
      const nb = next.boxes[p.new! - 1]!;
      const shiftPt = sideways.get(p) ?? 0;
      for (const a of p.areas ?? []) {
        const r = { x: a.x * PT_PER_MM + nb.trim.x, y: a.y * PT_PER_MM + nb.trim.y, width: a.width * PT_PER_MM, height: a.height * PT_PER_MM };
        const px = toPixels(r, scale);
        const bleed = toPixels(nb.bleed, scale);
        strokeRect(sheet, { ...px, x: px.x - bleed.x + 2 * gap + w, y: px.y - bleed.y + top }, RED, Math.max(2, Math.round(scale * 1.5)));
        const ob = toPixels(old!.boxes[p.old! - 1]!.bleed, scale);
        strokeRect(sheet, { ...px, x: px.x - Math.round(shiftPt * scale) - ob.x + gap, y: px.y - ob.y + top }, RED, Math.max(2, Math.round(scale * 1.5)));
      }
    }
    const name = p.status === "removed" ? `old-${pad(p.old!)}-removed.png` : `${pad(p.new!)}-${p.status}.png`;
    p.picture = join(dir, name);
    writePng(p.picture, sheet);
  }
}
