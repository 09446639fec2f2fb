import type { Page } from "puppeteer";
import type { LayoutStage } from "./paginate.js";

/** A section's pages as laid out: where its last page ends. */
export interface SectionFit {
  /** The section's name as printed (`Foreword`, `September`, `Flash Briefing`). */
  name: string;
  /** How full its last page is, as a share of the text area's height. */
  lastFill: number;
  /** The page count of the section. */
  pages: number;
  /** The unit of layout it belongs to (\`data-unit\`: the body's child that holds it). */
  unit: number;
  /** Its stranded headlines, widows and orphans, weighted (see \`judge\`). */
  faults: number;
  /** The number of its first page in the layout judged. */
  firstPage?: number;
  /** The lines of body text a full page of it holds (its columns times the lines a column holds). */
  linesPerPage?: number;
  /** Whether its first page may be sunk (`sunk`): the foreword, the spotlight and the flash briefing; a month opens on a page of its own. */
  sinkable?: boolean;
}

/** What a layout is judged by: its faults, weighted, and what each section's last page looks like. */
export interface Judgement {
  score: number;
  sections: SectionFit[];
  pageCount: number;
}

/** What copyfitting did, for the build's report. */
export interface CopyfitResult {
  /** The sections set in a variant, by name, and the variant: one of VARIANTS (`tight`, `tight+long`, `sunk`, …). */
  variants: Record<string, string>;
  /** The unit of layout of each section set in a variant, by name. */
  units: Record<string, number>;
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
 * Judges a live layout (the whole document, or a unit laid out alone): for each
 * section, how full its last page is, and the faults on its pages (stranded
 * headlines, widows and orphans, found by in-page/layout-flaws.js); near-empty last
 * pages of sections weigh most, then those faults, then the page count (fewer
 * is better, all else equal).
 */
export async function judge(page: Page, withFaults = true): Promise<Judgement> {
  const measured = (await page.evaluate((nearEmpty: number, withFaults: boolean) => {
    const pages = Array.from(window.document.querySelectorAll<HTMLElement>(".pagedjs_page"));
    const sections: SectionFit[] = [];
    const seen = new Map<string, { unit: number; pages: HTMLElement[]; el: HTMLElement }>();
    for (const pageEl of pages) {
      for (const el of Array.from(pageEl.querySelectorAll<HTMLElement>("[data-section]"))) {
        // A section's empty shell on the page before it (Paged.js leaves one where a child breaks the page) is not one of its pages.
        if (!el.textContent!.trim() && !el.querySelector("img")) continue;
        const name = el.getAttribute("data-section")!;
        if (!seen.has(name)) seen.set(name, { unit: Number(el.closest("[data-unit]")?.getAttribute("data-unit") ?? -1), pages: [], el });
        const list = seen.get(name)!.pages;
        if (!list.includes(pageEl)) list.push(pageEl);
      }
    }
    const weight: Record<string, number> = { "stranded-headline": 5, widow: 2, orphan: 2, "page-final-hyphen": 1, clipped: 100, overflow: 100 };
    const numbers = new Map<string, number[]>();
    for (const [name, { unit, pages: list }] of seen) {
      const last = list[list.length - 1]!;
      const area = last.querySelector(".pagedjs_page_content")!.getBoundingClientRect();
      let bottom = area.top;
      // What the reader sees: text blocks and pictures, not the boxes around them (a column box spans its column).
      for (const el of Array.from(last.querySelectorAll<HTMLElement>("[data-section] :is(p, li, h1, h2, h3, h4, figure, table, pre, blockquote, dl)"))) {
        for (const r of Array.from(el.getClientRects())) if (r.height && r.bottom <= area.bottom + 1) bottom = Math.max(bottom, r.bottom);
      }
      numbers.set(name, list.map((p) => Number(p.dataset.pageNumber)));
      // A full page's lines: its text area over the body's leading, times the columns of its news (or one).
      const sectionEl = seen.get(name)!.el;
      const body = sectionEl.querySelector<HTMLElement>(".article-body, .foreword-body, .flash-items") ?? sectionEl;
      const style = getComputedStyle(body);
      const leading = parseFloat(getComputedStyle(body.querySelector("p") ?? body).lineHeight) || 16;
      const columns = parseInt(style.columnCount, 10) || 1;
      sections.push({
        name,
        lastFill: area.height ? (bottom - area.top) / area.height : 1,
        pages: list.length,
        unit,
        faults: 0,
        firstPage: Number(list[0]!.dataset.pageNumber),
        linesPerPage: Math.floor(area.height / leading) * columns,
        sinkable: Boolean(sectionEl.closest(".foreword, .spotlight, .flash-briefing")),
      });
    }
    // Faults are looked for in every section: copyfitting mends them too.
    // Looking for faults reads every page's text: skipped when only the sections' pages are wanted.
    const flaws = withFaults ? (window as unknown as { digestLayoutFlaws(): { kind: string; page: number }[] }).digestLayoutFlaws() : [];
    for (const section of sections) {
      const own = new Set(numbers.get(section.name));
      section.faults = flaws.filter((f) => own.has(f.page)).reduce((n, f) => n + (weight[f.kind] ?? 0), 0);
    }
    const flawScore = flaws.reduce((n, f) => n + (weight[f.kind] ?? 0), 0);
    const nearEmptyScore = sections.filter((s) => s.pages > 1 && s.lastFill < nearEmpty).length * 10;
    return { score: flawScore + nearEmptyScore, sections, pageCount: pages.length };
  }, NEAR_EMPTY, withFaults)) as Judgement;
  return measured;
}

/**
 * The variants each short section is laid out in (where two serve it equally,
 * the earlier is taken): `tight` pulls its last
 * lines back (tracking −1 %, less space between paragraphs, items and articles,
 * pictures at 90 % of their width); `loose` pushes more onto its last page
 * (tracking +1 %, more space between them); `tight+long` is `tight` with its
 * pages a line longer (vertical justification: the page `long`, whose bottom
 * margin the grid sets one leading smaller); `long` is that line alone, for a
 * long section that `tight+long` pulls back too far (its new last page again
 * holds only a few lines); `sunk` starts the section's first page a quarter of
 * the text area lower, above its title, as a chapter opens, and so carries a
 * quarter page of text on to its last page: for a two-page foreword whose
 * second page holds a dozen lines, too many to pull back and too few for
 * loosening to carry past a quarter; it is the last resort (`betterSection`).
 * `small` sets the section's pictures at 80 % of their width, for a picture-heavy
 * article that starts a page and whose headline, lead picture and first three
 * lines do not fit it together (the break rules cannot move such an article:
 * it would stand alone on the next page too). `anchored` keeps the section's
 * pictures where they are written, not floated to the next page's head
 * (in-page/picture-floats.js), for a section whose floats leave its last page
 * near-empty or a widow.
 * Only the foreword, the spotlight and the flash briefing are sunk: a month
 * opens on a page of its own. Type size, leading and the grid's columns never
 * change.
 */
export const VARIANTS = ["tight", "loose", "tight+long", "long", "small", "sunk"] as const;

/** A section none of VARIANTS mends is tried again in each with its pictures where they are written (its floats may be what leaves it short): `anchored`, then `tight+anchored`, …. */
export const ANCHORED = ["anchored", ...VARIANTS.map((v) => `${v}+anchored`)];

/** The settings in-page/start.js reads from the URL's fragment: each section and the variant it is set in. */
export function copyfitSettings(variants: Map<string, string>): string {
  return variants.size ? `copyfit=${[...variants].map(([name, how]) => `${encodeURIComponent(name)}:${how}`).join("|")}` : "";
}

const isShort = (s: SectionFit) => s.pages > 1 && s.lastFill < NEAR_EMPTY;
/** A section copyfitting tries to mend: its last page near-empty, or a stranded headline, a widow or an orphan in it. */
const needsMending = (s: SectionFit) => isShort(s) || s.faults > 0;
/** Whether a variant's layout of a section mends what its first layout had: no near-empty last page, fewer faults when it had some, and none added. */
function mends(first: SectionFit, fit: SectionFit | undefined): boolean {
  if (!fit || isShort(fit) || fit.faults > first.faults) return false;
  return first.faults === 0 || fit.faults < first.faults;
}

/**
 * The variant taken only when no other one mends the section: a sink changes how
 * the section opens, where the others only set its text a little tighter or looser.
 */
const LAST_RESORT = "sunk";

/** A section's layout in a variant ("" for the first layout). */
interface VariantFit {
  variant: string;
  fit: SectionFit;
}

/** Whether a section's layout is better than another's: not short, then fewer faults, then (against the first layout, when that was not short) nothing else counts, then not the last resort, then fewer pages, then a fuller last page. */
function betterSection(a: VariantFit, b: VariantFit): boolean {
  if (isShort(a.fit) !== isShort(b.fit)) return !isShort(a.fit);
  if (a.fit.faults !== b.fit.faults) return a.fit.faults < b.fit.faults;
  // A first layout with no short page and no fewer faults is kept: a fuller last page is no reason to change it.
  if (!b.variant && !isShort(b.fit)) return false;
  const lastResort = (v: VariantFit) => v.variant.split("+").includes(LAST_RESORT);
  if (lastResort(a) !== lastResort(b)) return !lastResort(a);
  if (a.fit.pages !== b.fit.pages) return a.fit.pages < b.fit.pages;
  return a.fit.lastFill > b.fit.lastFill + 0.01;
}

/**
 * The copyfitting stage. After the first layout, each section whose last page
 * holds less than a quarter of a page of text, or that has a stranded headline,
 * a widow or an orphan, is laid out again alone, in every variant (the sink only
 * for a short section), as many at once as there are workers (a section starts
 * on a page of its own, and a page's text width does not depend on its side).
 * Each section takes the variant that serves it best, provided it has no more
 * faults than in the first layout, and that variant's pages are spliced into
 * the document. Nothing is laid out again when no section needs mending. The choice depends only on the laid-out pages, never on
 * how many workers there are: the same sources give the same pages.
 */
export function copyfit(result: CopyfitResult): LayoutStage {
  return async (document) => {
    const first = await judge(document.page);
    const toMend = first.sections.filter(needsMending);
    if (!toMend.length) return;
    // A variant that mends the last page but strands a headline (or leaves a widow) is no mend.
    const faultsIn = (j: Judgement, name: string) => j.sections.find((s) => s.name === name)?.faults ?? Infinity;
    const layOut = async (fit: SectionFit, variant: string) => {
      const variants = new Map([[fit.name, variant]]);
      const laid = await document.layOutAlone(fit.unit, copyfitSettings(variants), judge);
      result.tries++;
      return { variants, judgement: laid.read, pages: laid.pages };
    };
    const tried = (
      await Promise.all(
        toMend.map(async (fit) => {
          // A sink mends a short section's last page, never a widow.
          const variants: string[] = [...VARIANTS, ...ANCHORED].filter((variant) => isShort(fit) || !variant.split("+").includes(LAST_RESORT));
          // In their order, as many at once as there are workers, until one mends the section: the one taken is the
          // first that mends it, whatever the number of workers (those tried beside it are not looked at).
          const done: Awaited<ReturnType<typeof layOut>>[] = [];
          const batch = Math.max(1, document.jobs);
          for (let i = 0; i < variants.length; i += batch) {
            done.push(...(await Promise.all(variants.slice(i, i + batch).map((variant) => layOut(fit, variant)))));
            const mended = done.find((t) => mends(fit, t.judgement.sections.find((s) => s.name === fit.name)));
            if (mended) return [mended];
          }
          return done;
        }),
      )
    ).flat();
    const acceptable = tried.filter(({ variants, judgement }) => [...variants.keys()].every((name) => faultsIn(judgement, name) <= faultsIn(first, name)));
    const chosen = chooseVariants(first, acceptable);
    for (const [name, variant] of chosen) {
      await document.splice(acceptable.find((t) => t.variants.get(name) === variant)!.pages);
      result.variants[name] = variant;
      result.units[name] = first.sections.find((s) => s.name === name)!.unit;
    }
  };
}

/** A layout tried: the variant each section was set in (none for the first's), and how it was judged. */
export interface Tried {
  variants: Map<string, string>;
  judgement: Judgement;
}

/** A variant's place in VARIANTS (a combination that is not listed comes after them all): of two that serve a section equally, the earlier is taken. */
const variantRank = (variant: string) => {
  const i = (VARIANTS as readonly string[]).indexOf(variant);
  return i < 0 ? VARIANTS.length : i;
};

/** Sections in print order: by unit, then by name (a code-point order, the same on every machine) within a unit. */
const inPrintOrder = (a: SectionFit, b: SectionFit) => a.unit - b.unit || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * For each section of the first layout that needs mending, its best layout so far: the variant it was set in ("" for the first) and its fit there.
 * In print order whatever the order the sections were read in, and the same whatever the order the layouts were tried in (a tie goes to the earlier variant).
 */
function bestFits(first: Judgement, tried: Tried[]): Map<string, VariantFit> {
  const best = new Map(
    [...first.sections]
      .filter(needsMending)
      .sort(inPrintOrder)
      .map((fit): [string, VariantFit] => [fit.name, { variant: "", fit }]),
  );
  for (const { variants, judgement } of tried) {
    for (const fit of judgement.sections) {
      const held = best.get(fit.name);
      const variant = variants.get(fit.name) ?? "";
      if (!held || !variant) continue;
      const candidate = { variant, fit };
      const tie = held.variant !== "" && !betterSection(held, candidate) && variantRank(variant) < variantRank(held.variant);
      if (betterSection(candidate, held) || tie) best.set(fit.name, candidate);
    }
  }
  return best;
}

/**
 * For each section of the first layout that needs mending (short, or with a
 * stranded headline, widow or orphan), the variant whose layout served it best
 * (none when none did better than the first): a pure function of the
 * judgements, so the same pages always give the same choice.
 */
export function chooseVariants(first: Judgement, tried: Tried[]): Map<string, string> {
  return new Map([...bestFits(first, tried)].filter(([, b]) => b.variant).map(([name, b]) => [name, b.variant]));
}
