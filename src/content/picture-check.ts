// A picture is decoded, not only sniffed, before it is allowed on a page: a PNG cut
// after its first third, or a header with no pixels, prints partly or not at all in
// Chromium, without a word. Decoders: pngjs (PNG) and jpeg-js (JPEG), pure
// JavaScript and synchronous (the content stage is; sharp would need it to be async
// and brings a native libvips), both with limits of their own; omggif (GIF); for
// WebP, which no synchronous decoder reads, its RIFF container and frame header are
// checked whole. SVG is checked as well-formed XML (fast-xml-parser) and for text,
// which an SVG shown as a picture cannot set in the fonts.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import zlib from "node:zlib";
import { createRequire } from "node:module";
import { formatBytes, LIMITS } from "./limits.js";
import { PICTURE_CACHE_DIR } from "../paths.js";
import { pictureSize, pictureType, type PixelSize } from "./picture-type.js";

/**
 * The decoders, each loaded on the first picture of its kind (and kept out of digest's bundle,
 * bin/digest.js): an issue of PNGs never pays for parsing the JPEG, GIF and XML code at start.
 */
const load = createRequire(import.meta.url);
const decoders: { jpeg?: typeof import("jpeg-js"); omggif?: typeof import("omggif"); xml?: typeof import("fast-xml-parser") } = {};
const jpegJs = () => (decoders.jpeg ??= load("jpeg-js") as typeof import("jpeg-js"));
const gif = () => (decoders.omggif ??= load("omggif") as typeof import("omggif"));
const xml = () => (decoders.xml ??= load("fast-xml-parser") as typeof import("fast-xml-parser"));

/** What is wrong with a picture file, said in the house style. */
export interface PictureProblem {
  reason: string;
  ruleId: string;
  hint: string;
}

/** A picture checked: its size in pixels (none for SVG), or the reason it cannot print. */
export type PictureVerdict = { size?: PixelSize; problem?: undefined } | { problem: PictureProblem; size?: undefined };

const REEXPORT = "Export or download the picture again, and check that it opens whole in an image viewer";

/** Checked pictures by path, kept while the file's size and time are unchanged (the preview checks again on every save). */
const verdicts = new Map<string, { key: string; verdict: PictureVerdict }>();
/** Bumped whenever the checks change, so that no verdict of older checks is taken from the cache. */
const CHECKS_VERSION = 1;

