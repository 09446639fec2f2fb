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
import { IssueDocument } from "../../templates/Document.js";
import type { AdView, ArticleView, IssueView, PictureView } from "../../templates/types.js";

import { FONTS_DIR, TEMPLATES_DIR } from "../paths.js";
import { gridCss, gridFor } from "./grid.js";

/** The fonts the templates use: TrueType outlines, so Chromium embeds them as TrueType, never Type 3. */
const FONTS: { family: string; file: string; weight: number; style: "normal" | "italic" }[] = [
  { family: "PT Serif", file: "PTSerif-Regular.ttf", weight: 400, style: "normal" },
  { family: "PT Serif", file: "PTSerif-Italic.ttf", weight: 400, style: "italic" },
  { family: "PT Serif", file: "PTSerif-Bold.ttf", weight: 700, style: "normal" },
  { family: "PT Serif", file: "PTSerif-BoldItalic.ttf", weight: 700, style: "italic" },
  { family: "PT Sans", file: "PTSans-Regular.ttf", weight: 400, style: "normal" },
  { family: "PT Sans", file: "PTSans-Italic.ttf", weight: 400, style: "italic" },
  { family: "PT Sans", file: "PTSans-Bold.ttf", weight: 700, style: "normal" },
  { family: "PT Sans", file: "PTSans-BoldItalic.ttf", weight: 700, style: "italic" },
];

/** How the document refers to a local file: a file:// URL for Chromium, or a server's URL for the preview. */
export type AssetUrl = (path: string) => string;
const fileUrl: AssetUrl = (path) => pathToFileURL(path).href;

export interface RenderOptions {
  /** Maps the absolute path of a picture, font or stylesheet to the URL the document uses; default file:// URLs. */
  assetUrl?: AssetUrl;
  /** Scripts for the document's head (the preview's Paged.js and live reload). */
  scripts?: string[];
}

/** @font-face rules pointing at the repository's font files (never the network or the system). */
export function fontFaceCss(assetUrl: AssetUrl = fileUrl): string {
  return FONTS.map(
    (f) =>
      `@font-face{font-family:"${f.family}";src:url("${assetUrl(join(FONTS_DIR, f.file))}") format("truetype");font-weight:${f.weight};font-style:${f.style};font-display:block}`,
  ).join("\n");
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

function articleViewOf(a: Article, picture: (p: Picture | undefined) => PictureView | undefined, assetUrl: AssetUrl): ArticleView {
  const date = a.date ? formatSpan(a.date) : undefined;
  return {
    anchor: a.anchor,
    title: a.title,
    tocTitle: a.toc ?? a.title,
    dateline: [date, a.place].filter(Boolean).join(" – ") || undefined,
    picture: a.image && { ...picture(a.image)!, caption: a.image.caption },
    body: bodyToReact(a.body, assetUrl),
  };
}

/** Turns the issue model into what the templates take: the flat plan with ads in their places and bodies as React nodes. */
export function issueView(issue: Issue, assetUrl: AssetUrl = fileUrl): IssueView {
  const picture = (p: Picture | undefined): PictureView | undefined =>
    p && { src: assetUrl(p.path), caption: p.caption, credit: p.credit, shape: pictureShape(p.size), ratio: p.size?.height ? p.size.width / p.size.height : undefined };
  const articleView = (a: Article) => articleViewOf(a, picture, assetUrl);
  let tone = 0;
  const adView = (ad: Ad): AdView => ({ advertiser: ad.advertiser, picture: picture(ad.image), body: bodyToReact(ad.body, assetUrl), tone: tone++, source: ad.file });
  const placed = (kind: Ad["placement"]["kind"]) => issue.ads.filter((a) => a.placement.kind === kind);
  const after = (a: Article) =>
    issue.ads.filter((ad) => ad.placement.kind === "after" && ad.placement.slug === a.slug).map((ad) => ({ ...adView(ad), after: a.anchor }));
  const withAds = (a: Article) => ({ article: articleView(a), adsAfter: after(a) });
  const one = (kind: Ad["placement"]["kind"]) => {
    const ad = placed(kind)[0];
    return ad ? adView(ad) : undefined;
  };
  const m = issue.meta;
  return {
    title: m.title,
    tagline: m.tagline,
    period: m.period,
    language: m.language,
    titleSource: m.titleSource,
    cover: {
      headlines: m.cover.headlines,
      feature: m.cover.feature && { title: m.cover.feature.title, date: m.cover.feature.date && formatSpan({ start: m.cover.feature.date.split("/")[0]!, end: m.cover.feature.date.split("/")[1] }) },
      picture: picture(m.cover.image),
    },
    masthead: m.publisher,
    insideFrontCover: one("inside-front-cover"),
    foreword: issue.foreword && {
      anchor: "a-foreword",
      title: issue.foreword.title,
      author: issue.foreword.author,
      role: issue.foreword.role,
      body: bodyToReact(issue.foreword.body, assetUrl),
    },
    spotlight: { anchor: "a-spotlight", articles: issue.spotlight.map(withAds) },
    months: issue.months.map((month) => ({
      anchor: month.anchor,
      name: month.name,
      year: month.key.slice(0, 4),
      source: `months/${month.key}`,
      articles: month.articles.map(withAds),
    })),
    flashBriefing: issue.flashBriefing && {
      anchor: issue.flashBriefing.anchor,
      title: issue.flashBriefing.title,
      items: issue.flashBriefing.items.map((item) => ({ boxed: item.boxed, body: bodyToReact(item.body, assetUrl) })),
    },
    insideBackCover: one("inside-back-cover"),
    backCover: one("back-cover"),
  };
}

/** Renders the issue to the HTML document that Paged.js paginates, with the issue's bleed around every page. */
export function renderIssue(issue: Issue, options: RenderOptions = {}): string {
  const assetUrl = options.assetUrl ?? fileUrl;
  const view = issueView(issue, assetUrl);
  const stylesheets = [assetUrl(join(TEMPLATES_DIR, "css", "print.css"))];
  const page = issue.meta.page;
  // Trim size and bleed come from issue.yml, and the grid from the trim size: the rules not in the designer's stylesheet.
  const pageCss =
    `@page{size:${page.widthMm}mm ${page.heightMm}mm;bleed:${page.bleedMm}mm}` +
    `:root{--trim-width:${page.widthMm}mm;--trim-height:${page.heightMm}mm;--bleed:${page.bleedMm}mm}` +
    gridCss(gridFor(page.widthMm, page.heightMm));
  const markup = renderToStaticMarkup(createElement(IssueDocument, { issue: view, stylesheets, scripts: options.scripts ?? [], fontFaces: `${fontFaceCss(assetUrl)}\n${pageCss}` }));
  return `<!DOCTYPE html>\n${markup}`;
}
