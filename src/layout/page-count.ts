// Copyfitting to the page count: after copyfitting has mended the sections'
// pages (copyfit.ts) and before the binding takes filler pages (binding.ts), the
// issue is brought to the binding's multiple, or to the page budget issue.yml
// sets (`page.count`), the way an art director would: the sections whose last
// page holds few lines are set tighter until the issue loses the pages it has too
// many, or the sections whose last page is full are set looser until it gains
// those it lacks; only then do the fillers (filler ads, the house page) take the
// rest. The means are copyfitting's, within its bounds: tracking ±1 %, the space
// between paragraphs, a line more or fewer a page, pictures at 80–100 % of their
// width, a sink for the foreword, the spotlight and the flash briefing. A section
// is laid out alone in each variant it is tried in; the variant taken leaves it no
// near-empty last page and no more faults than it had.
import type { LaidOutDocument, LayoutStage } from "./paginate.js";
import { copyfitSettings, judge, NEAR_EMPTY, type CopyfitResult, type Judgement, type SectionFit } from "./copyfit.js";
import { bindingUnit } from "./binding.js";
import { readPages, type PageHtml } from "./units.js";
import type { PageSetup } from "../content/model.js";
import type { Problems } from "../content/problems.js";

/** What the page count is to be fitted to: the binding, what fills the pages left, and the budget. */
export interface PageCountSetup {
  binding: "saddle-stitch" | "perfect";
  fill: "house" | "notes" | "blank";
  /** `page.count`: the issue is to be exactly this many pages. */
  count?: number;
  /**
   * The pages are as this very issue was fitted before (the layout cache holds every unit as its fitting
   * left it): nothing is tried again, and these are the changes that fitting made then.
   */
  settled?: PageChange[];
  /** Called with each unit's pages and variants as they stood before fitting changed them (the layout cache keeps them: src/layout/stage.ts). */
  before?: (unit: number, pages: PageHtml[], variant: string | undefined) => void;
}

/** A section set in another variant to bring the issue to its count: how many pages it gained (+) or lost (−). */
export interface PageChange {
  section: string;
  variant: string;
  pages: number;
}

/** A section as the pages stand: where it starts, how long it runs, and against a page budget its share and how far over or under it runs. */
export interface PlannedSection {
  name: string;
  firstPage: number;
  pages: number;
  /** How full its last page is, as a share of the text area's height. */
  lastFill: number;
  /** The lines of body text a full page of it holds. */
  linesPerPage: number;
  /** The copyfitting variant it is set in, if any. */
  variant?: string;
  /** With a page budget: the whole pages its text's share of the count leaves it. */
  share?: number;
  /** With a page budget: how far it runs over its share (negative: under), in pages. */
  over?: number;
}

/** What fitting the page count did, and the plan of the pages it left. */
export interface PageCountFit {
  /** The pages without the fillers, before fitting and after. */
  from: number;
  to: number;
  /** The page count aimed at: `page.count`, or the binding's multiple the pages reach. */
  target: number;
  /** The filler pages the layout holds (filler ads and the house page): the most the binding may print. */
  fillers: number;
  changes: PageChange[];
  sections: PlannedSection[];
  /** The pages that are no section's text: the cover, the contents, month openers, ads, the covers at the back. */
  otherPages: number;
  /** With `page.count`: whether the issue meets it; a build that does not is refused at the count line. */
  met?: boolean;
  /** When the count cannot be met: the pages copyfitting could bring the issue to at the fewest (or the most), fillers not counted. */
  reach?: number;
  /** When the count cannot be met: the nearest count the binding takes that the issue can be made. */
  nearest?: number;
}

/** A section's variants that pull it back, mildest first: tighter, a line longer a page, pictures at 80 %. */
const TIGHTER = ["tight", "tight+long", "tight+long+small"];
/** A section's variants that push it on, mildest first: looser, a line shorter a page; the sink where it may be sunk. */
const LOOSER = ["loose", "loose+short"];
const LOOSER_SUNK = [...LOOSER, "loose+sunk", "loose+short+sunk"];

