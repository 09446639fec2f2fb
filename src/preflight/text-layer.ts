// The text layer of a PDF as poppler writes it (`pdftotext -bbox-layout`): pages of
// lines of words, each with its box. One parser, for the layout report and review alike.

/** A box in points, measured from the top-left corner of the page's MediaBox (as poppler measures). */
export interface Rect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** A line of text as poppler found it: its words and their boxes. */
export interface TextLine extends Rect {
  words: (Rect & { text: string })[];
}

/** The text of poppler's XHTML: its five named entities and numeric references decoded. */
export const decodeEntities = (s: string) =>
  s.replace(/&(amp|lt|gt|quot|apos|#(\d+)|#x([0-9a-f]+));/gi, (_, name: string, dec?: string, hex?: string) =>
    dec ? String.fromCodePoint(Number(dec)) : hex ? String.fromCodePoint(parseInt(hex, 16)) : ({ amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" } as Record<string, string>)[name.toLowerCase()]!,
  );

const BOX = /xMin="([-0-9.]+)" yMin="([-0-9.]+)" xMax="([-0-9.]+)" yMax="([-0-9.]+)"/;
const box = (attrs: string): Rect => {
  const m = BOX.exec(attrs);
  return { left: Number(m?.[1] ?? NaN), top: Number(m?.[2] ?? NaN), right: Number(m?.[3] ?? NaN), bottom: Number(m?.[4] ?? NaN) };
};

/** Parses `pdftotext -bbox-layout` output into lines of words, page by page (one pass over its tags). */
export function parseBboxLayout(html: string): TextLine[][] {
  const pages: TextLine[][] = [];
  let line: TextLine | undefined;
  for (const m of html.matchAll(/<(page|line|word)\b([^>]*)>(?:([^<]*)<\/word>)?/g)) {
    if (m[1] === "page") {
      pages.push([]);
      line = undefined;
    } else if (m[1] === "line") {
      line = { ...box(m[2]!), words: [] };
      pages[pages.length - 1]?.push(line);
    } else if (line) {
      line.words.push({ ...box(m[2]!), text: decodeEntities(m[3] ?? "") });
    }
  }
  return pages.map((lines) => lines.filter((l) => l.words.length));
}
