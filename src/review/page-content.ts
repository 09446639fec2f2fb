import type { PageBoxes, PdfText, Rect, TextLine } from "../preflight/poppler.js";

/** A page's text as the diff sees it: the body, and the furniture (running heads, folio) apart. */
export interface PageContent {
  /** The words of the body, in reading order. */
  words: string[];
  /** The lines of the body, with their boxes: how far the page's content moved is measured on them. */
  lines: TextLine[];
  /** Where the running heads and the folio stand: they change when a page moves, its content does not. */
  furniture: Rect[];
}

/** How much of the trim height, at its top and at its foot, running heads and folios are looked for in. */
const BAND = 0.1;

const fold = (text: string) => text.replace(/\u00AD/g, "").replace(/\s+/g, " ").trim().toLocaleLowerCase();

/** Whether a line stands wholly in the top or foot band of the trim, where running heads and folios are. */
function inBand(line: TextLine, boxes: PageBoxes): boolean {
  const { trim } = boxes;
  const band = trim.height * BAND;
  const top = line.box.y;
  const foot = line.box.y + line.box.height;
  return (top >= trim.y - 1 && foot <= trim.y + band) || (top >= trim.y + trim.height - band && foot <= trim.y + trim.height + 1);
}

/**
 * Separates each page's furniture from its body, in the editions compared together.
 * A line in the top or foot band of the trim is furniture when it is a bare number
 * (a folio), the document's title, or a text found in those bands on three pages or
 * more (a running head: the name, a section's); and so is a line of any text
 * at the very height and size of such a line on another page (the running head of a
 * section with fewer pages). Anything else is content.
 */
export function readContents(docs: { text: PdfText; boxes: PageBoxes[] }[]): PageContent[][] {
  const pagesWith = new Map<string, number>();
  for (const { text, boxes } of docs) {
    text.pages.forEach((lines, p) => {
      const seen = new Set(lines.filter((l) => boxes[p] && inBand(l, boxes[p])).map((l) => fold(l.text)));
      for (const t of seen) pagesWith.set(t, (pagesWith.get(t) ?? 0) + 1);
    });
  }
  const titles = new Set(docs.map((d) => d.text.title && fold(d.text.title)).filter(Boolean));
  const byText = (line: TextLine) => {
    const t = fold(line.text);
    return /^\d{1,4}$/.test(t) || titles.has(t) || (pagesWith.get(t) ?? 0) >= 3;
  };
  // Where furniture found by its text stands: the top of its box and its height, to a quarter point.
  const slot = (line: TextLine) => `${Math.round(line.box.y * 4)}:${Math.round(line.box.height * 4)}`;
  const slots = new Set<string>();
  for (const { text, boxes } of docs) {
    text.pages.forEach((lines, p) => {
      for (const l of lines) if (boxes[p] && inBand(l, boxes[p]) && byText(l)) slots.add(slot(l));
    });
  }
  const isFurniture = (line: TextLine, boxes: PageBoxes | undefined) => Boolean(boxes && inBand(line, boxes) && (byText(line) || slots.has(slot(line))));
  return docs.map(({ text, boxes }) =>
    boxes.map((b, p) => {
      const lines = text.pages[p] ?? [];
      const body = lines.filter((l) => !isFurniture(l, b));
      return {
        words: body.flatMap((l) => l.text.replace(/\u00AD/g, "").split(/\s+/).filter(Boolean)),
        lines: body,
        furniture: lines.filter((l) => isFurniture(l, b)).map((l) => l.box),
      };
    }),
  );
}

/**
 * How far the content of a page moved from the old page to the new one, in points:
 * the median offset of the lines found on both (on a page that moves from a left to a
 * right page, mirrored margins move the whole text block sideways).
 */
export function contentOffset(old: PageContent, next: PageContent): { dx: number; dy: number } | undefined {
  const dxs: number[] = [];
  const dys: number[] = [];
  let from = 0;
  for (const line of next.lines) {
    for (let k = from; k < old.lines.length; k++) {
      if (old.lines[k]!.text === line.text) {
        dxs.push(line.box.x - old.lines[k]!.box.x);
        dys.push(line.box.y - old.lines[k]!.box.y);
        from = k + 1;
        break;
      }
    }
  }
  if (!dxs.length) return undefined;
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return { dx: median(dxs), dy: median(dys) };
}
