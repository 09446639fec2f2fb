import type { Element, Root as HastRoot } from "hast";
import { visit } from "unist-util-visit";
import type { Issue, Picture } from "../content/model.js";
import type { Problems } from "../content/problems.js";
import { pictureShape, type PixelSize } from "../content/picture-type.js";
import type { Grid } from "./grid.js";

/** What printers ask of a picture at the size it prints. */
export const PRINT_PPI = 300;
/** The least a printer accepts: the preflight fails a PDF with a picture below it (src/preflight/preflight.ts). */
export const LEAST_PPI = 150;

/** One picture as the stylesheet places it: how wide it prints, and so at how many pixels an inch. */
export interface PicturePlacement {
  /** Where the picture is named, `file:line:column`. */
  source: string;
  widthMm: number;
  ppi: number;
  /** The most it can print at: at the narrowest it may be set (a column, or its height limit); the same as `ppi` for a full-page picture. */
  bestPpi: number;
}

/** Half the text area's height for a picture in the text, 40 % for a portrait (as in templates/css/print/articles.css). */
function maxHeightMm(grid: Grid, shape: string): number {
  return grid.text.heightMm * (shape === "portrait" ? 0.4 : 0.5);
}

/** How wide a picture prints in running text: its column (or the text width), less when its height would pass the limit. */
function placedWidthMm(size: PixelSize, grid: Grid, spansText: boolean): number {
  const shape = pictureShape(size);
  const room = spansText || shape === "panorama" ? grid.text.widthMm : grid.columns.widthMm;
  return Math.min(room, maxHeightMm(grid, shape) * (size.width / size.height));
}

/**
 * The narrowest a picture in the text may be set: one column, or less when its
 * height would pass the limit there. Where it is set wider (a panorama across the
 * text, a lead picture), it prints at fewer pixels an inch.
 */
function narrowestWidthMm(size: PixelSize, grid: Grid): number {
  return Math.min(grid.columns.widthMm, maxHeightMm(grid, pictureShape(size)) * (size.width / size.height));
}

/** A full-page picture covers the trim and bleed: its pixels are stretched along the tighter side. */
function fullPagePpi(size: PixelSize, grid: Grid, bleedMm: number): number {
  const mmPerPixel = Math.max((grid.trim.widthMm + 2 * bleedMm) / size.width, (grid.trim.heightMm + 2 * bleedMm) / size.height);
  return 25.4 / mmPerPixel;
}

/** Pictures in a Markdown body: their figures carry the pixel size and their place in the file. */
function bodyPictures(tree: HastRoot, file: string, grid: Grid): PicturePlacement[] {
  const found: PicturePlacement[] = [];
  visit(tree, "element", (node: Element) => {
    if (node.tagName !== "img" || typeof node.properties.dataPixels !== "string") return;
    const [width, height] = node.properties.dataPixels.split("x").map(Number) as [number, number];
    const widthMm = placedWidthMm({ width, height }, grid, false);
    const place = node.position?.start;
    found.push({ source: `${file}:${place?.line ?? 1}:${place?.column ?? 1}`, widthMm, ppi: (width * 25.4) / widthMm, bestPpi: (width * 25.4) / narrowestWidthMm({ width, height }, grid) });
  });
  return found;
}

/** Every picture of the issue that has pixels, with the width it prints at on this grid. */
export function placePictures(issue: Issue, grid: Grid): PicturePlacement[] {
  const placed: PicturePlacement[] = [];
  const lead = (p: Picture | undefined) => {
    if (!p?.size || !p.source) return;
    const widthMm = placedWidthMm(p.size, grid, pictureShape(p.size) !== "portrait");
    placed.push({ source: p.source, widthMm, ppi: (p.size.width * 25.4) / widthMm, bestPpi: (p.size.width * 25.4) / narrowestWidthMm(p.size, grid) });
  };
  const fullPage = (p: Picture | undefined) => {
    if (!p?.size || !p.source) return;
    const ppi = fullPagePpi(p.size, grid, issue.meta.page.bleedMm);
    placed.push({ source: p.source, widthMm: grid.trim.widthMm + 2 * issue.meta.page.bleedMm, ppi, bestPpi: ppi });
  };
  fullPage(issue.meta.cover.image);
  if (issue.foreword) placed.push(...bodyPictures(issue.foreword.body, issue.foreword.file, grid));
  for (const article of [...issue.spotlight, ...issue.months.flatMap((m) => m.articles)]) {
    lead(article.image);
    placed.push(...bodyPictures(article.body, article.file, grid));
  }
  if (issue.flashBriefing) {
    for (const item of issue.flashBriefing.items) placed.push(...bodyPictures(item.body, issue.flashBriefing.file, grid));
  }
  for (const ad of issue.ads) {
    fullPage(ad.image);
    placed.push(...bodyPictures(ad.body, ad.file, grid));
  }
  return placed;
}

/**
 * Warns, at the line that names it, of each picture that will print below 300 ppi
 * at its placed size; a picture that prints below 150 ppi even where it is set
 * narrowest is an error: the PDF's preflight would fail it (`picture-too-small`).
 */
export function reportLowResolution(issue: Issue, grid: Grid, problems: Problems): void {
  for (const p of placePictures(issue, grid)) {
    if (p.ppi >= PRINT_PPI) continue;
    const m = /^(.*):(\d+):(\d+)$/.exec(p.source)!;
    const place = { line: Number(m[2]), column: Number(m[3]) };
    const wanted = Math.ceil((p.widthMm / 25.4) * PRINT_PPI);
    if (p.bestPpi < LEAST_PPI) {
      problems.error(
        m[1]!,
        place,
        `Cannot print this picture: it has too few pixels, ${Math.round(p.bestPpi)} ppi at most at this page size, and printers refuse pictures below ${LEAST_PPI} ppi`,
        "picture-too-small",
        `Use a picture at least ${wanted} pixels wide (${PRINT_PPI} ppi at ${Math.round(p.widthMm)} mm), or leave it out`,
      );
      continue;
    }
    problems.warn(
      m[1]!,
      place,
      `This picture prints at ${Math.round(p.ppi)} ppi (${Math.round(p.widthMm)} mm wide at this page size); printers want ${PRINT_PPI}`,
      "low-resolution-picture",
      `Use a picture at least ${wanted} pixels wide`,
    );
  }
}
