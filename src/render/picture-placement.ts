import type { Element, Root as HastRoot } from "hast";
import { visit } from "unist-util-visit";
import type { Issue, Picture } from "../content/model.js";
import type { Problems } from "../content/problems.js";
import { pictureShape, type PixelSize } from "../content/picture-type.js";
import type { Grid } from "./grid.js";

/** What printers ask of a picture at the size it prints. */
export const PRINT_PPI = 300;

/** One picture as the stylesheet places it: how wide it prints, and so at how many pixels an inch. */
export interface PicturePlacement {
  /** Where the picture is named, `file:line:column`. */
  source: string;
  widthMm: number;
  ppi: number;
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
    found.push({ source: `${file}:${place?.line ?? 1}:${place?.column ?? 1}`, widthMm, ppi: (width * 25.4) / widthMm });
  });
  return found;
}

/** Every picture of the issue that has pixels, with the width it prints at on this grid. */
export function placePictures(issue: Issue, grid: Grid): PicturePlacement[] {
  const placed: PicturePlacement[] = [];
  const lead = (p: Picture | undefined) => {
    if (!p?.size || !p.source) return;
    const widthMm = placedWidthMm(p.size, grid, pictureShape(p.size) !== "portrait");
    placed.push({ source: p.source, widthMm, ppi: (p.size.width * 25.4) / widthMm });
  };
  const fullPage = (p: Picture | undefined) => {
    if (!p?.size || !p.source) return;
    placed.push({ source: p.source, widthMm: grid.trim.widthMm + 2 * issue.meta.page.bleedMm, ppi: fullPagePpi(p.size, grid, issue.meta.page.bleedMm) });
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

/** Warns, at the line that names it, of each picture that will print below 300 ppi at its placed size. */
export function reportLowResolution(issue: Issue, grid: Grid, problems: Problems): void {
  for (const p of placePictures(issue, grid)) {
    if (p.ppi >= PRINT_PPI) continue;
    const m = /^(.*):(\d+):(\d+)$/.exec(p.source)!;
    problems.warn(
      m[1]!,
      { line: Number(m[2]), column: Number(m[3]) },
      `This picture prints at ${Math.round(p.ppi)} ppi (${Math.round(p.widthMm)} mm wide at this page size); printers want ${PRINT_PPI}`,
      "low-resolution-picture",
      `Use a picture at least ${Math.ceil((p.widthMm / 25.4) * PRINT_PPI)} pixels wide`,
    );
  }
}
