import { readFileSync, writeFileSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { PNG } from "pngjs";

/** A picture in memory: RGBA, 4 bytes a pixel, rows top to bottom. */
export interface Raster {
  width: number;
  height: number;
  data: Uint8Array;
}

/** A rectangle in pixels. */
export interface PixelRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export type Colour = readonly [number, number, number];

/** Reads a binary PPM (P6, what `pdftoppm` writes) into RGBA. */
export function readPpm(path: string): Raster {
  const bytes = readFileSync(path);
  // Header: P6, width, height, maxval, each separated by whitespace (comments are never written by pdftoppm).
  let pos = 0;
  const token = () => {
    while (/\s/.test(String.fromCharCode(bytes[pos]!))) pos++;
    const start = pos;
    while (!/\s/.test(String.fromCharCode(bytes[pos]!))) pos++;
    return bytes.subarray(start, pos).toString("latin1");
  };
  const magic = token();
  const width = Number(token());
  const height = Number(token());
  const max = Number(token());
  pos++;
  if (magic !== "P6" || max !== 255 || !width || !height) throw new Error(`Cannot read ${path}: not an 8-bit PPM`);
  const data = new Uint8Array(width * height * 4);
  for (let i = 0, j = pos; i < data.length; i += 4, j += 3) {
    data[i] = bytes[j]!;
    data[i + 1] = bytes[j + 1]!;
    data[i + 2] = bytes[j + 2]!;
    data[i + 3] = 255;
  }
  return { width, height, data };
}

/** A picture of one colour. */
export function filled(width: number, height: number, colour: Colour): Raster {
  const data = new Uint8Array(width * height * 4);
  const pixel = new Uint8Array([colour[0], colour[1], colour[2], 255]);
  new Uint32Array(data.buffer).fill(new Uint32Array(pixel.buffer)[0]!);
  return { width, height, data };
}

/** Part of a picture; what lies outside it is white. */
export function crop(src: Raster, rect: PixelRect): Raster {
  const out = filled(rect.width, rect.height, [255, 255, 255]);
  paste(out, src, -rect.x, -rect.y);
  return out;
}

/** Copies `src` into `dst` with its top-left corner at (x, y), clipped to `dst`. */
export function paste(dst: Raster, src: Raster, x: number, y: number): void {
  const x0 = Math.max(0, x);
  const x1 = Math.min(dst.width, x + src.width);
  if (x1 <= x0) return;
  for (let row = Math.max(0, y); row < Math.min(dst.height, y + src.height); row++) {
    const from = ((row - y) * src.width + (x0 - x)) * 4;
    dst.data.set(src.data.subarray(from, from + (x1 - x0) * 4), (row * dst.width + x0) * 4);
  }
}

/** Paints a rectangle, clipped to the picture. */
export function fillRect(r: Raster, rect: PixelRect, colour: Colour, opacity = 1): void {
  const x0 = Math.max(0, Math.floor(rect.x));
  const y0 = Math.max(0, Math.floor(rect.y));
  const x1 = Math.min(r.width, Math.ceil(rect.x + rect.width));
  const y1 = Math.min(r.height, Math.ceil(rect.y + rect.height));
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = (y * r.width + x) * 4;
      for (let c = 0; c < 3; c++) r.data[i + c] = Math.round(r.data[i + c]! * (1 - opacity) + colour[c]! * opacity);
    }
  }
}

/** Draws a rectangle's outline, `thickness` pixels wide, just outside `rect`. */
export function strokeRect(r: Raster, rect: PixelRect, colour: Colour, thickness = 2): void {
  const { x, y, width, height } = rect;
  const t = thickness;
  fillRect(r, { x: x - t, y: y - t, width: width + 2 * t, height: t }, colour);
  fillRect(r, { x: x - t, y: y + height, width: width + 2 * t, height: t }, colour);
  fillRect(r, { x: x - t, y, width: t, height }, colour);
  fillRect(r, { x: x + width, y, width: t, height }, colour);
}

/** A picture shrunk to `width` pixels wide, each pixel the average of those it covers (for fingerprints). */
export function shrink(src: Raster, width: number, height = Math.max(1, Math.round((src.height * width) / src.width))): Raster {
  const out = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    const sy0 = Math.floor((y * src.height) / height);
    const sy1 = Math.max(sy0 + 1, Math.floor(((y + 1) * src.height) / height));
    for (let x = 0; x < width; x++) {
      const sx0 = Math.floor((x * src.width) / width);
      const sx1 = Math.max(sx0 + 1, Math.floor(((x + 1) * src.width) / width));
      const sum = [0, 0, 0];
      for (let sy = sy0; sy < sy1; sy++) {
        for (let sx = sx0; sx < sx1; sx++) {
          const i = (sy * src.width + sx) * 4;
          sum[0]! += src.data[i]!;
          sum[1]! += src.data[i + 1]!;
          sum[2]! += src.data[i + 2]!;
        }
      }
      const n = (sy1 - sy0) * (sx1 - sx0);
      const o = (y * width + x) * 4;
      out[o] = Math.round(sum[0]! / n);
      out[o + 1] = Math.round(sum[1]! / n);
      out[o + 2] = Math.round(sum[2]! / n);
      out[o + 3] = 255;
    }
  }
  return { width, height, data: out };
}

