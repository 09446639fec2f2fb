// Reading a PDF content stream as a list of operations: what the true-black
// rewrite and the preflight's ink and line checks both need. Only as much of the
// syntax as a content stream uses: numbers, names, strings, arrays and
// dictionaries as operands, inline images skipped whole.
import { constants, inflateSync } from "node:zlib";
import { PDFArray, PDFName, PDFRawStream, decodePDFRawStream, type PDFObject } from "pdf-lib";

/**
 * An operand: a number, a name (with its slash, `/F1`), or a placeholder for a
 * string `(…)`, an array `[…]` or a dictionary `<<…>>`, whose contents the
 * checks do not need.
 */
export type Operand = number | string;

/** One operator with its operands, and where it stands in the stream's text (from its first operand to the end of the operator). */
export interface Operation {
  operator: string;
  operands: Operand[];
  start: number;
  end: number;
}

/** The decoded bytes of a stream, or undefined for filters we cannot (or need not) undo. */
export function streamBytes(stream: PDFObject | undefined): Uint8Array | undefined {
  if (!(stream instanceof PDFRawStream)) return undefined;
  const filter = stream.dict.lookup(PDFName.of("Filter"));
  const filters = filter instanceof PDFArray ? filter.asArray() : filter ? [filter] : [];
  try {
    // zlib is native and far faster than pdf-lib's JavaScript inflate; the rest is rare in content streams.
    if (filters.every((f) => f === PDFName.of("FlateDecode")) && !stream.dict.has(PDFName.of("DecodeParms"))) {
      return filters.reduce<Uint8Array>((b) => inflateSync(b, { finishFlush: constants.Z_SYNC_FLUSH }), stream.contents);
    }
    return decodePDFRawStream(stream).decode();
  } catch {
    return undefined;
  }
}

/** A stream's decoded content as text, one character a byte (latin1), so positions are byte offsets. */
export function streamText(stream: PDFObject | undefined): string | undefined {
  const bytes = streamBytes(stream);
  return bytes && Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
}

/** Whether a byte belongs to a token: neither white space nor a delimiter. */
const REGULAR = new Uint8Array(256).map((_, c) => (" \n\r\t\f\0()<>[]{}/%".includes(String.fromCharCode(c)) ? 0 : 1));
const isRegular = (c: number) => REGULAR[c & 0xff] === 1 || c > 0xff;

/** Where a literal string that opens at `at` ends (one past its closing bracket): escapes and balanced brackets included. */
function endOfLiteral(text: string, at: number): number {
  let depth = 0;
  for (let i = at; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c) i++; // backslash: the next byte is escaped, whatever it is
    else if (c === 0x28) depth++;
    else if (c === 0x29 && --depth === 0) return i + 1;
  }
  return text.length;
}

/** Where an inline image's data ends: after the `EI` that follows its `ID`, standing on its own between white space. */
function endOfInlineImage(text: string, at: number): number {
  const id = /(?:^|[\s\0])ID[\s\0]/g;
  id.lastIndex = at;
  const found = id.exec(text);
  if (!found) return text.length;
  const ei = /[\s\0]EI(?=[\s\0]|$)/g;
  ei.lastIndex = found.index + found[0].length;
  const end = ei.exec(text);
  return end ? end.index + end[0].length : text.length;
}

/**
 * The operands of one operation, read from the stream's text only when asked
 * for: most operations of a page (a glyph's position, say) are never looked at,
 * and parsing all their numbers would cost more than the rest of the reading.
 */
export class Operands {
  length = 0;
  private starts: number[] = [];
  private ends: number[] = [];
  /** 0 a number, 1 a name or keyword (its text), 2 a placeholder (its text is kept in `placeholders`). */
  private kinds: number[] = [];
  private placeholders: string[] = [];

  constructor(private readonly text: string) {}

  /** The operand at `index` (negative counts from the end). */
  at(index: number): Operand | undefined {
    const i = index < 0 ? this.length + index : index;
    if (i < 0 || i >= this.length) return undefined;
    const kind = this.kinds[i];
    if (kind === 2) return this.placeholders[i];
    const text = this.text.slice(this.starts[i], this.ends[i]);
    if (kind === 1) return text;
    const number = Number(text);
    return Number.isNaN(number) ? 0 : number;
  }

  /** Every operand as a number (names and placeholders count as 0). */
  numbers(): number[] {
    const list: number[] = [];
    for (let i = 0; i < this.length; i++) {
      const o = this.at(i);
      list.push(typeof o === "number" ? o : 0);
    }
    return list;
  }

  /** Every operand. */
  all(): Operand[] {
    return Array.from({ length: this.length }, (_, i) => this.at(i)!);
  }

  /** Adds an operand found at `start`–`end` of the text (the tokenizer's side). */
  push(kind: number, start: number, end: number, placeholder = ""): void {
    const i = this.length++;
    this.kinds[i] = kind;
    this.starts[i] = start;
    this.ends[i] = end;
    this.placeholders[i] = placeholder;
  }
}

/**
 * Calls `visit` with each operation of a content stream, in order. The operands
 * are reused from one operation to the next: read what must outlive the call.
 * Malformed input never throws: what cannot be read is skipped.
 */
export function eachOperation(text: string, visit: (operator: string, operands: Operands, start: number, end: number) => void): void {
  const operands = new Operands(text);
  let start = -1;
  let depth = 0; // inside an array or dictionary operand: its parts are not operands of their own
  let i = 0;
  const n = text.length;
  const placeholder = (at: number, shown: string) => {
    if (depth > 0) return;
    if (start < 0) start = at;
    operands.push(2, at, at, shown);
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0c || c === 0x00) {
      i++;
    } else if (c === 0x25) {
      // a comment, to the end of its line
      while (i < n && text.charCodeAt(i) !== 0x0a && text.charCodeAt(i) !== 0x0d) i++;
    } else if (c === 0x28) {
      placeholder(i, "(…)");
      i = endOfLiteral(text, i);
    } else if (c === 0x3c && text.charCodeAt(i + 1) === 0x3c) {
      placeholder(i, "<<…>>");
      depth++;
      i += 2;
    } else if (c === 0x3e && text.charCodeAt(i + 1) === 0x3e) {
      if (depth > 0) depth--;
      i += 2;
    } else if (c === 0x3c) {
      placeholder(i, "<…>");
      const close = text.indexOf(">", i);
      i = close < 0 ? n : close + 1;
    } else if (c === 0x5b) {
      placeholder(i, "[…]");
      depth++;
      i++;
    } else if (c === 0x5d) {
      if (depth > 0) depth--;
      i++;
    } else if (!isRegular(c) && c !== 0x2f) {
      i++; // a stray delimiter: { } ) >
    } else {
      let j = i + 1;
      while (j < n && isRegular(text.charCodeAt(j))) j++;
      if (depth === 0) {
        if (start < 0) start = i;
        // A number starts with a digit, a sign or a point; a name with a slash.
        if ((c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e) operands.push(0, i, j);
        else if (c === 0x2f) operands.push(1, i, j);
        else {
          const word = text.slice(i, j);
          if (word === "true" || word === "false" || word === "null") operands.push(1, i, j);
          else {
            if (word === "BI") j = endOfInlineImage(text, j);
            visit(word, operands, start, j);
            operands.length = 0;
            start = -1;
          }
        }
      }
      i = j;
    }
  }
}

/** The operations of a content stream, in order, each with its own operands. */
export function operations(text: string): Operation[] {
  const list: Operation[] = [];
  eachOperation(text, (operator, operands, start, end) => list.push({ operator, operands: operands.all(), start, end }));
  return list;
}
