// What a page prints, as a printer's preflight reads it: each piece of text with
// its size and the inks it is printed in, and each line (a stroke, or a filled
// rectangle thinner than a point, as Chromium draws CSS borders) with its width.
// A small interpreter of content streams: the graphics state stack, the
// transformation matrices, colour spaces, text state and forms.
import { PDFArray, PDFDict, PDFName, PDFNumber, PDFStream, type PDFContext, type PDFObject, type PDFPage } from "pdf-lib";
import { eachOperation, streamText, type Operand } from "../press/content-stream.js";

/** A colour as the content sets it: its family and its components (Separation and DeviceN carry their colorants' names). */
export interface Colour {
  space: "gray" | "rgb" | "cmyk" | "separation" | "devicen" | "other";
  values: number[];
  names?: string[];
}

/** A run of text in one size and colour: its size as printed (points), and its fill or stroke colour as its rendering mode paints it. */
export interface TextRun {
  size: number;
  colours: Colour[];
}

/** A line as printed: a stroke (its width), or a filled rectangle thinner than a point (its thickness). */
export interface Line {
  width: number;
  kind: "stroke" | "fill";
}

export interface PageMarks {
  text: TextRun[];
  lines: Line[];
}

type Matrix = [number, number, number, number, number, number];
const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];
/** m × n, as PDF composes transformations (m applied first). */
const multiply = (m: Matrix, n: Matrix): Matrix => [
  m[0] * n[0] + m[1] * n[2], m[0] * n[1] + m[1] * n[3],
  m[2] * n[0] + m[3] * n[2], m[2] * n[1] + m[3] * n[3],
  m[4] * n[0] + m[5] * n[2] + n[4], m[4] * n[1] + m[5] * n[3] + n[5],
];
/** How much a matrix scales lengths (the square root of its area scale). */
const scaleOf = (m: Matrix) => Math.sqrt(Math.abs(m[0] * m[3] - m[1] * m[2]));

const PROCESS = ["Cyan", "Magenta", "Yellow", "Black"];

/** The plates a colour prints on, or undefined when that is decided later (RGB and the like are separated when converted). */
export function platesOf(colour: Colour): string[] | undefined {
  const inked = (names: string[]) => names.filter((_, i) => (colour.values[i] ?? 0) > 0);
  switch (colour.space) {
    case "gray":
      return (colour.values[0] ?? 0) < 1 ? ["Black"] : [];
    case "cmyk":
      return inked(PROCESS);
    case "separation":
    case "devicen": {
      const names = inked(colour.names ?? []);
      return names.includes("All") ? PROCESS : names.filter((n) => n !== "None");
    }
    default:
      return undefined;
  }
}

/**
 * Whether a colour on several plates is a black or a grey, not a colour: cyan,
 * magenta and yellow in balance (within a quarter of the strongest), as a
 * conversion to CMYK builds a grey. A pale tint such as 13/6/3/0 is a colour.
 */
export function isNeutral(colour: Colour): boolean {
  if (colour.space !== "cmyk") return false;
  const [c = 0, m = 0, y = 0] = colour.values;
  const strongest = Math.max(c, m, y);
  return strongest > 0 && strongest - Math.min(c, m, y) <= 0.25 * strongest;
}

interface Space {
  colour: Colour;
  /** For Separation and DeviceN: the colorants. */
  names?: string[];
}
interface State {
  ctm: Matrix;
  fill: Colour;
  stroke: Colour;
  fillSpace: Space;
  strokeSpace: Space;
  lineWidth: number;
  fontSize: number;
  mode: number;
}

const gray = (v: number): Colour => ({ space: "gray", values: [v] });
const num = (o: Operand | undefined) => (typeof o === "number" ? o : 0);

/** Reads what every page of a document prints. */
export class MarksReader {
  constructor(private readonly ctx: PDFContext, private readonly textOf: (stream: PDFObject | undefined) => string | undefined = streamText) {}

  /** The text and lines of one page, forms included. */
  page(page: PDFPage): PageMarks {
    const marks: PageMarks = { text: [], lines: [] };
    const contents = page.node.Contents();
    const streams = contents instanceof PDFArray ? contents.asArray() : [page.node.get(PDFName.of("Contents"))];
    // The page's content streams are one stream cut into pieces: read them as one.
    const text = streams.map((s) => this.textOf(this.ctx.lookup(s)) ?? "").join("\n");
    const state: State = {
      ctm: IDENTITY, fill: gray(0), stroke: gray(0), fillSpace: { colour: gray(0) }, strokeSpace: { colour: gray(0) },
      lineWidth: 1, fontSize: 0, mode: 0,
    };
    this.run(text, page.node.Resources(), state, marks, 0);
    return marks;
  }

