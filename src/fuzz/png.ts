// A tiny PNG encoder for the fuzzer's pictures: no dependency, and the same
// bytes for the same picture (zlib's deflate is deterministic for one input and level).
import { deflateSync } from "node:zlib";

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "latin1");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A rectangle painted over a picture's background, in pixels. */
export interface Shape {
  x: number;
  y: number;
  width: number;
  height: number;
  rgb: [number, number, number];
}

/**
 * An RGB PNG of a simple scene: a vertical gradient from `top` to `bottom`
 * colour with flat rectangles over it. Cheap to make and to compress at any size.
 */
export function encodeScene(width: number, height: number, top: [number, number, number], bottom: [number, number, number], shapes: Shape[] = []): Buffer {
  const stride = width * 3 + 1;
  const raw = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const t = height > 1 ? y / (height - 1) : 0;
    const row = y * stride;
    raw[row] = 0; // filter: none
    const r = Math.round(top[0] + (bottom[0] - top[0]) * t);
    const g = Math.round(top[1] + (bottom[1] - top[1]) * t);
    const b = Math.round(top[2] + (bottom[2] - top[2]) * t);
    for (let x = 0; x < width; x++) {
      const i = row + 1 + x * 3;
      raw[i] = r;
      raw[i + 1] = g;
      raw[i + 2] = b;
    }
    for (const s of shapes) {
      if (y < s.y || y >= s.y + s.height) continue;
      for (let x = Math.max(0, s.x); x < Math.min(width, s.x + s.width); x++) {
        const i = row + 1 + x * 3;
        raw[i] = s.rgb[0];
        raw[i + 1] = s.rgb[1];
        raw[i + 2] = s.rgb[2];
      }
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: RGB
  header[10] = 0;
  header[11] = 0;
  header[12] = 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw, { level: 6 })),
    chunk("IEND", new Uint8Array()),
  ]);
}
