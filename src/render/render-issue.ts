import { pathToFileURL } from "node:url";
import { join } from "node:path";
import { createElement, Fragment, type ComponentProps, type ReactNode } from "react";
import { jsx, jsxs } from "react/jsx-runtime";
import { renderToStaticMarkup } from "react-dom/server";
import { toJsxRuntime } from "hast-util-to-jsx-runtime";
import type { Root as HastRoot } from "hast";
import type { Ad, Article, Issue, Picture } from "../content/model.js";
import { formatSpan } from "../content/calendar.js";
import { pictureShape } from "../content/picture-type.js";
import { languageOf } from "../content/language.js";
import { readFont, roleOf, TYPEFACES, unicodeRange, type FontInfo } from "../content/fonts.js";
import type { ShippedFace } from "../content/fallbacks.js";
import { IssueDocument, issueUnits } from "../../templates/Document.js";
import type { AdView, ArticleView, IssueView, PictureView } from "../../templates/types.js";

import { FONTS_DIR } from "../paths.js";
import { gridCss, gridFor } from "./grid.js";
import { PRINT_STYLESHEET } from "./stylesheets.js";

/** How the document refers to a local file: a file:// URL for Chromium, or a server's URL for the preview. */
export type AssetUrl = (path: string) => string;
const fileUrl: AssetUrl = (path) => pathToFileURL(path).href;

export interface RenderOptions {
  /** Maps the absolute path of a picture, font or stylesheet to the URL the document uses; default file:// URLs. */
  assetUrl?: AssetUrl;
  /** Scripts for the document's head (the preview's Paged.js and live reload). */
  scripts?: string[];
}

/**
 * @font-face rules pointing at the repository's font files and the issue's own (never
 * the network or the system). The issue's fonts join each typeface's family as more
 * faces, limited by `unicode-range` to the characters the typeface lacks, so they are
 * its fallbacks whatever family the stylesheet asks for; the first font named that
 * has a character prints it. Then, the same way, the faces digest ships for what is
 * still missing (`shipped`, src/content/fallbacks.ts): the serif ones behind PT Serif,
 * the sans ones behind PT Sans and PT Mono, each from the file of the typeface's weight
 * and style, scaled so that its x-height is the typeface's. An issue that needs none
 * gets the same rules as before there were any.
 */
export function fontFaceCss(assetUrl: AssetUrl = fileUrl, extras: FontInfo[] = [], shipped: ShippedFace[] = []): string {
  const face = (family: string, path: string, weight: number, style: string, range?: string, query?: string, format = "truetype", sizeAdjust?: string) =>
    `@font-face{font-family:"${family}";src:url("${assetUrl(path)}${query ?? ""}") format("${format}");font-weight:${weight};font-style:${style};${range ? `unicode-range:${range};` : ""}${sizeAdjust ? `size-adjust:${sizeAdjust};` : ""}font-display:block}`;
  const rules = TYPEFACES.map((f) => face(f.family, join(FONTS_DIR, f.file), f.weight, f.style));
  const families = new Map<string, FontInfo[]>();
  for (const font of extras) families.set(font.family, [...(families.get(font.family) ?? []), font]);
  // Faces declared later are tried first: the fallbacks come after the typefaces, each with only the characters they add.
  for (const f of TYPEFACES) {
    const own = readFont(join(FONTS_DIR, f.file));
    const covered = new Set(own.coverage);
    for (const members of families.values()) {
      const best = closestFace(members, f.weight, f.style === "italic");
      const adds = [...best.coverage].filter((c) => !covered.has(c));
      for (const c of adds) covered.add(c);
      // A URL of its own for each face: when faces shared one, whether Chromium embedded the font once or
      // once a face depended on the machine's fontconfig, and so did the PDF's bytes.
      if (adds.length) rules.push(face(f.family, best.path, f.weight, f.style, unicodeRange(adds), `?face=${f.file}`, best.format));
    }
    for (const s of shipped.filter((s) => s.role === roleOf(f.family))) {
      const adds = s.chars.filter((c) => !covered.has(c));
      for (const c of adds) covered.add(c);
      if (adds.length) rules.push(face(f.family, s.file(f.weight, f.style === "italic"), f.weight, f.style, unicodeRange(adds), `?face=${f.file}`, "woff2", sizeAdjust(own, s)));
    }
  }
  return rules.join("\n");
}

