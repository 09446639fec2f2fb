import type { Issue } from "../content/model.js";

/**
 * The page grid, derived from the trim size: margins, text columns, body type
 * size and leading, and the scale of display type. The templates' stylesheet
 * reads these as CSS custom properties, so one design serves A4, A5, B5, letter
 * or any custom size without extra configuration.
 */

/** Average characters a millimetre of PT Serif at 9.5 pt, running text with spaces (measured on the sample). */
const CHARS_PER_MM_AT_9_5 = 0.62;
/** A comfortable measure for justified text, in characters a line. */
const MIN_MEASURE = 42;
const MAX_MEASURE = 75;
const ONE_COLUMN_MEASURE = 68;
/** Below this measure, justified text shows rivers: set ragged-right instead. */
const JUSTIFY_FROM = 48;
/** Type sizes for reading (pt), smallest first. */
const BODY_SIZES = [9.5, 10, 10.5];

export interface Grid {
  trim: { widthMm: number; heightMm: number };
  /** Page margins; inner is at the spine, mirrored on left and right pages. */
  margins: { topMm: number; bottomMm: number; innerMm: number; outerMm: number };
  /** The text area of a page of running text. */
  text: { widthMm: number; heightMm: number };
  /** News columns: how many, the gap between them, and each one's width. */
  columns: { count: number; gapMm: number; widthMm: number };
  body: { sizePt: number; leadingPt: number };
  /** About how many characters a line of body text holds. */
  measure: number;
  /** Justified and hyphenated, or ragged-right where the measure is narrow. */
  justify: boolean;
  /** Display type (cover, openers, section titles) relative to A4; headlines grow more gently. */
  scale: { display: number; headline: number };
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
const round = (v: number, step = 0.1) => Number((Math.round(v / step) * step).toFixed(3));
const measureOf = (widthMm: number, sizePt: number) => (widthMm * CHARS_PER_MM_AT_9_5 * 9.5) / sizePt;

/** The grid for a trim size in millimetres. */
export function gridFor(widthMm: number, heightMm: number): Grid {
  const scale = Math.min(widthMm / 210, heightMm / 297);
  // Margins shrink with the page, but less than the page does: a small page still needs room for its furniture.
  const soft = 0.4 + 0.6 * scale;
  const margins = {
    topMm: round(clamp(22 * soft, 14, 26)),
    bottomMm: round(clamp(22 * soft, 14, 26)),
    innerMm: round(clamp(20 * soft, 12, 24)),
    outerMm: round(clamp(16 * soft, 10, 20)),
  };
  let textWidth = widthMm - margins.innerMm - margins.outerMm;
  const gapMm = round(clamp(6 * soft, 4.5, 7));

  // As many columns as keep a comfortable measure at the smallest reading size.
  let count = 1;
  for (let n = 4; n > 1; n--) {
    if (measureOf((textWidth - (n - 1) * gapMm) / n, BODY_SIZES[0]!) >= MIN_MEASURE) {
      count = n;
      break;
    }
  }
  let sizePt = BODY_SIZES[0]!;
  if (count === 1) {
    // One wide column: the reading size nearest a measure of about 68 characters; past 75, wider margins.
    sizePt = BODY_SIZES.reduce((best, s) => (Math.abs(measureOf(textWidth, s) - ONE_COLUMN_MEASURE) < Math.abs(measureOf(textWidth, best) - ONE_COLUMN_MEASURE) ? s : best));
    const widest = (MAX_MEASURE * sizePt) / (CHARS_PER_MM_AT_9_5 * 9.5);
    if (textWidth > widest) {
      const extra = (textWidth - widest) / 2;
      margins.innerMm = round(margins.innerMm + extra);
      margins.outerMm = round(margins.outerMm + extra);
      textWidth = widthMm - margins.innerMm - margins.outerMm;
    }
  }
  const columnWidth = (textWidth - (count - 1) * gapMm) / count;
  const measure = Math.round(measureOf(columnWidth, sizePt));
  // Wider measures read better with a little more leading.
  const leadingPt = round(sizePt * (count === 1 ? 1.4 : 1.37), 0.5);
  return {
    trim: { widthMm, heightMm },
    margins,
    text: { widthMm: round(textWidth, 0.01), heightMm: round(heightMm - margins.topMm - margins.bottomMm, 0.01) },
    columns: { count, gapMm, widthMm: round(columnWidth, 0.01) },
    body: { sizePt, leadingPt },
    measure,
    justify: measure >= JUSTIFY_FROM,
    scale: { display: round(clamp(scale, 0.5, 1.6), 0.001), headline: round(clamp(Math.sqrt(scale), 0.75, 1.3), 0.001) },
  };
}

/** The grid as CSS: the page margins (mirrored) and the custom properties the stylesheet reads. */
export function gridCss(grid: Grid): string {
  const m = grid.margins;
  const mm = (v: number) => `${round(v, 0.01)}mm`;
  return [
    `@page{margin:${mm(m.topMm)} ${mm(m.outerMm)} ${mm(m.bottomMm)} ${mm(m.innerMm)}}`,
    `@page :left{margin-left:${mm(m.outerMm)};margin-right:${mm(m.innerMm)}}`,
    `@page :right{margin-left:${mm(m.innerMm)};margin-right:${mm(m.outerMm)}}`,
    // Copyfitting's "a line longer a page" (src/layout/copyfit.ts): the bottom margin one leading smaller.
    `@page long{margin-bottom:${mm(m.bottomMm - (grid.body.leadingPt * 25.4) / 72)}}`,
    `:root{--text-width:${mm(grid.text.widthMm)};--text-height:${mm(grid.text.heightMm)};` +
      `--columns:${grid.columns.count};--column-gap:${mm(grid.columns.gapMm)};` +
      `--body-size:${grid.body.sizePt}pt;--leading:${grid.body.leadingPt}pt;` +
      `--body-align:${grid.justify ? "justify" : "left"};` +
      `--display-scale:${grid.scale.display};--headline-scale:${grid.scale.headline};` +
      `--margin-top:${mm(m.topMm)};--margin-bottom:${mm(m.bottomMm)}}`,
  ].join("");
}

/** The page grid of an issue: its margins, columns and type sizes, from its trim size. */
export function gridOf(issue: Issue): Grid {
  return gridFor(issue.meta.page.widthMm, issue.meta.page.heightMm);
}
