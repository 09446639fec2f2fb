/**
 * What a language changes in the printed issue: its quotation marks, the fixed
 * words of the page furniture (labels), the dash between a dateline's date and
 * place, and whether digest can set it at all (left to right only, for now).
 */

/** The fixed words the templates print, in the editors' names (the keys of issue.yml `labels:`). */
export interface Labels {
  /** The contents page's heading. */
  contents: string;
  /** The spotlight section's name (contents, cover, kicker, bookmarks). */
  spotlight: string;
  /** The foreword's title when foreword.md gives none. */
  foreword: string;
  /** The flash briefing's title when flash-briefing.md gives none. */
  flashBriefing: string;
  /** The line printed on every advertisement page. */
  advertisement: string;
  /** The kicker above a month's name on its opener. */
  news: string;
  /** The masthead's first line; `{title}` is replaced by the title. */
  publishedBy: string;
  address: string;
  phone: string;
  email: string;
  web: string;
  social: string;
  /** The last line of a month opener's list when not every article fits on it; `{n}` is how many are left out. */
  moreInContents: string;
  /** The title of the house page that fills a page the binding needs (issue.yml's publisher, contacts, web). */
  about: string;
  /** The title of a ruled page for the reader's notes, the last filler the binding takes. */
  notes: string;
}

/** issue.yml `labels:` keys, as editors write them, and the label each sets. */
export const LABEL_KEYS = {
  contents: "contents",
  spotlight: "spotlight",
  foreword: "foreword",
  "flash-briefing": "flashBriefing",
  advertisement: "advertisement",
  news: "news",
  "published-by": "publishedBy",
  address: "address",
  phone: "phone",
  email: "email",
  web: "web",
  social: "social",
  "more-in-contents": "moreInContents",
  about: "about",
  notes: "notes",
} as const satisfies Record<string, keyof Labels>;

const LABELS: Record<string, Labels> = {
  en: {
    contents: "In this issue",
    spotlight: "In the Spotlight",
    foreword: "Foreword",
    flashBriefing: "Flash Briefing",
    advertisement: "Advertisement",
    news: "News",
    publishedBy: "{title} is published by",
    address: "Address",
    phone: "Phone",
    email: "E-mail",
    web: "Web",
    social: "Social",
    moreInContents: "… and {n} more: see the contents",
    about: "About us",
    notes: "Notes",
  },
  ru: {
    contents: "В этом номере",
    spotlight: "В центре внимания",
    foreword: "Вступительное слово",
    flashBriefing: "Коротко",
    advertisement: "Реклама",
    news: "Новости",
    publishedBy: "Издатель {title}",
    address: "Адрес",
    phone: "Телефон",
    email: "Эл. почта",
    web: "Сайт",
    social: "Соцсети",
    moreInContents: "… и ещё {n}: см. содержание",
    about: "О нас",
    notes: "Для заметок",
  },
  de: {
    contents: "In dieser Ausgabe",
    spotlight: "Im Blickpunkt",
    foreword: "Vorwort",
    flashBriefing: "Kurz gemeldet",
    advertisement: "Anzeige",
    news: "Nachrichten",
    publishedBy: "{title} wird herausgegeben von",
    address: "Adresse",
    phone: "Telefon",
    email: "E-Mail",
    web: "Web",
    social: "Soziale Medien",
    moreInContents: "… und {n} weitere: siehe Inhalt",
    about: "Über uns",
    notes: "Notizen",
  },
  fr: {
    contents: "Dans ce numéro",
    spotlight: "À la une",
    foreword: "Avant-propos",
    flashBriefing: "En bref",
    advertisement: "Publicité",
    news: "Actualités",
    publishedBy: "{title} est publié par",
    address: "Adresse",
    phone: "Téléphone",
    email: "Courriel",
    web: "Site web",
    social: "Réseaux sociaux",
    moreInContents: "… et {n} de plus : voir le sommaire",
    about: "À propos",
    notes: "Notes",
  },
};

/** A language's quotation marks: the outer pair, the pair for a quote inside a quote, the apostrophe. */
export interface Quotes {
  outer: [open: string, close: string];
  inner: [open: string, close: string];
  apostrophe: string;
  /** Put between the marks and the words they enclose (French: a narrow no-break space). */
  padding: string;
}