/**
 * How much a shipped face is scaled (CSS `size-adjust`) so that it sits in the line of
 * the typeface it stands in for: the ratio of the typeface's x-height to that of the
 * Noto family of its role (Noto Serif's 0.536 em to PT Serif's 0.5: 93.3 %), else of
 * their cap heights. The Noto families share one design size (a Chinese or Arabic
 * Noto is made to sit beside Noto Sans), so one ratio keeps them all in proportion.
 */
function sizeAdjust(typeface: FontInfo, shipped: ShippedFace): string | undefined {
  const ratio = typeface.xHeight && shipped.xHeight ? typeface.xHeight / shipped.xHeight : typeface.capHeight && shipped.capHeight ? typeface.capHeight / shipped.capHeight : undefined;
  if (!ratio || Math.abs(ratio - 1) < 0.005) return undefined;
  return `${(Math.min(1.25, Math.max(0.8, ratio)) * 100).toFixed(1)}%`;
}

/** Of a family's fonts, the one closest to a face: the same style first, then the nearest weight. */
function closestFace(members: FontInfo[], weight: number, italic: boolean): FontInfo {
  const score = (f: FontInfo) => (f.italic === italic ? 0 : 10_000) + Math.abs(f.weight - weight);
  return members.reduce((best, f) => (score(f) < score(best) ? f : best));
}

/** The markdown body as React elements (never an HTML string); pictures point where `assetUrl` says. */
export function bodyToReact(tree: HastRoot, assetUrl: AssetUrl = fileUrl): ReactNode {
  return toJsxRuntime(tree, {
    Fragment,
    jsx,
    jsxs,
    elementAttributeNameCase: "react",
    stylePropertyNameCase: "dom",
    components: { img: (props: ComponentProps<"img">) => createElement("img", { ...props, src: props.src ? assetUrl(String(props.src)) : undefined }) },
  });
}

function articleViewOf(a: Article, issueLanguage: string, picture: (p: Picture | undefined) => PictureView | undefined, assetUrl: AssetUrl): ArticleView {
  const language = a.language ?? issueLanguage;
  const date = a.date ? formatSpan(a.date, language) : undefined;
  return {
    anchor: a.anchor,
    language: a.language,
    title: a.title,
    tocTitle: a.toc ?? a.title,
    dateline: [date, a.place].filter(Boolean).join(languageOf(language).datelineDash) || undefined,
    picture: a.image && { ...picture(a.image)!, caption: a.image.caption },
    body: bodyToReact(a.body, assetUrl),
  };
}

