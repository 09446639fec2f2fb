import type { LaidOutDocument, LayoutStage } from "./paginate.js";

/** A section's pages as laid out: where its last page ends. */
interface SectionFit {
  /** The section's name as printed (`Foreword`, `September`, `Flash Briefing`). */
  name: string;
  /** How full its last page is, as a share of the text area's height. */
  lastFill: number;
  /** The page count of the section. */
  pages: number;
}

/** What a layout is judged by: its faults, weighted, and what each section's last page looks like. */
interface Judgement {
  score: number;
  sections: SectionFit[];
  pageCount: number;
}

/** What copyfitting did, for the build's report. */
export interface CopyfitResult {
  /** The sections set tighter, by name. */
  tightened: string[];
  /** Layouts tried beyond the first. */
  tries: number;
}

/** Below this share of its text area, the last page of a section is near-empty (the layout report's limit too). */
export const NEAR_EMPTY = 0.25;

/**
 * Judges the live layout: near-empty last pages of sections weigh most, then
 * stranded headlines, widows and orphans (found by paged-handlers.js), then the
 * page count (fewer is better, all else equal).
 */
async function judge(document: LaidOutDocument): Promise<Judgement> {
  const measured = (await document.page.evaluate((nearEmpty: number) => {
    const pages = Array.from(window.document.querySelectorAll<HTMLElement>(".pagedjs_page"));
    const sections: { name: string; lastFill: number; pages: number }[] = [];
    const seen = new Map<string, HTMLElement[]>();
    for (const pageEl of pages) {
      for (const el of Array.from(pageEl.querySelectorAll<HTMLElement>("[data-section]"))) {
        const name = el.getAttribute("data-section")!;
        if (!seen.has(name)) seen.set(name, []);
        const list = seen.get(name)!;
        if (!list.includes(pageEl)) list.push(pageEl);
      }
    }
    for (const [name, list] of seen) {
      const last = list[list.length - 1]!;
      const area = last.querySelector(".pagedjs_page_content")!.getBoundingClientRect();
      let bottom = area.top;
      // What the reader sees: text blocks and pictures, not the boxes around them (a column box spans its column).
      for (const el of Array.from(last.querySelectorAll<HTMLElement>("[data-section] :is(p, li, h1, h2, h3, h4, figure, table, pre, blockquote, dl)"))) {
        for (const r of Array.from(el.getClientRects())) if (r.height && r.bottom <= area.bottom + 1) bottom = Math.max(bottom, r.bottom);
      }
      sections.push({ name, lastFill: area.height ? (bottom - area.top) / area.height : 1, pages: list.length });
    }
    const flaws = (window as unknown as { digestLayoutFlaws(): { kind: string }[] }).digestLayoutFlaws();
    const weight: Record<string, number> = { "stranded-headline": 5, widow: 2, orphan: 2, clipped: 100, overflow: 100 };
    const flawScore = flaws.reduce((n, f) => n + (weight[f.kind] ?? 0), 0);
    const nearEmptyScore = sections.filter((s) => s.pages > 1 && s.lastFill < nearEmpty).length * 10;
    return { score: flawScore + nearEmptyScore, sections, pageCount: pages.length };
  }, NEAR_EMPTY)) as Judgement;
  return measured;
}

/** The settings paged-start.js reads from the URL's fragment: the sections to set tighter. */
export function copyfitSettings(tighten: string[]): string {
  return tighten.length ? `copyfit=${tighten.map(encodeURIComponent).join("|")}` : "";
}

/**
 * The copyfitting stage. After the first layout, a section whose last page holds
 * less than a quarter of a page of text is set tighter (the variant
 * `copyfit-tight` in the stylesheet: tracking −1 %, less space between
 * paragraphs, items and articles, pictures at 90 % of their width; never the type
 * size or the grid) and the document is laid out again. The tighter layout is kept
 * only if it is better; otherwise the first one is laid out again. At most two
 * layouts beyond the first, and none when the first has nothing to mend.
 */
export function copyfit(result: CopyfitResult): LayoutStage {
  return async (document) => {
    const first = await judge(document);
    const tighten = first.sections.filter((s) => s.pages > 1 && s.lastFill < NEAR_EMPTY).map((s) => s.name);
    if (!tighten.length) return;
    await document.relayout(copyfitSettings(tighten));
    result.tries = 1;
    const second = await judge(document);
    if (second.score < first.score || (second.score === first.score && second.pageCount < first.pageCount)) {
      result.tightened = tighten;
      return;
    }
    await document.relayout("");
    result.tries = 2;
  };
}