/** A verdict kept on disk by the picture's content: decoding a 12-megapixel JPEG takes a second or two, once. */
function cached(bytes: Buffer, decide: () => PictureVerdict): PictureVerdict {
  const key = createHash("sha256").update(`${CHECKS_VERSION}\0`).update(bytes).digest("hex");
  const file = join(PICTURE_CACHE_DIR, `${key}.json`);
  try {
    return JSON.parse(readFileSync(file, "utf8")) as PictureVerdict;
  } catch {
    // not checked before, or the cache cannot be read: decide now
  }
  const verdict = decide();
  try {
    mkdirSync(PICTURE_CACHE_DIR, { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(verdict));
    renameSync(temporary, file);
  } catch {
    // a cache that cannot be written only costs time
  }
  return verdict;
}

/**
 * Checks a picture file fully: its format, its size in bytes and pixels within
 * digest's limits, and every pixel decoded (PNG, JPEG, GIF) or its structure
 * whole (WebP, SVG). `name` is the picture as the file names it.
 */
export function inspectPicture(path: string, name: string): PictureVerdict {
  const stats = statSync(path);
  const key = `${stats.size}:${stats.mtimeMs}`;
  const hit = verdicts.get(path);
  if (hit?.key === key) return withName(hit.verdict, name);
  const verdict = inspect(path, stats.size);
  verdicts.set(path, { key, verdict });
  return withName(verdict, name);
}

/** The verdict's reason with the picture's name as this file writes it (the cache holds `{name}`). */
function withName(verdict: PictureVerdict, name: string): PictureVerdict {
  if (!verdict.problem) return verdict;
  return { problem: { ...verdict.problem, reason: verdict.problem.reason.replace("{name}", `\`${name}\``) } };
}

const problem = (reason: string, ruleId: string, hint: string): PictureVerdict => ({ problem: { reason, ruleId, hint } });
const damaged = (what: string): PictureVerdict => problem(`Cannot print {name}: it is damaged or cut short (${what})`, "damaged-picture", REEXPORT);

function inspect(path: string, bytesOnDisk: number): PictureVerdict {
  if (bytesOnDisk > LIMITS.pictureBytes) {
    return problem(`Cannot print {name}: it is ${formatBytes(bytesOnDisk)}, more than the ${formatBytes(LIMITS.pictureBytes)} digest reads in one picture (the file-size limit)`, "file-too-large", "Save it smaller: a JPEG at 300 ppi for its printed size is enough");
  }
  let type: string | undefined;
  let size: PixelSize | undefined;
  try {
    type = pictureType(path);
    size = type && type !== "image/svg+xml" ? pictureSize(path) : undefined;
  } catch {
    return problem("Cannot read the picture {name}", "unreadable-picture", "Check the file's permissions");
  }
  if (!type) return problem("Cannot print {name}: it is not a PNG, JPEG, GIF, WebP or SVG picture", "unreadable-picture", "Save it in one of those formats");
  if (type !== "image/svg+xml") {
    if (!size) return damaged("its header gives no size");
    if (!size.width || !size.height) return damaged(`its header gives a size of ${size.width} × ${size.height} pixels`);
    const pixels = size.width * size.height;
    if (pixels > LIMITS.picturePixels) {
      return problem(
        `Cannot print {name}: it has ${size.width} × ${size.height} pixels (${Math.round(pixels / 1e6)} million), more than the ${LIMITS.picturePixels / 1e6} million digest decodes (the pixel-count limit)`,
        "picture-too-large",
        "Scale it down: 300 pixels an inch of its printed size is all a printer uses",
      );
    }
  }
  const bytes = readFileSync(path);
  return cached(bytes, () => decode(bytes, type, size));
}

/** Decodes a picture's bytes whole, or says what is damaged. */
function decode(bytes: Buffer, type: string, size: PixelSize | undefined): PictureVerdict {
  try {
    switch (type) {
      case "image/png": {
        const fault = pngFault(bytes);
        if (fault) return damaged(fault);
        break;
      }
      case "image/jpeg":
        jpegJs().decode(bytes, { maxResolutionInMP: LIMITS.picturePixels / 1e6, maxMemoryUsageInMB: 2048, formatAsRGBA: false, useTArray: true });
        break;
      case "image/gif": {
        const reader = new (gif().GifReader)(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length));
        if (!reader.numFrames()) return damaged("it has no picture in it");
        reader.decodeAndBlitFrameRGBA(0, new Uint8Array(reader.width * reader.height * 4));
        break;
      }
      case "image/webp": {
        const fault = webpFault(bytes);
        if (fault) return damaged(fault);
        break;
      }
      case "image/svg+xml":
        return inspectSvg(bytes);
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/unsupported|not supported/i.test(message)) {
      return problem(`Cannot print {name}: digest cannot decode this kind of ${type.slice(6).toUpperCase()} (${message.replace(/\.$/, "")})`, "damaged-picture", "Save it again as a plain (baseline or progressive) JPEG, or as a PNG");
    }
    return damaged("its pixels cannot be decoded");
  }
  return { size };
}

/** Channels a pixel has by PNG colour type: grey, RGB, palette, grey and alpha, RGBA. */
const PNG_CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** CRC-32 as PNG (and zlib) compute it: Node's own when it has one (20.15 and later). */
const crc32: (data: Buffer) => number =
  typeof (zlib as { crc32?: unknown }).crc32 === "function"
    ? (data) => (zlib as unknown as { crc32(d: Buffer): number }).crc32(data)
    : (() => {
        const table = Array.from({ length: 256 }, (_, n) => {
          let c = n;
          for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
          return c >>> 0;
        });
        return (data: Buffer) => {
          let c = 0xffffffff;
          for (const byte of data) c = table[(c ^ byte) & 0xff]! ^ (c >>> 8);
          return (c ^ 0xffffffff) >>> 0;
        };
      })();

/**
 * What is damaged or missing in a PNG, if anything, found by decoding all of it:
 * every chunk whole and matching its checksum, the image data present, inflated
 * (by zlib) to the length its size calls for, and every row's filter one PNG has.
 * Unfiltering the rows, the rest of a decoder's work, cannot fail after that
 * (pngjs, which does it in JavaScript, took 300 ms for a 4-megapixel picture; this
 * takes a twentieth of that). pngjs alone takes a file that ends after its header
 * for a picture of nothing but black.
 */