  private run(text: string, resources: PDFDict | undefined, start: State, marks: PageMarks, depth: number): void {
    const stack: State[] = [];
    let s: State = { ...start };
    let tm: Matrix = IDENTITY;
    // The current path's subpaths, in page space (the CTM cannot change while a path is built); curved ones are only counted.
    let path: { points: [number, number][]; curved: boolean }[] = [];
    const at = (x: Operand | undefined, y: Operand | undefined): [number, number] => {
      const [a, b, c, d, e, f] = s.ctm;
      return [num(x) * a + num(y) * c + e, num(x) * b + num(y) * d + f];
    };
    const resource = (kind: string, key: Operand | undefined) =>
      typeof key === "string" ? resources?.lookupMaybe(PDFName.of(kind), PDFDict)?.lookup(PDFName.of(key.slice(1))) : undefined;
    const stroke = () => marks.lines.push({ width: s.lineWidth * scaleOf(s.ctm), kind: "stroke" });
    // A filled rectangle upright on the page, thinner than a point and longer than it is thick, is a rule (CSS borders are drawn so).
    const fill = () => {
      for (const { points, curved } of path) {
        if (curved || points.length < 4 || points.length > 5) continue;
        const xs = points.map((p) => p[0]);
        const ys = points.map((p) => p[1]);
        const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
        const corner = (v: number, lo: number, hi: number) => Math.abs(v - lo) < 0.01 || Math.abs(v - hi) < 0.01;
        if (!points.every(([x, y]) => corner(x, x0, x1) && corner(y, y0, y1))) continue;
        const [thin, long] = [Math.min(x1 - x0, y1 - y0), Math.max(x1 - x0, y1 - y0)];
        if (thin > 0 && thin < 1 && long >= 4 * thin) marks.lines.push({ width: thin, kind: "fill" });
      }
    };
    // Chromium shows one glyph at a time: a run is recorded when its size or colour changes, not for each glyph.
    let last: { size: number; fill: Colour; stroke: Colour; mode: number } | undefined;
    const show = () => {
      if (s.mode === 3 || s.mode === 7) return; // invisible text (an OCR layer), or text used only to clip
      // The text's height as printed: the length of the y axis of the text matrix times the CTM.
      const [a, b, c, d] = s.ctm;
      const size = s.fontSize * Math.hypot(tm[2] * a + tm[3] * c, tm[2] * b + tm[3] * d);
      if (!size || (last && last.size === size && last.fill === s.fill && last.stroke === s.stroke && last.mode === s.mode)) return;
      last = { size, fill: s.fill, stroke: s.stroke, mode: s.mode };
      const colours: Colour[] = [];
      if (s.mode === 0 || s.mode === 2 || s.mode === 4 || s.mode === 6) colours.push(s.fill);
      if (s.mode === 1 || s.mode === 2 || s.mode === 5 || s.mode === 6) colours.push(s.stroke);
      marks.text.push({ size, colours });
    };

    eachOperation(text, (operator, operands) => {
      // The operators most frequent in Chromium's pages first: a glyph's move, and showing it.
      switch (operator) {
        case "Td": case "TD": case "T*": case "BDC": case "EMC":
          break;
        case "Tj": case "TJ": case "'": case '"':
          show();
          break;
        case "q":
          stack.push(s);
          s = { ...s };
          break;
        case "Q":
          s = stack.pop() ?? s;
          break;
        case "cm":
          if (operands.length === 6) s.ctm = multiply(operands.numbers() as Matrix, s.ctm);
          break;
        case "w":
          s.lineWidth = num(operands.at(0));
          break;
        case "gs": {
          const lw = this.ctx.lookup(resource("ExtGState", operands.at(0)));
          const width = lw instanceof PDFDict ? lw.lookup(PDFName.of("LW")) : undefined;
          if (width instanceof PDFNumber) s.lineWidth = width.asNumber();
          break;
        }
        case "g": case "G": case "rg": case "RG": case "k": case "K": {
          const space = ({ g: "gray", rg: "rgb", k: "cmyk" } as const)[operator.toLowerCase() as "g" | "rg" | "k"];
          const colour: Colour = { space, values: operands.numbers() };
          if (operator === operator.toLowerCase()) [s.fill, s.fillSpace] = [colour, { colour }];
          else [s.stroke, s.strokeSpace] = [colour, { colour }];
          break;
        }
        case "cs": case "CS": {
          const space = this.space(operands.at(0), resources);
          if (operator === "cs") [s.fill, s.fillSpace] = [space.colour, space];
          else [s.stroke, s.strokeSpace] = [space.colour, space];
          break;
        }
        case "sc": case "scn": case "SC": case "SCN": {
          const fillSide = operator[0] === "s";
          const space = fillSide ? s.fillSpace : s.strokeSpace;
          // A pattern's name as the last operand: its colours are its own.
          const colour: Colour = typeof operands.at(-1) === "string"
            ? { space: "other", values: [] }
            : { space: space.colour.space, values: operands.numbers(), names: space.names };
          if (fillSide) s.fill = colour;
          else s.stroke = colour;
          break;
        }
        case "BT":
          tm = IDENTITY;
          break;
        case "Tm":
          if (operands.length === 6) tm = operands.numbers() as Matrix;
          break;
        case "Tf":
          s.fontSize = num(operands.at(1));
          break;
        case "Tr":
          s.mode = num(operands.at(0));
          break;
        case "re": {
          const [x = 0, y = 0, w = 0, h = 0] = operands.numbers();
          path.push({ points: [at(x, y), at(x + w, y), at(x + w, y + h), at(x, y + h)], curved: false });
          break;
        }
        case "m":
          path.push({ points: [at(operands.at(0), operands.at(1))], curved: false });
          break;
        case "l":
          path.at(-1)?.points.push(at(operands.at(0), operands.at(1)));
          break;
        case "c": case "v": case "y":
          if (path.length) path.at(-1)!.curved = true;
          break;
        case "S": case "s":
          stroke();
          path = [];
          break;
        case "f": case "F": case "f*":
          fill();
          path = [];
          break;
        case "B": case "B*": case "b": case "b*":
          fill();
          stroke();
          path = [];
          break;
        case "n":
          path = [];
          break;
        case "Do": {
          const form = this.ctx.lookup(resource("XObject", operands.at(0)));
          if (!(form instanceof PDFStream) || form.dict.lookup(PDFName.of("Subtype")) !== PDFName.of("Form") || depth > 8) break;
          const matrix = form.dict.lookupMaybe(PDFName.of("Matrix"), PDFArray)?.asArray().map((v) => (v instanceof PDFNumber ? v.asNumber() : 0));
          const inner = { ...s, ctm: matrix?.length === 6 ? multiply(matrix as Matrix, s.ctm) : s.ctm };
          this.run(this.textOf(form) ?? "", form.dict.lookupMaybe(PDFName.of("Resources"), PDFDict) ?? resources, inner, marks, depth + 1);
          break;
        }
      }
    });
  }