/** The section's text in pages: its full pages and its last page's fill. */
const content = (s: SectionFit) => s.pages - 1 + s.lastFill;
/** The share of its text a section must pull back to lose a page; past this, copyfitting's bounds cannot. */
const MAX_PULL = 0.15;
/** The share of its text a section must push on to gain a page with a last page filled past a quarter; past this, they cannot. */
const MAX_PUSH = 0.2;
/** A quarter page: what a sink carries on. */
const SINK = 0.25;

/** How hard it is for a section to lose a page (the share of its text to pull back), or Infinity when it cannot. */
function pullShare(s: SectionFit): number {
  if (s.pages < 2) return Infinity;
  const share = s.lastFill / content(s);
  return share <= MAX_PULL ? share : Infinity;
}

/** How hard it is for a section to gain a page whose fill is past NEAR_EMPTY (the share of its text to push on), or Infinity when it cannot. */
function pushShare(s: SectionFit): number {
  const share = (s.pages + NEAR_EMPTY - content(s) - (s.sinkable ? SINK : 0)) / content(s);
  return share <= MAX_PUSH ? Math.max(0, share) : Infinity;
}

/** Sections in print order: by unit, then by name (code points, the same on every machine). */
const inPrintOrder = (a: SectionFit, b: SectionFit) => a.unit - b.unit || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** A section laid out alone in a variant: its judgement there, and its pages, to splice in. */
export interface Trial {
  section: SectionFit;
  variant: string;
  fit: SectionFit;
  pages: PageHtml[];
}

/**
 * Whether a variant's layout of a section changes its page count the way asked
 * (`direction` −1: fewer pages, +1: more) and cleanly: no near-empty last page,
 * no more faults than before.
 */
function clean(before: SectionFit, fit: SectionFit | undefined, direction: -1 | 1): fit is SectionFit {
  if (!fit || fit.faults > before.faults) return false;
  if (fit.pages > 1 && fit.lastFill < NEAR_EMPTY) return false;
  return direction < 0 ? fit.pages < before.pages : fit.pages > before.pages;
}

/** Lays a section out alone in a variant: its judgement there (undefined when it is not in the layout), and its pages. */
export type LayOutSection = (section: SectionFit, variant: string) => Promise<{ fit?: SectionFit; pages: PageHtml[] }>;

/**
 * Lays a section out in its ladder of variants: the strongest first, since a
 * section it does not move is not moved by a milder one (one layout); then, when
 * it does, the milder ones in order, up to the first that moves it cleanly. The
 * trials that do, the mildest first and the strongest last (one, when they are one).
 */
async function tryLadder(layOut: LayOutSection, section: SectionFit, ladder: string[], direction: -1 | 1): Promise<Trial[]> {
  const trial = async (variant: string): Promise<Trial | undefined> => {
    const { fit, pages } = await layOut(section, variant);
    return clean(section, fit, direction) ? { section, variant, fit, pages } : undefined;
  };
  const strongest = await trial(ladder[ladder.length - 1]!);
  if (!strongest) return [];
  for (const variant of ladder.slice(0, -1)) {
    const milder = await trial(variant);
    if (milder) return milder.fit.pages === strongest.fit.pages ? [milder] : [milder, strongest];
  }
  return [strongest];
}

/**
 * A way to the count: lose pages (−1) or gain them (+1), taking a section's change
 * only while `ok` holds for the pages moved, until `done`; it reaches the count
 * when `reached` holds for the pages moved in the end.
 */
interface Route {
  direction: -1 | 1;
  ok(moved: number): boolean;
  done(moved: number): boolean;
  reached(moved: number): boolean;
}

/**
 * Moves the issue's page count in the route's direction, trying the sections
 * that can most easily move in order, as many at once as `jobs`, until the route
 * is done. `taken` is undefined when the route does not reach the count. The
 * result depends only on the layouts: the same sections are taken whatever `jobs`
 * is (those tried beside the last one taken are not looked at), and whatever the
 * order the sections are listed in.
 */
