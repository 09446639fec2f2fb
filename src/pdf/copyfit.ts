import type { LaidOutDocument, LayoutStage } from "./paginate.js";

/** A section's pages as laid out: where its last page ends. */
export interface SectionFit {
  /** The section's name as printed (`Foreword`, `September`, `Flash Briefing`). */
  name: string;
  /** How full its last page is, as a share of the text area's height. */
  lastFill: number;
  /** The page count of the section. */
  pages: number;
}

/** What a layout is judged by: its faults, weighted, and what each section's last page looks like. */
export interface Judgement {
  score: number;
  sections: SectionFit[];
  pageCount: number;
}

/** What copyfitting did, for the build's report. */
export interface CopyfitResult {
  /** The sections set in a variant, by name, and the variant: `tight` or `loose`. */
  variants: Record<string, string>;
  /** Layouts tried beyond the first. */
  tries: number;
}

/**
 * Below this share of its text area, the last page of a section counts as
 * near-empty: the layout report's limit is a quarter, measured from under the
 * running head; a little more here keeps the two from disagreeing at the edge.
 */
export const NEAR_EMPTY = 0.28;

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

/**
 * The variants a short section is tried in, in this order: `tight` pulls its last
 * lines back (tracking −1 %, less space between paragraphs, items and articles,
 * pictures at 90 % of their width); `loose` pushes more onto its last page
 * (tracking +1 %, more space between them); `tight+long` is `tight` with its
 * pages a line longer (vertical justification: the page `long`, whose bottom
 * margin the grid sets one leading smaller). Type size, leading and the grid's
 * columns never change.
 */
export const VARIANTS = ["tight", "loose", "tight+long"] as const;

/** The settings paged-start.js reads from the URL's fragment: each section and the variant it is set in. */
export function copyfitSettings(variants: Map<string, string>): string {
  return variants.size ? `copyfit=${[...variants].map(([name, how]) => `${encodeURIComponent(name)}:${how}`).join("|")}` : "";
}

const isShort = (s: SectionFit) => s.pages > 1 && s.lastFill < NEAR_EMPTY;

/** Whether a section's layout is better than another's: not short, then fewer pages, then a fuller last page. */
function betterSection(a: SectionFit, b: SectionFit): boolean {
  if (isShort(a) !== isShort(b)) return !isShort(a);
  if (a.pages !== b.pages) return a.pages < b.pages;
  return a.lastFill > b.lastFill + 0.01;
}

/**
 * The copyfitting stage. After the first layout, each section whose last page
 * holds less than a quarter of a page of text is laid out in the first variant,
 * then those it did not mend in the next; since every section starts on a page of
 * its own, and a page's text width does not depend on its side, each section
 * takes the variant that serves it best. The result is kept only if its faults
 * (near-empty pages, stranded headlines, widows, orphans) are no more than the
 * first layout's. One layout beyond the first when the first variant mends every
 * short section, at most four; none when the first has nothing to mend. The
 * choice depends only on the laid-out pages: the same sources give the same pages.
 */
export function copyfit(result: CopyfitResult): LayoutStage {
  return async (document) => {
    const first = await judge(document);
    const short = first.sections.filter(isShort).map((s) => s.name);
    if (!short.length) return;
    const tried: Tried[] = [];
    const layOut = async (variants: Map<string, string>) => {
      await document.relayout(copyfitSettings(variants));
      result.tries++;
      const judgement = await judge(document);
      tried.push({ variants, judgement });
      return judgement;
    };
    // Each variant is tried on the sections no earlier variant has mended, the mended ones keeping theirs:
    // when the first variant mends every section, that layout is the one kept, at the cost of one layout.
    for (const variant of VARIANTS) {
      const best = bestFits(first, tried);
      const open = short.filter((name) => isShort(best.get(name)!.fit));
      if (!open.length) break;
      await layOut(new Map(short.map((name): [string, string] => [name, open.includes(name) ? variant : best.get(name)!.variant]).filter(([, how]) => how)));
    }
    const chosen = chooseVariants(first, tried);
    const last = tried[tried.length - 1]!;
    const same = chosen.size === last.variants.size && [...chosen].every(([name, how]) => last.variants.get(name) === how);
    const final = !chosen.size ? undefined : same ? last.judgement : await layOut(chosen);
    if (final && (final.score < first.score || (final.score === first.score && final.pageCount <= first.pageCount))) {
      result.variants = Object.fromEntries(chosen);
      return;
    }
    await layOut(new Map());
  };
}

/** A layout tried: the variant each section was set in (none for the first's), and how it was judged. */
export interface Tried {
  variants: Map<string, string>;
  judgement: Judgement;
}

/** For each short section of the first layout, its best layout so far: the variant it was set in ("" for the first) and its fit there. */
function bestFits(first: Judgement, tried: Tried[]): Map<string, { variant: string; fit: SectionFit }> {
  const best = new Map(first.sections.filter(isShort).map((fit) => [fit.name, { variant: "", fit }]));
  for (const { variants, judgement } of tried) {
    for (const fit of judgement.sections) {
      const held = best.get(fit.name);
      const variant = variants.get(fit.name) ?? "";
      if (held && variant && betterSection(fit, held.fit)) best.set(fit.name, { variant, fit });
    }
  }
  return best;
}

/**
 * For each short section of the first layout, the variant whose layout served it
 * best (none when none did better than the first): a pure function of the
 * judgements, so the same pages always give the same choice.
 */
export function chooseVariants(first: Judgement, tried: Tried[]): Map<string, string> {
  return new Map([...bestFits(first, tried)].filter(([, b]) => b.variant).map(([name, b]) => [name, b.variant]));
}