function pngFault(bytes: Buffer): string | undefined {
  const parts: Buffer[] = [];
  let header: { width: number; height: number; depth: number; type: number; interlace: number } | undefined;
  let ended = false;
  for (let at = 8; at < bytes.length && !ended; ) {
    if (at + 12 > bytes.length) return "it ends inside a chunk";
    const length = bytes.readUInt32BE(at);
    const tag = bytes.toString("latin1", at + 4, at + 8);
    if (at + 12 + length > bytes.length) return `it ends inside its ${tag} chunk`;
    const data = bytes.subarray(at + 8, at + 8 + length);
    if (crc32(bytes.subarray(at + 4, at + 8 + length)) !== bytes.readUInt32BE(at + 8 + length)) return `its ${tag} chunk fails its checksum`;
    if (tag === "IHDR" && length >= 13) header = { width: data.readUInt32BE(0), height: data.readUInt32BE(4), depth: data[8]!, type: data[9]!, interlace: data[12]! };
    else if (tag === "IDAT") parts.push(data);
    else if (tag === "IEND") ended = true;
    at += 12 + length;
  }
  if (!header) return "it has no header chunk";
  if (!parts.length) return "it has no image data";
  if (!ended) return "its end chunk is missing";
  const channels = PNG_CHANNELS[header.type];
  if (!channels || ![1, 2, 4, 8, 16].includes(header.depth)) return `its colour type ${header.type} at ${header.depth} bits is not one PNG has`;
  const rowBytes = (width: number) => 1 + Math.ceil((width * channels * header.depth) / 8);
  /** The rows of the image data: [width, count] of each pass (Adam7 has seven, each a smaller picture of its own). */
  const passes: [number, number][] = header.interlace
    ? ([[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]] as const).map(([x0, y0, dx, dy]) => [Math.ceil((header.width - x0) / dx), Math.ceil((header.height - y0) / dy)] as [number, number]).filter(([w, h]) => w > 0 && h > 0)
    : [[header.width, header.height]];
  const expected = passes.reduce((sum, [w, h]) => sum + h * rowBytes(w), 0);
  let raw: Buffer;
  try {
    raw = zlib.inflateSync(Buffer.concat(parts), { maxOutputLength: expected + 1 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") return undefined; // more data than needed: a decoder reads what it needs
    return "its image data is cut short or damaged";
  }
  if (raw.length < expected) return `its image data holds ${Math.floor((100 * raw.length) / expected)} % of its pixels`;
  let at = 0;
  for (const [w, h] of passes) {
    for (let row = 0; row < h; row++, at += rowBytes(w)) if (raw[at]! > 4) return `row ${row + 1} of its image data is damaged`;
  }
  return undefined;
}

/** What is missing from a WebP file's RIFF container or the header of its frame, if anything. */
function webpFault(bytes: Buffer): string | undefined {
  if (bytes.length < 20) return "it ends in its header";
  const declared = bytes.readUInt32LE(4) + 8;
  if (declared > bytes.length) return `it holds ${bytes.length} of the ${declared} bytes its header announces`;
  let frame = false;
  for (let at = 12; at + 8 <= declared; ) {
    const tag = bytes.toString("latin1", at, at + 4);
    const length = bytes.readUInt32LE(at + 4);
    const data = at + 8;
    if (data + length > declared) return `its ${tag.trim()} chunk runs past the end of the file`;
    if (tag === "VP8 ") {
      if (length < 10 || bytes[data + 3] !== 0x9d || bytes[data + 4] !== 0x01 || bytes[data + 5] !== 0x2a) return "its VP8 frame header is wrong";
      frame = true;
    } else if (tag === "VP8L") {
      if (length < 5 || bytes[data] !== 0x2f) return "its VP8L frame header is wrong";
      frame = true;
    } else if (tag === "ANMF") frame = true;
    at = data + length + (length & 1);
  }
  return frame ? undefined : "it has no picture in it";
}

/** An SVG as Chromium shows it as a picture: well-formed XML, drawn without the page's fonts. */
function inspectSvg(bytes: Buffer): PictureVerdict {
  const text = bytes.toString("utf8");
  const valid = xml().XMLValidator.validate(text);
  if (valid !== true) {
    return problem(`Cannot print {name}: it is not well-formed SVG (line ${valid.err.line}: ${valid.err.msg.replace(/\.$/, "")})`, "damaged-picture", "Export it again from the drawing program; Chromium draws nothing of an SVG with an error in it");
  }
  // Comments and CDATA may mention <text> without drawing any.
  const markup = text.replace(/<!--[\s\S]*?-->/g, "").replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, "");
  const tag = /<(?:[\w.-]+:)?(text|foreignObject)\b/.exec(markup);
  if (tag) {
    const line = text.slice(0, text.indexOf(tag[0])).split("\n").length;
    return problem(
      `Cannot print {name}: it sets text (\`<${tag[1]}>\` on its line ${line}), and an SVG shown as a picture cannot use the issue's fonts, so Chromium would take a font of this machine`,
      "svg-text",
      "Convert its text to outlines in the drawing program (Inkscape: Path › Object to Path; Illustrator: Type › Create Outlines), or export it as a PNG at 300 ppi",
    );
  }
  return {};
}
