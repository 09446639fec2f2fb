import type { DateSpan, PageSetup } from "./model.js";
import { languageOf } from "./language.js";

/** Intl's formatters, made once per language and kind. */
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: string, kind: "month" | "day"): Intl.DateTimeFormat {
  const key = `${locale}\0${kind}`;
  let f = formatters.get(key);
  if (!f) {
    const options: Intl.DateTimeFormatOptions = kind === "month" ? { month: "long", timeZone: "UTC" } : { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" };
    formatters.set(key, (f = new Intl.DateTimeFormat(locale, options)));
  }
  return f;
}

const utc = (day: string) => new Date(`${day}T00:00:00Z`);

/** Upper-cases the first letter as the language does: `июль` → `Июль`. */
function capitalise(word: string, locale: string): string {
  return word.charAt(0).toLocaleUpperCase(locale) + word.slice(1);
}

/** `2024-07` → `July` (`Июль` in Russian): the month's name as it stands alone, capitalised, from the platform's Intl. */
export function monthName(key: string, language = "en"): string {
  const { dateLocale } = languageOf(language);
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(key)) return key;
  return capitalise(formatter(dateLocale, "month").format(utc(`${key}-01`)), dateLocale);
}

/**
 * The three month folders a quarterly issue may have: `2024-q3` → 2024-07 … 2024-09,
 * also for an edition of it (`2024-q3-ru`); undefined for other names.
 */
export function quarterMonths(id: string): string[] | undefined {
  const m = /^(\d{4})-q([1-4])(?:-[a-z0-9][a-z0-9-]*)?$/i.exec(id);
  if (!m) return undefined;
  const first = (Number(m[2]) - 1) * 3 + 1;
  return [0, 1, 2].map((i) => `${m[1]}-${String(first + i).padStart(2, "0")}`);
}

/** `2024-q3` → `July–September 2024` (`Июль–сентябрь 2024`). */
export function quarterPeriod(id: string, language = "en"): string | undefined {
  const months = quarterMonths(id);
  if (!months) return undefined;
  const { dateLocale } = languageOf(language);
  const last = formatter(dateLocale, "month").format(utc(`${months[2]}-01`));
  return `${monthName(months[0]!, language)}\u2013${last} ${months[0]!.slice(0, 4)}`;
}

/**
 * A dateline's date as the language prints it, from Intl: `4 July 2024`, `15–18 July 2024`,
 * `30 July – 2 August 2024`; `4 июля 2024 г.`, `15–18 июля 2024 г.`.
 */
export function formatSpan(span: DateSpan, language = "en"): string {
  const { dateLocale, datelineDash } = languageOf(language);
  const f = formatter(dateLocale, "day");
  const text = span.end ? f.formatRange(utc(span.start), utc(span.end)) : f.format(utc(span.start));
  return (
    text
      // A range of days is set closed up (`15–18`); a range of dates spaced (`30 July – 2 August`).
      .replace(/(?<!\d)(\d{1,2}\.?)[\s\u2009\u202F]*\u2013[\s\u2009\u202F]*(\d)/g, "$1\u2013$2")
      .replace(/[\u2009\u202F]/g, " ")
      // Russian sets a spaced dash between dates as an em dash, like its dateline's dash.
      .replace(/ \u2013 /g, datelineDash)
      // `2024 г.`: the year and its abbreviation are never parted at a line's end.
      .replace(/(\d) (г\.|гг\.)/g, "$1\u00A0$2")
  );
}

const SIZES: Record<string, [number, number]> = {
  a3: [297, 420],
  a4: [210, 297],
  a5: [148, 210],
  b5: [176, 250],
  letter: [215.9, 279.4],
  legal: [215.9, 355.6],
};

/** Reads `page.size` (a name or two lengths) into millimetres; undefined when it is not understood. */
export function parsePageSize(size: string, bleed: string, binding: PageSetup["binding"], fill: PageSetup["fill"] = "house"): PageSetup | undefined {
  const named = SIZES[size.trim().toLowerCase()];
  let dims = named;
  if (!dims) {
    const m = /^\s*(\d+(?:\.\d+)?)(mm|cm|in)\s+(\d+(?:\.\d+)?)(mm|cm|in)\s*$/.exec(size);
    if (!m) return undefined;
    const mm = (v: string, u: string) => Number(v) * (u === "cm" ? 10 : u === "in" ? 25.4 : 1);
    dims = [mm(m[1]!, m[2]!), mm(m[3]!, m[4]!)];
  }
  return { size: `${dims[0]}mm ${dims[1]}mm`, widthMm: dims[0], heightMm: dims[1], bleedMm: Number.parseFloat(bleed), binding, fill };
}
