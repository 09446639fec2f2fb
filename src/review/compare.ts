import pixelmatch from "pixelmatch";
import type { PixelRect, Raster } from "./raster.js";

/** What comparing two renders of a page found. */
export interface PixelComparison {
  /** Pixels that differ visibly. */
  pixels: number;
  /** The areas where they are, in the new page's pixels, close differences merged. */
  areas: PixelRect[];
}

export interface CompareOptions {
  /** The part of the page compared (the bleed box), in pixels. */
  frame: PixelRect;
  /** How many pixels the old page's content sits left of the new's (mirrored margins). */
  shift?: number;
  /** Areas left out of the comparison (running heads, folios), in the new page's pixels. */
  ignore?: PixelRect[];
  /** pixelmatch's colour threshold, 0–1: how different two pixels must be to count. */
  threshold?: number;
  /** Differences closer than this many pixels are one area. */
  merge?: number;
  /**
   * Count anti-aliased pixels as differences. Right for pages drawn at the same place; a page
   * that moved sideways has its rules and boxes snapped to other pixels than its text, and
   * their anti-aliased edges differ by a shade.
   */
  includeAA?: boolean;
  /**
   * For a page that moved sideways, whose PDF coordinates were rounded differently: a pixel
   * that differs is forgiven when it is an edge or a glyph drawn a fraction of a pixel off,
   * not something drawn differently. That is when its shade lies between those of its left
   * and right neighbours on the other page (and the other's between its own), or when the
   * stretch of its row between two white gaps holds the same ink on both pages (a glyph
   * placed a quarter of a pixel off keeps its ink, only spread otherwise).
   */
  forgiveSubpixel?: boolean;
}

/**
 * Compares the old and the new render of a page, pixel by pixel, within the frame,
 * the old one moved right by `shift` pixels first.
 */
export function comparePages(old: Raster, next: Raster, options: CompareOptions): PixelComparison {
  const { frame, shift = 0, ignore = [], threshold = 0 } = options;
  const w = frame.width;
  const h = frame.height;
  const a = new Uint8Array(w * h * 4).fill(255);
  const b = new Uint8Array(w * h * 4).fill(255);
  const skip = new Uint8Array(w * h);
  /** Copies columns [from, from + count) of a row of `src` to columns [to, …) of row `y` of `dst`. */
  const copy = (src: Raster, py: number, from: number, dst: Uint8Array, y: number, to: number, count: number) => {
    if (count <= 0 || py < 0 || py >= src.height) return;
    dst.set(src.data.subarray((py * src.width + from) * 4, (py * src.width + from + count) * 4), (y * w + to) * 4);
  };
  for (let y = 0; y < h; y++) {
    const py = frame.y + y;
    const x0 = Math.max(0, -frame.x);
    copy(next, py, frame.x + x0, b, y, x0, Math.min(w, next.width - frame.x) - x0);
    // Where the moved old page does not cover the frame there is nothing to compare.
    const first = Math.max(0, shift, shift - frame.x);
    const end = Math.min(w, w + shift, old.width - frame.x + shift);
    if (py >= old.height) skip.fill(1, y * w, (y + 1) * w);
    else {
      skip.fill(1, y * w, y * w + Math.min(w, first));
      if (end < w) skip.fill(1, y * w + Math.max(0, end), (y + 1) * w);
      copy(old, py, frame.x + first - shift, a, y, first, end - first);
    }
  }
  for (const r of ignore) {
    for (let y = Math.max(0, Math.floor(r.y - frame.y)); y < Math.min(h, Math.ceil(r.y + r.height - frame.y)); y++) {
      for (let x = Math.max(0, Math.floor(r.x - frame.x)); x < Math.min(w, Math.ceil(r.x + r.width - frame.x)); x++) skip[y * w + x] = 1;
    }
  }
  const out = new Uint8Array(w * h * 4);
  let pixels = pixelmatch(a, b, out, w, h, { threshold, includeAA: options.includeAA ?? true, diffMask: true, ignoreMask: skip });
  if (pixels && options.forgiveSubpixel) pixels -= forgiveSubpixel(a, b, out, w);
  return { pixels, areas: pixels ? areasOf(out, w, h, options.merge ?? 12).map((r) => ({ ...r, x: r.x + frame.x, y: r.y + frame.y })) : [] };
}