/** Writes a PNG whole or not at all (a temporary file, then a rename). */
export function writePng(path: string, r: Raster): void {
  mkdirSync(dirname(path), { recursive: true });
  // RGB in, RGB out: pngjs then packs nothing itself; one filter for every row (Paeth) rather than trying five.
  const rgb = Buffer.alloc(r.width * r.height * 3);
  for (let i = 0, j = 0; j < rgb.length; i += 4, j += 3) {
    rgb[j] = r.data[i]!;
    rgb[j + 1] = r.data[i + 1]!;
    rgb[j + 2] = r.data[i + 2]!;
  }
  const png = new PNG({ width: r.width, height: r.height, colorType: 2, inputColorType: 2, inputHasAlpha: false });
  png.data = rgb;
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, PNG.sync.write(png, { colorType: 2, inputColorType: 2, inputHasAlpha: false, filterType: 4, deflateLevel: 6 }));
    renameSync(tmp, path);
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** Reads a PNG (for tests and for pictures compared by the caller). */
export function readPng(path: string): Raster {
  const png = PNG.sync.read(readFileSync(path));
  return { width: png.width, height: png.height, data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
}

// A 5 × 7 pixel font for the labels on proofs and diff pictures: page numbers and a few words,
// so that the pictures say what they show without a font library.
const GLYPHS: Record<string, string> = {
  "0": "01110 10001 10011 10101 11001 10001 01110",
  "1": "00100 01100 00100 00100 00100 00100 01110",
  "2": "01110 10001 00001 00010 00100 01000 11111",
  "3": "11111 00010 00100 00010 00001 10001 01110",
  "4": "00010 00110 01010 10010 11111 00010 00010",
  "5": "11111 10000 11110 00001 00001 10001 01110",
  "6": "00110 01000 10000 11110 10001 10001 01110",
  "7": "11111 00001 00010 00100 01000 01000 01000",
  "8": "01110 10001 10001 01110 10001 10001 01110",
  "9": "01110 10001 10001 01111 00001 00010 01100",
  A: "01110 10001 10001 11111 10001 10001 10001",
  B: "11110 10001 10001 11110 10001 10001 11110",
  C: "01110 10001 10000 10000 10000 10001 01110",
  D: "11100 10010 10001 10001 10001 10010 11100",
  E: "11111 10000 10000 11110 10000 10000 11111",
  F: "11111 10000 10000 11110 10000 10000 10000",
  G: "01110 10001 10000 10111 10001 10001 01111",
  H: "10001 10001 10001 11111 10001 10001 10001",
  I: "01110 00100 00100 00100 00100 00100 01110",
  J: "00111 00010 00010 00010 00010 10010 01100",
  K: "10001 10010 10100 11000 10100 10010 10001",
  L: "10000 10000 10000 10000 10000 10000 11111",
  M: "10001 11011 10101 10101 10001 10001 10001",
  N: "10001 10001 11001 10101 10011 10001 10001",
  O: "01110 10001 10001 10001 10001 10001 01110",
  P: "11110 10001 10001 11110 10000 10000 10000",
  Q: "01110 10001 10001 10001 10101 10010 01101",
  R: "11110 10001 10001 11110 10100 10010 10001",
  S: "01111 10000 10000 01110 00001 00001 11110",
  T: "11111 00100 00100 00100 00100 00100 00100",
  U: "10001 10001 10001 10001 10001 10001 01110",
  V: "10001 10001 10001 10001 10001 01010 00100",
  W: "10001 10001 10001 10101 10101 10101 01010",
  X: "10001 10001 01010 00100 01010 10001 10001",
  Y: "10001 10001 10001 01010 00100 00100 00100",
  Z: "11111 00001 00010 00100 01000 10000 11111",
  "-": "00000 00000 00000 11111 00000 00000 00000",
  "+": "00000 00100 00100 11111 00100 00100 00000",
  ":": "00000 01100 01100 00000 01100 01100 00000",
  " ": "00000 00000 00000 00000 00000 00000 00000",
};

/** The width in pixels of a label drawn at `scale`. */
export function labelWidth(text: string, scale: number): number {
  return text.length ? (text.length * 6 - 1) * scale : 0;
}

/** Draws a label (digits, capitals, `-`, `+`, `:`) with its top-left corner at (x, y). */
export function drawLabel(r: Raster, text: string, x: number, y: number, scale: number, colour: Colour): void {
  let left = x;
  for (const ch of text.toUpperCase().replace(/[–—]/g, "-")) {
    const rows = (GLYPHS[ch] ?? GLYPHS[" "]!).split(" ");
    rows.forEach((row, ry) => {
      for (let rx = 0; rx < 5; rx++) if (row[rx] === "1") fillRect(r, { x: left + rx * scale, y: y + ry * scale, width: scale, height: scale }, colour);
    });
    left += 6 * scale;
  }
}