  /** A colour space set with `cs`/`CS`, and the colour it starts with. */
  private space(name: Operand | undefined, resources: PDFDict | undefined): Space {
    const device: Record<string, Space> = {
      "/DeviceGray": { colour: gray(0) }, "/G": { colour: gray(0) },
      "/DeviceRGB": { colour: { space: "rgb", values: [0, 0, 0] } }, "/RGB": { colour: { space: "rgb", values: [0, 0, 0] } },
      "/DeviceCMYK": { colour: { space: "cmyk", values: [0, 0, 0, 1] } }, "/CMYK": { colour: { space: "cmyk", values: [0, 0, 0, 1] } },
    };
    if (typeof name !== "string") return { colour: { space: "other", values: [] } };
    if (device[name]) return device[name]!;
    const cs = this.ctx.lookup(resources?.lookupMaybe(PDFName.of("ColorSpace"), PDFDict)?.get(PDFName.of(name.slice(1))));
    return this.spaceOf(cs);
  }

  private spaceOf(cs: PDFObject | undefined): Space {
    const other: Space = { colour: { space: "other", values: [] } };
    if (cs instanceof PDFName) return this.space(cs.toString(), undefined);
    if (!(cs instanceof PDFArray)) return other;
    const family = cs.lookup(0)?.toString();
    const nameOf = (o: PDFObject | undefined) => (o instanceof PDFName ? o.decodeText() : "?");
    if (family === "/ICCBased") {
      const n = this.ctx.lookup(cs.get(1));
      const channels = n instanceof PDFStream ? n.dict.lookupMaybe(PDFName.of("N"), PDFNumber)?.asNumber() : undefined;
      return channels === 1 ? { colour: gray(0) } : channels === 4 ? { colour: { space: "cmyk", values: [0, 0, 0, 1] } } : channels === 3 ? { colour: { space: "rgb", values: [0, 0, 0] } } : other;
    }
    if (family === "/CalGray") return { colour: gray(0) };
    if (family === "/CalRGB") return { colour: { space: "rgb", values: [0, 0, 0] } };
    if (family === "/Separation") {
      const names = [nameOf(cs.lookup(1))];
      return { colour: { space: "separation", values: [1], names }, names };
    }
    if (family === "/DeviceN") {
      const names = (cs.lookup(1) instanceof PDFArray ? (cs.lookup(1) as PDFArray).asArray() : []).map((n) => nameOf(this.ctx.lookup(n)));
      return { colour: { space: "devicen", values: names.map(() => 1), names }, names };
    }
    return other;
  }
}
