import type { ReactNode } from "react";

/**
 * What the templates receive: plain data and ready React nodes, nothing to read or
 * compute. The render stage (src/render/) builds these from the issue model.
 */
export interface PictureView {
  src: string;
  caption?: string;
  credit?: string;
  /** How it is set: a panorama across the columns, a portrait in one column, a landscape filling its width. */
  shape?: "panorama" | "landscape" | "portrait";
  /** Width ÷ height, when known: a tall picture is set narrower so that it fits the page's height. */
  ratio?: number;
}

export interface ArticleView {
  anchor: string;
  /** The article's language when it is not the issue's (`lang`). */
  language?: string;
  title: string;
  /** The line in the contents list. */
  tocTitle: string;
  /** `4 July 2024 – Astana, Kazakhstan`, when the article has a date or place. */
  dateline?: string;
  picture?: PictureView;
  body: ReactNode;
}

export interface AdView {
  advertiser: string;
  /** The line on the page that says it is an ad: `Advertisement`, `Реклама`. */
  label: string;
  language?: string;
  /** The anchor of the article this ad follows: it is printed on the page after the one where that article ends. */
  after?: string;
  picture?: PictureView;
  body: ReactNode;
  /** Which of the ad palettes to use when the ad has no picture. */
  tone: number;
  /** The ad's file, named when its copy cannot be fitted to the page. */
  source?: string;
  /** For a filler ad (`placement: filler`), its file: printed only when the binding needs the page. */
  filler?: string;
}

export interface MonthView {
  anchor: string;
  /** The kicker above the month's name: `News`. */
  kicker: string;
  /** The list's last line when not every article fits on the opener: `… and {n} more: see the contents`. */
  more?: string;
  name: string;
  year: string;
  articles: { article: ArticleView; adsAfter: AdView[] }[];
  /** The month's folder, named when its opener cannot be fitted to the page. */
  source?: string;
}

export interface MastheadView {
  name: string;
  address?: string;
  phone?: string;
  email?: string;
  web?: string;
  social: string[];
}

/** The fixed words of the page furniture, in the issue's language (or as issue.yml `labels:` sets them). */
export interface LabelsView {
  contents: string;
  spotlight: string;
  /** The masthead's first line, with the issue's title: `CICA Digest is published by`. */
  publishedBy: string;
  /** `… and {n} more: see the contents`, when a month opener cannot list every article. */
  moreInContents: string;
  /** The house page's title. */
  about: string;
  /** The notes page's title. */
  notes: string;
  address: string;
  phone: string;
  email: string;
  web: string;
  social: string;
}

export interface IssueView {
  title: string;
  labels: LabelsView;
  tagline?: string;
  period: string;
  language: string;
  /** Where the title is written (`issue.yml:line:column`), named when it cannot be fitted to the cover. */
  titleSource?: string;
  cover: { headlines: string[]; feature?: { title: string; date?: string }; picture?: PictureView };
  masthead?: MastheadView;
  foreword?: { anchor: string; title: string; language?: string; author: string; role?: string; body: ReactNode };
  /** `title`: the section's name, `In the Spotlight`. */
  spotlight: { anchor: string; title: string; articles: { article: ArticleView; adsAfter: AdView[] }[] };
  months: MonthView[];
  flashBriefing?: { anchor: string; title: string; language?: string; items: { boxed: boolean; body: ReactNode }[] };
  insideFrontCover?: AdView;
  /** Filler ads, printed only as many as the binding needs, before the inside back cover. */
  fillers: AdView[];
  /** The publisher's house page, then ruled pages for notes: printed only when the binding needs pages after the fillers. */
  housePage?: HousePageView;
  /** How many notes pages may follow the house page (none when the issue asks for blank pages instead). */
  notesPages: number;
  insideBackCover?: AdView;
  backCover?: AdView;
}

/** The house page: the publication and its publisher, set as a full page. */
export interface HousePageView {
  title: string;
  issueTitle: string;
  tagline?: string;
  period: string;
  /** Where the title is written, named when it cannot be fitted to the page. */
  titleSource?: string;
  /** The publisher, when issue.yml names one; otherwise the page lists the cover's headlines. */
  masthead?: MastheadView;
  headlines: string[];
  labels: LabelsView;
}