async function movePages(layOut: LayOutSection, jobs: number, first: Judgement, route: Route, tried: Map<string, Promise<Trial[]>>): Promise<{ taken?: Trial[]; moved: number }> {
  const { direction } = route;
  const ease = direction < 0 ? pullShare : pushShare;
  const candidates = first.sections
    .filter((s) => Number.isFinite(ease(s)))
    .sort((a, b) => ease(a) - ease(b) || inPrintOrder(a, b));
  const taken: Trial[] = [];
  let moved = 0;
  const batch = Math.max(1, jobs);
  for (let i = 0; i < candidates.length && !route.done(moved); i += batch) {
    const ladder = (s: SectionFit) => {
      // A section is tried once each way: a second route takes the same layouts.
      const key = `${direction}:${s.name}`;
      if (!tried.has(key)) tried.set(key, tryLadder(layOut, s, direction < 0 ? TIGHTER : s.sinkable ? LOOSER_SUNK : LOOSER, direction));
      return tried.get(key)!;
    };
    const trials = await Promise.all(candidates.slice(i, i + batch).map(ladder));
    for (const options of trials) {
      if (route.done(moved)) continue;
      const pages = (t: Trial) => Math.abs(t.fit.pages - t.section.pages);
      // The mildest change that completes the route, else the mildest it may take.
      const trial = options.find((t) => route.ok(moved + pages(t)) && route.done(moved + pages(t))) ?? options.find((t) => route.ok(moved + pages(t)));
      if (!trial) continue;
      taken.push(trial);
      moved += pages(trial);
    }
  }
  return { taken: route.reached(moved) ? taken : undefined, moved };
}

/**
 * The changes that bring an issue of `pages` pages (fillers not counted), judged
 * `first`, to its binding's multiple or its count, with `fillers` filler pages at
 * hand: without a count, when it has a page or two too many (saddle-stitch; one
 * for perfect binding) the sections that can lose a page are tried first, then
 * those that can gain one (the fillers taking the rest), else the other way
 * round; with a count, whichever way it lies. A pure function of the layouts
 * `layOut` gives: the same pages always give the same changes, whatever `jobs`.
 * `reach` is the page count the changes tried could bring it to.
 */
export async function chooseChanges(
  first: Judgement,
  pages: number,
  setup: Pick<PageCountSetup, "binding" | "fill" | "count">,
  fillers: number,
  layOut: LayOutSection,
  jobs: number,
): Promise<{ chosen: Trial[]; reach: number }> {
  const unit = bindingUnit(setup.binding);
  // Past the fillers, only `notes` and `blank` pad the issue (the house page is one of the fillers).
  const padding = setup.fill === "house" ? 0 : Infinity;
  /** Whether `n` pages reach the count with the fillers (and padding) at hand. */
  const fits = (n: number) => {
    const needed = setup.count !== undefined ? setup.count - n : (unit - (n % unit)) % unit;
    return needed >= 0 && needed <= fillers + padding;
  };
  const routes: Route[] = [];
  if (setup.count !== undefined) {
    const count = setup.count;
    const gap = count - pages;
    // Lost: until the fillers can take up the rest; gained: up to the count, before any filler.
    if (gap < 0) routes.push({ direction: -1, ok: (m) => pages - m >= count - fillers - padding, done: (m) => fits(pages - m), reached: (m) => fits(pages - m) });
    else if (gap > 0) routes.push({ direction: 1, ok: (m) => m <= gap, done: (m) => m >= gap, reached: (m) => fits(pages + m) });
  } else if (pages % unit) {
    const over = pages % unit;
    // Lost: the page or pages too many, or more when the fillers take up the rest; gained: up to the multiple, before any filler.
    const down: Route = { direction: -1, ok: (m) => m <= over + fillers, done: (m) => m > 0 && fits(pages - m), reached: (m) => m > 0 && fits(pages - m) };
    const up: Route = { direction: 1, ok: (m) => m <= unit - over, done: (m) => m >= unit - over, reached: (m) => fits(pages + m) };
    routes.push(...(over <= unit / 2 ? [down, up] : [up, down]));
  }
  const tried = new Map<string, Promise<Trial[]>>();
  let reach = pages;
  for (const route of routes) {
    const { taken, moved } = await movePages(layOut, jobs, first, route, tried);
    reach = pages + route.direction * moved;
    if (taken) return { chosen: taken, reach };
  }
  // Without a count, when no route reaches the multiple without padding, the sections that can gain a page still save padding pages.
  const up = routes.find((r) => r.direction > 0);
  if (setup.count === undefined && up) {
    const { taken } = await movePages(layOut, jobs, first, { ...up, reached: () => true }, tried);
    return { chosen: taken ?? [], reach };
  }
  return { chosen: [], reach };
}