const QUOTES: Record<string, Quotes> = {
  en: { outer: ["\u201C", "\u201D"], inner: ["\u2018", "\u2019"], apostrophe: "\u2019", padding: "" },
  // «ёлочки» outside, „лапки“ inside (the same marks for Ukrainian, Belarusian, Kazakh, Kyrgyz).
  ru: { outer: ["\u00AB", "\u00BB"], inner: ["\u201E", "\u201C"], apostrophe: "\u2019", padding: "" },
  de: { outer: ["\u201E", "\u201C"], inner: ["\u201A", "\u2018"], apostrophe: "\u2019", padding: "" },
  // « guillemets » with narrow no-break spaces inside, “ ” for a quote inside a quote.
  fr: { outer: ["\u00AB", "\u00BB"], inner: ["\u201C", "\u201D"], apostrophe: "\u2019", padding: "\u202F" },
  es: { outer: ["\u00AB", "\u00BB"], inner: ["\u201C", "\u201D"], apostrophe: "\u2019", padding: "" },
  pl: { outer: ["\u201E", "\u201D"], inner: ["\u00AB", "\u00BB"], apostrophe: "\u2019", padding: "" },
  cs: { outer: ["\u201E", "\u201C"], inner: ["\u201A", "\u2018"], apostrophe: "\u2019", padding: "" },
  ja: { outer: ["\u300C", "\u300D"], inner: ["\u300E", "\u300F"], apostrophe: "\u2019", padding: "" },
};
for (const tag of ["uk", "be", "kk", "ky"]) QUOTES[tag] = QUOTES.ru!;
for (const tag of ["it", "pt"]) QUOTES[tag] = QUOTES.es!;
for (const tag of ["sk", "sl", "bg", "lt", "et"]) QUOTES[tag] = QUOTES.cs!;

/** Languages written right to left, should the platform's Intl not say. */
const RIGHT_TO_LEFT = new Set(["ar", "arc", "ckb", "dv", "fa", "ha-arab", "he", "iw", "khw", "ks", "ku-arab", "ps", "sd", "syr", "ug", "ur", "yi"]);

/** Everything digest sets differently for one language. */
export interface Language {
  /** The BCP 47 tag as written, e.g. `ru` or `en-GB`. */
  tag: string;
  /** The locale for dates: `en` is British English, as in the hyphenation. */
  dateLocale: string;
  quotes: Quotes;
  /** The fixed words, when digest has them for this language. */
  labels?: Labels;
  /** Between a dateline's date and its place: `4 July 2024 – Astana`, `4 июля 2024 г. — Астана`. */
  datelineDash: string;
}

/** The primary language subtag: `en-GB` → `en`. */
function primary(tag: string): string {
  return tag.toLowerCase().split("-")[0]!;
}

/** Whether text in this language runs right to left (Arabic, Hebrew, Persian, Urdu…). */
export function isRightToLeft(tag: string): boolean {
  try {
    const locale = new Intl.Locale(tag) as Intl.Locale & { textInfo?: { direction?: string }; getTextInfo?: () => { direction?: string } };
    const info = locale.getTextInfo?.() ?? locale.textInfo;
    if (info?.direction) return info.direction === "rtl";
  } catch {
    // not a tag Intl knows: the list decides
  }
  return RIGHT_TO_LEFT.has(tag.toLowerCase()) || RIGHT_TO_LEFT.has(primary(tag));
}

/** How digest sets text in `tag`. */
export function languageOf(tag: string): Language {
  const lang = primary(tag);
  return {
    tag,
    dateLocale: tag.toLowerCase() === "en" ? "en-GB" : tag,
    quotes: QUOTES[lang] ?? QUOTES.en!,
    labels: LABELS[lang],
    datelineDash: ["ru", "uk", "be", "bg", "kk", "ky"].includes(lang) ? " \u2014 " : " \u2013 ",
  };
}

/** The labels to print: the editors' own from issue.yml over the language's (English where digest has none). */
export function labelsFor(tag: string, overrides: Partial<Labels> = {}): Labels {
  return { ...(languageOf(tag).labels ?? LABELS.en!), ...overrides };
}