/** Turns the issue model into what the templates take: the flat plan with ads in their places and bodies as React nodes. */
export function issueView(issue: Issue, assetUrl: AssetUrl = fileUrl): IssueView {
  const picture = (p: Picture | undefined): PictureView | undefined =>
    p && { src: assetUrl(p.path), caption: p.caption, credit: p.credit, shape: pictureShape(p.size), ratio: p.size?.height ? p.size.width / p.size.height : undefined };
  const m = issue.meta;
  const articleView = (a: Article) => articleViewOf(a, m.language, picture, assetUrl);
  let tone = 0;
  const adView = (ad: Ad): AdView => ({
    advertiser: ad.advertiser,
    label: m.labels.advertisement,
    language: ad.language,
    picture: picture(ad.image),
    body: bodyToReact(ad.body, assetUrl),
    tone: tone++,
    source: ad.file,
  });
  const placed = (kind: Ad["placement"]["kind"]) => issue.ads.filter((a) => a.placement.kind === kind);
  const after = (a: Article) =>
    issue.ads.filter((ad) => ad.placement.kind === "after" && ad.placement.slug === a.slug).map((ad) => ({ ...adView(ad), after: a.anchor }));
  const withAds = (a: Article) => ({ article: articleView(a), adsAfter: after(a) });
  const one = (kind: Ad["placement"]["kind"]) => {
    const ad = placed(kind)[0];
    return ad ? adView(ad) : undefined;
  };
  return {
    title: m.title,
    labels: m.labels,
    tagline: m.tagline,
    period: m.period,
    language: m.language,
    titleSource: m.titleSource,
    cover: {
      headlines: m.cover.headlines,
      feature: m.cover.feature && { title: m.cover.feature.title, date: m.cover.feature.date && formatSpan({ start: m.cover.feature.date.split("/")[0]!, end: m.cover.feature.date.split("/")[1] }, m.language) },
      picture: picture(m.cover.image),
    },
    masthead: m.publisher,
    insideFrontCover: one("inside-front-cover"),
    foreword: issue.foreword && {
      anchor: "a-foreword",
      title: issue.foreword.title,
      language: issue.foreword.language,
      author: issue.foreword.author,
      role: issue.foreword.role,
      body: bodyToReact(issue.foreword.body, assetUrl),
    },
    spotlight: { anchor: "a-spotlight", title: m.labels.spotlight, articles: issue.spotlight.map(withAds) },
    months: issue.months.map((month) => ({
      anchor: month.anchor,
      kicker: m.labels.news,
      more: m.labels.moreInContents,
      name: month.name,
      year: month.key.slice(0, 4),
      source: `months/${month.key}`,
      articles: month.articles.map(withAds),
    })),
    flashBriefing: issue.flashBriefing && {
      anchor: issue.flashBriefing.anchor,
      title: issue.flashBriefing.title,
      language: issue.flashBriefing.language,
      items: issue.flashBriefing.items.map((item) => ({ boxed: item.boxed, body: bodyToReact(item.body, assetUrl) })),
    },
    // Pages for the binding, printed only as many as it needs (src/layout/binding.ts): the filler ads, then the house page.
    fillers: placed("filler").map((ad) => ({ ...adView(ad), filler: ad.file })),
    housePage: m.page.fill === "house" ? { title: m.labels.about, issueTitle: m.title, titleSource: m.titleSource, tagline: m.tagline, period: m.period, masthead: m.publisher, headlines: m.cover.headlines, labels: m.labels } : undefined,
    notesPages: m.page.fill === "house" ? 2 : 0,
    insideBackCover: one("inside-back-cover"),
    backCover: one("back-cover"),
  };
}

/** Renders the issue to the HTML document that Paged.js paginates, with the issue's bleed around every page. */
export function renderIssue(issue: Issue, options: RenderOptions = {}): string {
  return renderIssueUnits(issue, options).html;
}

/** The issue's document, its head alone (everything but the body's units), and the markup of each unit of layout, in order. */
export interface RenderedIssue {
  html: string;
  head: string;
  units: string[];
  /** A document of these units alone (by their number), with the same head: what a share of the layout loads. */
  documentOf(units: number[]): string;
}

/** Renders the issue's document and, apart, each of its units of layout (the body's children, each starting a page): what the layout cache keys on. */
export function renderIssueUnits(issue: Issue, options: RenderOptions = {}): RenderedIssue {
  const assetUrl = options.assetUrl ?? fileUrl;
  const view = issueView(issue, assetUrl);
  const stylesheets = [assetUrl(PRINT_STYLESHEET)];
  const page = issue.meta.page;
  // Trim size and bleed come from issue.yml, and the grid from the trim size: the rules not in the designer's stylesheet.
  const pageCss =
    `@page{size:${page.widthMm}mm ${page.heightMm}mm;bleed:${page.bleedMm}mm}` +
    `:root{--trim-width:${page.widthMm}mm;--trim-height:${page.heightMm}mm;--bleed:${page.bleedMm}mm}` +
    gridCss(gridFor(page.widthMm, page.heightMm));
  // React puts a preload link for each picture before a unit rendered on its own: a browser hint only, dropped, so that the body's children are the units.
  // Each unit carries its number (`data-unit`), so that a document of some units alone still names them as the whole one does.
  const units = issueUnits(view).map((unit, i) =>
    renderToStaticMarkup(unit)
      .replace(/^(?:<link rel="preload"[^>]*>)+/, "")
      .replace(/^<([a-zA-Z][\w-]*)/, `<$1 data-unit="${i}"`),
  );
  const document = (body: string[]) =>
    renderToStaticMarkup(createElement(IssueDocument, { issue: view, stylesheets, scripts: options.scripts ?? [], fontFaces: `${fontFaceCss(assetUrl, issue.meta.fonts, issue.meta.shipped)}\n${pageCss}`, units: body }));
  return {
    html: `<!DOCTYPE html>\n${document(units)}`,
    head: document([]),
    units,
    documentOf: (list) => `<!DOCTYPE html>\n${document(list.map((i) => units[i]!))}`,
  };
}