/** Unmarks differences that are drawing a fraction of a pixel off (see `forgiveSubpixel`); returns how many. */
function forgiveSubpixel(a: Uint8Array, b: Uint8Array, out: Uint8Array, w: number): number {
  const between = (p: Uint8Array, q: Uint8Array, i: number, x: number) => {
    for (let c = 0; c < 3; c++) {
      const v = p[i * 4 + c]!;
      let lo = q[i * 4 + c]!;
      let hi = lo;
      if (x > 0) [lo, hi] = [Math.min(lo, q[(i - 1) * 4 + c]!), Math.max(hi, q[(i - 1) * 4 + c]!)];
      if (x < w - 1) [lo, hi] = [Math.min(lo, q[(i + 1) * 4 + c]!), Math.max(hi, q[(i + 1) * 4 + c]!)];
      if (v < lo - 8 || v > hi + 8) return false;
    }
    return true;
  };
  // The ink of the stretch of the row around a pixel between two white gaps (white on both pages).
  const white = (p: Uint8Array, i: number) => p[i * 4]! >= 250 && p[i * 4 + 1]! >= 250 && p[i * 4 + 2]! >= 250;
  const runs = new Map<number, boolean>();
  const sameInk = (i: number, x: number) => {
    let l = i;
    while (l > i - x && i - l < 400 && !(white(a, l - 1) && white(b, l - 1))) l--;
    const known = runs.get(l);
    if (known !== undefined) return known;
    let r = i;
    while (r < i - x + w - 1 && r - l < 400 && !(white(a, r + 1) && white(b, r + 1))) r++;
    let same = r - l < 400;
    for (let c = 0; c < 3 && same; c++) {
      let inkA = 0;
      let inkB = 0;
      for (let k = l; k <= r; k++) {
        inkA += 255 - a[k * 4 + c]!;
        inkB += 255 - b[k * 4 + c]!;
      }
      same = Math.abs(inkA - inkB) <= 32 + 0.02 * Math.max(inkA, inkB);
    }
    runs.set(l, same);
    return same;
  };
  let forgiven = 0;
  for (let i = 0; i < out.length / 4; i++) {
    if (!out[i * 4 + 3]) continue;
    const x = i % w;
    if ((between(a, b, i, x) && between(b, a, i, x)) || sameInk(i, x)) {
      out[i * 4 + 3] = 0;
      forgiven++;
    }
  }
  return forgiven;
}

/** The bounding boxes of the marked pixels (alpha > 0) of a diff mask, marks closer than `gap` pixels together. */
function areasOf(mask: Uint8Array, w: number, h: number, gap: number): PixelRect[] {
  const cell = Math.max(2, Math.round(gap / 2));
  const cols = Math.ceil(w / cell);
  const rows = Math.ceil(h / cell);
  const bounds = new Map<number, [number, number, number, number]>();
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (!mask[(y * w + x) * 4 + 3]) continue;
      const c = Math.floor(y / cell) * cols + Math.floor(x / cell);
      const b = bounds.get(c);
      if (b) {
        b[0] = Math.min(b[0], x);
        b[1] = Math.min(b[1], y);
        b[2] = Math.max(b[2], x);
        b[3] = Math.max(b[3], y);
      } else bounds.set(c, [x, y, x, y]);
    }
  }
  // Cells within two of each other (a gap of up to `gap` pixels) are one area.
  const parent = new Map<number, number>([...bounds.keys()].map((k) => [k, k]));
  const find = (k: number): number => {
    while (parent.get(k) !== k) k = parent.get(k)!;
    return k;
  };
  for (const k of bounds.keys()) {
    const cx = k % cols;
    const cy = Math.floor(k / cols);
    for (let dy = -2; dy <= 2; dy++) {
      for (let dx = -2; dx <= 2; dx++) {
        const nx = cx + dx;
        const ny = cy + dy;
        if (nx < 0 || ny < 0 || nx >= cols || ny >= rows) continue;
        const n = ny * cols + nx;
        if (bounds.has(n)) parent.set(find(n), find(k));
      }
    }
  }
  const areas = new Map<number, [number, number, number, number]>();
  for (const [k, b] of bounds) {
    const root = find(k);
    const a = areas.get(root);
    if (a) areas.set(root, [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])]);
    else areas.set(root, [...b]);
  }
  return [...areas.values()]
    .map(([x0, y0, x1, y1]) => ({ x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 }))
    .sort((p, q) => p.y - q.y || p.x - q.x);
}
