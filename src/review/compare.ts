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
   * For a page that moved sideways: where its text stands (the lines of both pages, in
   * the new page's pixels). A page that moved is drawn a fraction of a pixel otherwise:
   * its PDF coordinates were rounded anew, so a glyph may fall on the next quarter pixel
   * and a rule's end on the next pixel. Such differences are forgiven (see `forgive`).
   */
  text?: PixelRect[];
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
  let pixels = pixelmatch(a, b, out, w, h, { threshold, includeAA: true, diffMask: true, ignoreMask: skip });
  if (pixels && options.text) pixels -= forgive(a, b, out, w, h, options.text.map((r) => ({ ...r, x: r.x - frame.x, y: r.y - frame.y })));
  return { pixels, areas: pixels ? areasOf(out, w, h, options.merge ?? 12).map((r) => ({ ...r, x: r.x + frame.x, y: r.y + frame.y })) : [] };
}

/**
 * Unmarks the differences of a page that moved which are the same drawing a fraction
 * of a pixel off; returns how many pixels. Differences are taken as blobs (touching
 * pixels). A blob is forgiven when, on every row of it, the two pages hold the same ink
 * at the same place to within half a pixel: a glyph on the next quarter pixel keeps its
 * ink and its middle. Away from text (or in a speck of up to four pixels), a pixel is
 * also forgiven when its shade lies between those of its eight neighbours on the other
 * page, and the other's between its own: the end of a rule, a bullet, the edge of a
 * picture a pixel off (Chromium snaps those to whole pixels, not the text).
 */
function forgive(a: Uint8Array, b: Uint8Array, out: Uint8Array, w: number, h: number, text: PixelRect[]): number {
  const inText = new Uint8Array(w * h);
  for (const r of text) {
    for (let y = Math.max(0, Math.floor(r.y) - 1); y < Math.min(h, Math.ceil(r.y + r.height) + 1); y++) {
      inText.fill(1, y * w + Math.max(0, Math.floor(r.x) - 1), y * w + Math.min(w, Math.ceil(r.x + r.width) + 1));
    }
  }
  /** Whether pixel i of p lies between the shades of its neighbours on q: across the row, or (`around`) all eight around it. */
  const between = (p: Uint8Array, q: Uint8Array, i: number, around = false) => {
    const x = i % w;
    const y = (i - x) / w;
    for (let c = 0; c < 3; c++) {
      const v = p[i * 4 + c]!;
      let lo = 255;
      let hi = 0;
      for (let dy = around ? -1 : 0; dy <= (around ? 1 : 0); dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          if (x + dx < 0 || x + dx >= w || y + dy < 0 || y + dy >= h) continue;
          const n = q[(i + dy * w + dx) * 4 + c]!;
          lo = Math.min(lo, n);
          hi = Math.max(hi, n);
        }
      }
      if (v < lo - 8 || v > hi + 8) return false;
    }
    return true;
  };
  /** Whether, row by row across a box, both pages hold the same ink with the same middle. */
  const sameInk = (x0: number, y0: number, x1: number, y1: number) => {
    for (let y = y0; y <= y1; y++) {
      for (let c = 0; c < 3; c++) {
        let inkA = 0;
        let inkB = 0;
        let momentA = 0;
        let momentB = 0;
        for (let x = x0; x <= x1; x++) {
          const i = (y * w + x) * 4 + c;
          inkA += 255 - a[i]!;
          inkB += 255 - b[i]!;
          momentA += (255 - a[i]!) * x;
          momentB += (255 - b[i]!) * x;
        }
        if (Math.abs(inkA - inkB) > 12 + 0.01 * Math.max(inkA, inkB)) return false;
        if (inkA > 0 && inkB > 0 && Math.abs(momentA / inkA - momentB / inkB) > 0.5) return false;
      }
    }
    return true;
  };
  // The blobs: differing pixels that touch (or nearly, across a row), found by a flood from each.
  const seen = new Uint8Array(w * h);
  let forgiven = 0;
  for (let start = 0; start < w * h; start++) {
    if (!out[start * 4 + 3] || seen[start]) continue;
    const blob: number[] = [start];
    seen[start] = 1;
    let [x0, y0, x1, y1] = [w, h, 0, 0];
    for (let k = 0; k < blob.length; k++) {
      const i = blob[k]!;
      const x = i % w;
      const y = (i - x) / w;
      [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
      // Within three pixels across a row, one blob: the two sides of a glyph that moved are one.
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -3; dx <= 3; dx++) {
          const nx = x + dx;
          const ny = y + dy;
          const n = ny * w + nx;
          if (nx >= 0 && ny >= 0 && nx < w && ny < h && !seen[n] && out[n * 4 + 3]) {
            seen[n] = 1;
            blob.push(n);
          }
        }
      }
    }
    const whole = sameInk(Math.max(0, x0 - 2), y0, Math.min(w - 1, x1 + 2), y1);
    // A speck of a few pixels among text is an edge too (a rule beside the words), never a letter.
    const speck = blob.length <= 4;
    for (const i of blob) {
      if (!whole && ((inText[i] && !speck) || !(between(a, b, i, true) && between(b, a, i, true)))) continue;
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
