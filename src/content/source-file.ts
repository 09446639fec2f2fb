import { readdirSync, readFileSync, realpathSync, statSync, type Stats } from "node:fs";
import { basename, isAbsolute, relative } from "node:path";
import type { Point } from "unist";
import type { Problems } from "./problems.js";
import { formatBytes, LIMITS } from "./limits.js";

/** A text file of the issue as read: its text, and whether bytes in it were not UTF-8 (shown as U+FFFD). */
export interface SourceText {
  text: string;
  /** The file had bytes that are not UTF-8: already reported; its U+FFFD are not glyph problems of their own. */
  notUtf8: boolean;
}

/** `stat` that follows links and says nothing when the path is missing or unreadable. */
export function statOrNone(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** Whether `path` lies inside `dir` (not `dir` itself). */
export function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel);
}

/**
 * Reads a Markdown or YAML file of the issue, or reports at the file why it cannot:
 * a folder or something else that is not a file, a link to a file outside the issue
 * folder, a file larger than digest reads, one it may not read. Bytes that are not
 * UTF-8 are reported at their line (with how to save the file as UTF-8) and read as
 * U+FFFD, so that the rest of the file is still checked.
 */
export function readSourceFile(path: string, file: string, issueDir: string, problems: Problems): SourceText | undefined {
  const name = basename(path);
  const stats = statOrNone(path);
  if (!stats) {
    problems.error(file, { line: 1, column: 1 }, `Cannot read \`${name}\`: it is a link to nothing, or it vanished while being read`, "unreadable-file", "Replace the link with the file itself");
    return undefined;
  }
  if (stats.isDirectory()) {
    problems.error(file, { line: 1, column: 1 }, `Expected \`${name}\` to be a file, not a folder`, "not-a-file", name.endsWith(".md") ? "Rename the folder (only article files end in `.md`), or start its name with `_` to leave it out" : "Remove the folder and write the file in its place");
    return undefined;
  }
  if (!stats.isFile()) {
    problems.error(file, { line: 1, column: 1 }, `Expected \`${name}\` to be a file, not a device, pipe or socket`, "not-a-file", "Replace it with a plain file");
    return undefined;
  }
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    real = path;
  }
  if (!isInside(realpathSync(issueDir), real)) {
    problems.error(file, { line: 1, column: 1 }, `Cannot use \`${name}\`: it links to a file outside the issue folder`, "file-outside-issue", "Copy the file into the issue folder instead of linking it");
    return undefined;
  }
  if (stats.size > LIMITS.textBytes) {
    problems.error(file, { line: 1, column: 1 }, `Cannot read \`${name}\`: it is ${formatBytes(stats.size)}, more than the ${formatBytes(LIMITS.textBytes)} digest reads in one file (the file-size limit)`, "file-too-large", "Split it into several files, or take out what is not text (pasted pictures, data)");
    return undefined;
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    problems.error(file, { line: 1, column: 1 }, `Cannot read \`${name}\`${code === "EACCES" || code === "EPERM" ? ": permission denied" : code ? ` (${code})` : ""}`, "unreadable-file", "Check the file's permissions");
    return undefined;
  }
  return decodeText(bytes, file, problems);
}

/** UTF-16 files (Windows Notepad's "Unicode") start with a byte-order mark. */
function isUtf16(bytes: Buffer): boolean {
  return bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff));
}

const SAVE_AS_UTF8 = "Save the file as UTF-8 (in most editors: Save As… › Encoding › UTF-8), then check the characters there";

/** Decodes a file's bytes as UTF-8, reporting the first byte that is not (at its line and column). */
export function decodeText(bytes: Buffer, file: string, problems: Problems): SourceText {
  if (isUtf16(bytes)) {
    problems.error(file, { line: 1, column: 1 }, "Cannot read the file: it is saved as UTF-16, not UTF-8", "not-utf8", SAVE_AS_UTF8.replace(", then check the characters there", ""));
    return { text: "", notUtf8: true };
  }
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes), notUtf8: false };
  } catch {
    const at = firstInvalidByte(bytes);
    const before = new TextDecoder("utf-8").decode(bytes.subarray(0, at));
    const lines = before.split("\n");
    const place: Point = { line: lines.length, column: lines.at(-1)!.length + 1 };
    const byte = bytes[at]!.toString(16).toUpperCase().padStart(2, "0");
    problems.error(file, place, `Cannot read the file as UTF-8: byte 0x${byte} here is not UTF-8 text (perhaps the file is saved as Windows-1252 or Latin-1)`, "not-utf8", SAVE_AS_UTF8);
    return { text: new TextDecoder("utf-8").decode(bytes), notUtf8: true };
  }
}

/** The offset of the first byte that does not start or continue a valid UTF-8 sequence (RFC 3629). */
function firstInvalidByte(bytes: Buffer): number {
  for (let i = 0; i < bytes.length; ) {
    const c = bytes[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    const more = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (more < 0) return i;
    for (let k = 1; k <= more; k++) if (i + k >= bytes.length || (bytes[i + k]! & 0xc0) !== 0x80) return i;
    const next = bytes[i + 1]!;
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF.
    if ((c === 0xe0 && next < 0xa0) || (c === 0xed && next > 0x9f) || (c === 0xf0 && next < 0x90) || (c === 0xf4 && next > 0x8f)) return i;
    i += more + 1;
  }
  return 0;
}

/** A folder's entries, or none (reported) when it cannot be read. */
export function readFolder(dir: string, file: string, problems: Problems): string[] {
  try {
    return readdirSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    problems.error(file, { line: 1, column: 1 }, `Cannot read the folder \`${basename(dir)}\`${code === "ENOTDIR" ? ": it is a file, not a folder" : code === "EACCES" ? ": permission denied" : ""}`, code === "ENOTDIR" ? "not-a-folder" : "unreadable-file", code === "ENOTDIR" ? "Put the files in a folder of that name" : "Check the folder's permissions");
    return [];
  }
}
