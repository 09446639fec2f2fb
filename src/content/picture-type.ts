import { closeSync, openSync, readSync } from "node:fs";

/** The media type of a picture file by its first bytes, not its name; undefined when it is no picture digest can print. */
export function pictureType(path: string): string | undefined {
  const head = Buffer.alloc(64);
  const fd = openSync(path, "r");
  try {
    readSync(fd, head, 0, 64, 0);
  } finally {
    closeSync(fd);
  }
  if (head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return "image/png";
  if (head[0] === 0xff && head[1] === 0xd8) return "image/jpeg";
  if (head.subarray(0, 4).toString("latin1") === "GIF8") return "image/gif";
  if (head.subarray(0, 4).toString("latin1") === "RIFF" && head.subarray(8, 12).toString("latin1") === "WEBP") return "image/webp";
  if (/^\s*(<\?xml[^>]*>\s*)?<svg/i.test(head.toString("utf8"))) return "image/svg+xml";
  return undefined;
}

/** A picture's size in pixels. */
export interface PixelSize {
  width: number;
  height: number;
}

/**
 * The pixel size of a PNG, JPEG, GIF or WebP picture, read from its header;
 * undefined for SVG (it has no pixels) or a header digest cannot read.
 */
export function pictureSize(path: string): PixelSize | undefined {
  const fd = openSync(path, "r");
  try {
    const head = Buffer.alloc(64);
    readSync(fd, head, 0, 64, 0);
    const type = pictureType(path);
    if (type === "image/png") return { width: head.readUInt32BE(16), height: head.readUInt32BE(20) };
    if (type === "image/gif") return { width: head.readUInt16LE(6), height: head.readUInt16LE(8) };
    if (type === "image/webp") {
      const chunk = head.subarray(12, 16).toString("latin1");
      if (chunk === "VP8 ") return { width: head.readUInt16LE(26) & 0x3fff, height: head.readUInt16LE(28) & 0x3fff };
      if (chunk === "VP8L") {
        const bits = head.readUInt32LE(21);
        return { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
      }
      if (chunk === "VP8X") return { width: head.readUIntLE(24, 3) + 1, height: head.readUIntLE(27, 3) + 1 };
      return undefined;
    }
    if (type === "image/jpeg") return jpegSize(fd);
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** A JPEG's size from its start-of-frame segment, found by walking the segments from the start of the file. */
function jpegSize(fd: number): PixelSize | undefined {
  const marker = Buffer.alloc(9);
  let at = 2;
  for (let n = 0; n < 1000; n++) {
    if (readSync(fd, marker, 0, 9, at) < 9 || marker[0] !== 0xff) return undefined;
    const kind = marker[1]!;
    if (kind === 0xff) {
      at += 1; // fill byte
      continue;
    }
    // Start of frame: every SOFn but DHT (C4), JPG (C8) and DAC (CC).
    if (kind >= 0xc0 && kind <= 0xcf && kind !== 0xc4 && kind !== 0xc8 && kind !== 0xcc) {
      return { height: marker.readUInt16BE(5), width: marker.readUInt16BE(7) };
    }
    at += 2 + marker.readUInt16BE(2);
  }
  return undefined;
}

/** How a picture is set by its shape: a panorama spans the columns, a portrait stands in one, anything else fills its column. */
export type PictureShape = "panorama" | "landscape" | "portrait";

/** The shape of a picture of this size (landscape when the size is unknown, as for SVG). */
export function pictureShape(size: PixelSize | undefined): PictureShape {
  if (!size || !size.height) return "landscape";
  const ratio = size.width / size.height;
  return ratio >= 1.9 ? "panorama" : ratio < 0.9 ? "portrait" : "landscape";
}
