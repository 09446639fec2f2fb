import type { Root as HastRoot } from "hast";
import type { PixelSize } from "./picture-type.js";
import type { FontInfo } from "./fonts.js";
import type { ShippedFace } from "./fallbacks.js";
import type { Labels } from "./language.js";

/** The typed model of an issue: what the content stage hands to the render stage. */
export interface Issue {
  /** The issue's name, e.g. `2024-q3`. */
  id: string;
  /** Absolute path of the issue folder. */
  dir: string;
  meta: IssueMeta;
  foreword?: Foreword;
  spotlight: Article[];
  months: Month[];
  flashBriefing?: FlashBriefing;
  ads: Ad[];
}

export interface IssueMeta {
  title: string;
  tagline?: string;
  period: string;
  /** The issue's language (BCP 47), e.g. `en` or `ru`: its hyphenation, quotes, dates and labels. */
  language: string;
  /** The fixed words the templates print, in the issue's language or as issue.yml `labels:` sets them. */
  labels: Labels;
  /** The issue's own fonts (issue.yml `fonts:`), the typefaces' fallbacks for other scripts, in the order given. */
  fonts: FontInfo[];
  /** The fallback faces digest ships that print what neither the typefaces nor \`fonts:\` have (src/content/fallbacks.ts); none for Latin and Cyrillic. */
  shipped: ShippedFace[];
  publisher?: Publisher;
  cover: { headlines: string[]; feature?: { title: string; date?: string }; image?: Picture };
  page: PageSetup;
  /** Where the title is written, `issue.yml:line:column`, for problems found once the pages are laid out. */
  titleSource: string;
}

export interface Publisher {
  name: string;
  address?: string;
  phone?: string;
  email?: string;
  web?: string;
  social: string[];
}

/** Trim size and binding, as the printer needs them. */
export interface PageSetup {
  /** CSS `size` value, e.g. `A4` or `210mm 297mm`. */
  size: string;
  /** Trim width and height in millimetres. */
  widthMm: number;
  heightMm: number;
  bleedMm: number;
  binding: "saddle-stitch" | "perfect";
  /** What fills the pages the binding needs after the filler ads: the house page and notes pages, or blank pages. */
  fill: "house" | "blank";
}

/** A picture file inside the issue folder. */
export interface Picture {
  /** Absolute path on disk. */
  path: string;
  caption?: string;
  credit?: string;
  /** Its size in pixels (none for SVG). */
  size?: PixelSize;
  /** Where it is named, `file:line:column`. */
  source?: string;
}

/** A day or a span of days, from front matter `date`. */
export interface DateSpan {
  start: string;
  end?: string;
}

export interface Article {
  /** `2024-08/sg-visits-south-korea`, or `spotlight/ministerial-conference`. */
  slug: string;
  /** The HTML id the contents list and the outline point at. */
  anchor: string;
  /** The source file, relative to the issue folder. */
  file: string;
  title: string;
  /** The article's language when it is not the issue's (front matter `language:`). */
  language?: string;
  /** Shorter title for the contents list. */
  toc?: string;
  date?: DateSpan;
  place?: string;
  image?: Picture;
  body: HastRoot;
}

export interface Month {
  /** `2024-07` */
  key: string;
  /** `July` */
  name: string;
  anchor: string;
  articles: Article[];
}

export interface Foreword {
  file: string;
  title: string;
  language?: string;
  author: string;
  role?: string;
  body: HastRoot;
}

export interface FlashItem {
  /** Boxed notices start with a `##` heading. */
  boxed: boolean;
  body: HastRoot;
}

export interface FlashBriefing {
  file: string;
  title: string;
  language?: string;
  anchor: string;
  items: FlashItem[];
}

export type AdPlacement =
  | { kind: "inside-front-cover" }
  | { kind: "inside-back-cover" }
  | { kind: "back-cover" }
  /** A house ad printed only when the binding needs a page, in file order, before the inside back cover. */
  | { kind: "filler" }
  | { kind: "after"; slug: string };

export interface Ad {
  file: string;
  advertiser: string;
  language?: string;
  placement: AdPlacement;
  image?: Picture;
  body: HastRoot;
}