/** The filler pages in the laid-out document: those the binding may print (filler ads, the house page), and notes pages; and all its pages. */
async function fillerPages(document: LaidOutDocument): Promise<{ fillers: number; notes: number; total: number }> {
  return document.page.evaluate(() => {
    const pages = Array.from(window.document.querySelectorAll(".pagedjs_page [data-filler]")).map((el) => el.getAttribute("data-filler"));
    return { fillers: pages.filter((f) => f !== "notes").length, notes: pages.filter((f) => f === "notes").length, total: window.document.querySelectorAll(".pagedjs_page").length };
  });
}

/**
 * Shares out the pages a count leaves the text among the sections, in whole
 * pages, in proportion to their text (largest remainders first, in print order
 * for equal ones), and says how far over or under its share each runs.
 */
export function shareOut(sections: PlannedSection[], textPages: number): PlannedSection[] {
  const text = sections.map((s) => s.pages - 1 + s.lastFill);
  const total = text.reduce((a, b) => a + b, 0) || 1;
  const raw = text.map((t) => (Math.max(0, textPages) * t) / total);
  const shares = raw.map(Math.floor);
  let left = Math.max(0, textPages) - shares.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => ({ i, rest: r - Math.floor(r) })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    shares[i]!++;
    left--;
  }
  return sections.map((s, i) => ({ ...s, share: shares[i], over: Math.round((text[i]! - shares[i]!) * 10) / 10 }));
}

/**
 * The stage that fits the page count. Without `page.count`, the issue is brought
 * to the binding's multiple: when it has a page or two too many (saddle-stitch;
 * one for perfect binding) the sections that can lose a page are set tighter;
 * else, or when that fails, those that can gain one are set looser, and the
 * fillers take the rest. With `page.count`, the same means aim at that count.
 * Then `result` holds the plan of the pages (each section, the pages it takes,
 * its share of the budget), whether the count is met, and what changed.
 */
export function fitPageCount(setup: PageCountSetup, result: PageCountFit, copyfitted: CopyfitResult): LayoutStage {
  return async (document) => {
    const unit = bindingUnit(setup.binding);
    const { fillers, notes, total } = await fillerPages(document);
    const pages = total - fillers - notes;
    // The sections' faults are weighed only when the count is to be moved (finding them reads every page).
    const toMove = !setup.settled && (setup.count !== undefined ? pages !== setup.count : pages % unit !== 0);
    const first = await judge(document.page, toMove);
    const layOut: LayOutSection = async (section, variant) => {
      const laid = await document.layOutAlone(section.unit, copyfitSettings(new Map([[section.name, variant]])), judge);
      copyfitted.tries++;
      return { fit: laid.read.sections.find((s) => s.name === section.name), pages: laid.pages };
    };
    // Fitted before, and cached as fitted: nothing to try.
    const { chosen, reach } = toMove ? await chooseChanges(first, pages, setup, fillers, layOut, document.jobs) : { chosen: [], reach: pages };
    for (const trial of [...chosen].sort((a, b) => inPrintOrder(a.section, b.section))) {
      if (setup.before) setup.before(trial.section.unit, await readPages(document.page, [trial.section.unit]), copyfitted.variants[trial.section.name]);
      await document.splice(trial.pages);
      copyfitted.variants[trial.section.name] = trial.variant;
      copyfitted.units[trial.section.name] = trial.section.unit;
    }
    const now = chosen.length ? await judge(document.page, false) : first;
    const to = now.pageCount - fillers - notes;
    const from = setup.settled ? to - setup.settled.reduce((n, c) => n + c.pages, 0) : pages;
    const sections: PlannedSection[] = [...now.sections].sort(inPrintOrder).map((s) => ({
      name: s.name,
      firstPage: s.firstPage ?? 0,
      pages: s.pages,
      lastFill: s.lastFill,
      linesPerPage: s.linesPerPage ?? 0,
      variant: copyfitted.variants[s.name],
    }));
    const otherPages = to - sections.reduce((n, s) => n + s.pages, 0);
    const multiple = to + ((unit - (to % unit)) % unit);
    Object.assign(result, {
      from,
      to,
      target: setup.count ?? multiple,
      fillers,
      changes: setup.settled ?? chosen.map((t) => ({ section: t.section.name, variant: t.variant, pages: t.fit.pages - t.section.pages })),
      sections,
      otherPages,
    } satisfies PageCountFit);
    if (setup.count !== undefined) {
      result.sections = shareOut(sections, setup.count - otherPages);
      result.met = to <= setup.count && setup.count - to <= fillers + (setup.fill === "house" ? 0 : Infinity);
      if (!result.met) {
        result.reach = reach;
        // The count nearest the budget that the issue, as far as copyfitting brought it, and its fillers (or padding) can make.
        const low = Math.min(reach, to);
        const high = Math.max(reach, to) + fillers + (setup.fill === "house" ? 0 : Infinity);
        const up = low + ((unit - (low % unit)) % unit);
        const candidates = reach > setup.count ? [up] : [Math.floor(Math.min(high, setup.count) / unit) * unit];
        result.nearest = candidates.find((c) => c >= low && c <= high && c > 0);
      }
    }
  };
}

