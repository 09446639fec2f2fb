/** A dateline read from the first paragraph of a story: its date (ISO, or a span) and its place. */
export interface Dateline {
  /** `2024-07-04`, or a span `2024-07-15/2024-07-18`. */
  date?: string;
  place?: string;
  /** The text after a run-in dateline ("ASTANA, 4 July 2024 – The Secretary General…"), if any. */
  rest?: string;
}

const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
const month = `(${MONTHS.map((m) => `${m[0]!.toUpperCase()}${m.slice(1, 3)}(?:${m.slice(3)})?`).join("|")})\\.?`;
const DASH = "\\s*[–—-]\\s*";
// 4 July 2024 · 4–6 July 2024 · 30 July – 2 August 2024 · July 4, 2024 · July 4–6, 2024 · 2024-07-04
const DATE_FORMS: { re: string; read: (m: string[]) => string | undefined }[] = [
  { re: `(\\d{1,2})${DASH}(\\d{1,2})\\s+${month}\\s+(\\d{4})`, read: (m) => span(m[4]!, m[3]!, m[1]!, m[3]!, m[2]!) },
  { re: `(\\d{1,2})\\s+${month}${DASH}(\\d{1,2})\\s+${month}\\s+(\\d{4})`, read: (m) => span(m[5]!, m[2]!, m[1]!, m[4]!, m[3]!) },
  { re: `(\\d{1,2})\\s+${month},?\\s+(\\d{4})`, read: (m) => day(m[3]!, m[2]!, m[1]!) },
  { re: `${month}\\s+(\\d{1,2})${DASH}(\\d{1,2}),?\\s+(\\d{4})`, read: (m) => span(m[4]!, m[1]!, m[2]!, m[1]!, m[3]!) },
  { re: `${month}\\s+(\\d{1,2}),?\\s+(\\d{4})`, read: (m) => day(m[3]!, m[1]!, m[2]!) },
  { re: `(\\d{4})-(\\d{2})-(\\d{2})`, read: (m) => valid(`${m[1]}-${m[2]}-${m[3]}`) },
];

function valid(iso: string): string | undefined {
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso ? iso : undefined;
}

function day(year: string, monthName: string, dayOfMonth: string): string | undefined {
  const m = MONTHS.findIndex((name) => name.startsWith(monthName.toLowerCase().replace(".", "").slice(0, 3))) + 1;
  return valid(`${year}-${String(m).padStart(2, "0")}-${dayOfMonth.padStart(2, "0")}`);
}

function span(year: string, m1: string, d1: string, m2: string, d2: string): string | undefined {
  const start = day(year, m1, d1);
  const end = day(year, m2, d2);
  return start && end && end > start ? `${start}/${end}` : undefined;
}

/** "ASTANA" → "Astana", "NUR-SULTAN, KAZAKHSTAN" → "Nur-Sultan, Kazakhstan"; a place in mixed case is kept as written. */
function placeName(text: string): string | undefined {
  const place = text.trim().replace(/[.:,;]+$/, "").trim();
  // A place is a few words of names: anything longer is the story's first sentence.
  if (!place || place.length > 60 || /\d/.test(place) || place.split(/\s+/).length > 6) return undefined;
  if (place !== place.toUpperCase()) return place;
  return place.toLowerCase().replace(/(^|[\s,(/-])(\p{L})/gu, (_, before: string, letter: string) => before + letter.toUpperCase());
}

/** The date at the start or the end of `text`, and what is left of it. */
function findDate(text: string, where: "start" | "end"): { date: string; rest: string } | undefined {
  for (const form of DATE_FORMS) {
    const m = new RegExp(where === "start" ? `^${form.re}` : `${form.re}$`, "i").exec(text);
    const date = m && form.read([...m]);
    if (m && date) return { date, rest: where === "start" ? text.slice(m[0].length) : text.slice(0, m.index) };
  }
  return undefined;
}

/**
 * Reads a dateline: "4 July 2024 – Astana", "4 July 2024, Astana, Kazakhstan",
 * "ASTANA, 4 July 2024", "Astana, July 4, 2024", "4 July 2024" alone, or run into the
 * first sentence ("ASTANA, 4 July 2024 – The Secretary General…"). Undefined when
 * the paragraph is not one.
 */
export function readDateline(paragraph: string): Dateline | undefined {
  const text = paragraph.replace(/\s+/g, " ").trim();
  // Date first: "4 July 2024 – Astana, Kazakhstan", or the date alone.
  const first = findDate(text, "start");
  if (first) {
    const rest = first.rest.replace(/^[\s.]*$/, "");
    if (!rest) return { date: first.date };
    const m = new RegExp(`^(?:${DASH}|\\s*[,:]\\s*)(.+)$`).exec(rest);
    const place = m && placeName(m[1]!);
    return place && text.length <= 100 ? { date: first.date, place } : undefined;
  }
  // Place first: "ASTANA, 4 July 2024", "Astana, Kazakhstan, 4 July 2024", perhaps run in: "ASTANA, 4 July 2024 – The Secretary General…".
  for (let comma = text.indexOf(","); comma > 0 && comma <= 60; comma = text.indexOf(",", comma + 1)) {
    const place = placeName(text.slice(0, comma));
    const date = findDate(text.slice(comma + 1).trim(), "start");
    if (!place || !date) continue;
    const after = date.rest.replace(/^\s*\.?\s*$/, "");
    if (!after) return { date: date.date, place };
    const runIn = new RegExp(`^${DASH}(.+)$`).exec(after);
    if (runIn) return { date: date.date, place, rest: runIn[1]!.trim() };
  }
  return undefined;
}