const pagesOf = (n: number) => `${n.toFixed(1)} page${n.toFixed(1) === "1.0" ? "" : "s"}`;
/** Lines of text, rounded as an editor would say them: to the ten above twenty. */
const linesOf = (pages: number, perPage: number) => {
  const lines = Math.abs(pages) * perPage;
  return lines < 20 ? Math.max(1, Math.round(lines)) : Math.round(lines / 10) * 10;
};

/**
 * What the editor is told when the issue cannot be fitted to its page budget:
 * an error at the `count` line of issue.yml that says how far over (or under)
 * the issue runs, what the pages that are no section's text take, then, section
 * by section, the furthest first, how far each runs over its share of the count
 * (under, when the issue is short), in pages and lines of its text.
 */
export function refuseCount(plan: PageCountFit, page: PageSetup, problems: Problems): void {
  const count = page.count!;
  const file = page.countPlace?.file ?? "issue.yml";
  const at = page.countPlace ? { line: page.countPlace.line, column: page.countPlace.column } : undefined;
  const over = plan.to > count;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const sections = plan.sections
    .map((s, i) => ({ s, i, by: over ? (s.over ?? 0) : -(s.over ?? 0) }))
    .filter(({ by }) => by >= 0.05)
    .sort((a, b) => b.by - a.by || a.i - b.i)
    .map(({ s, by }) => `${s.name} runs ${pagesOf(by)} ${over ? "over" : "under"} its share of ${plural(s.share ?? 0, "page")} (about ${linesOf(by, s.linesPerPage)} lines)`);
  const others = `the cover, the contents, the month openers and the ads take ${plan.otherPages}`;
  if (over) {
    const text = Math.max(0, count - plan.otherPages);
    const reach = plan.reach ?? plan.to;
    const pulled = reach < plan.to ? `it takes ${plan.to} (copyfitting could pull it back to ${reach})` : `it takes ${plan.to} (copyfitting could not pull it back)`;
    problems.error(file, at, `The issue runs ${plural(reach - count, "page")} over its count of ${count}: ${pulled}, and ${others}, leaving ${text} for the text. ${sections.join("; ")}`, "page-count", plan.nearest ? `Cut there, or allow ${plan.nearest} pages` : "Cut there, or set `page.fill: notes` and allow more pages");
  } else {
    const reach = plan.reach ?? plan.to;
    const short = count - reach - plan.fillers;
    const pushed = reach > plan.to ? `it takes ${plan.to} (copyfitting could carry it on to ${reach})` : `it takes ${plan.to} (copyfitting could not carry it on to more)`;
    problems.error(file, at, `The issue runs ${plural(short, "page")} short of its count of ${count}: ${pushed}, and ${plural(plan.fillers, "filler page")}. ${sections.join("; ")}`, "page-count", `Add there, add filler ads (\`placement: filler\`) or set \`page.fill: notes\`${plan.nearest ? `, or allow ${plan.nearest} pages` : ""}`);
  }
}
