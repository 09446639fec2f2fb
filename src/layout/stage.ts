// The recipe's third stage: the issue's pages laid out in Chromium with Paged.js
// (shared out among renderers, units unchanged since an earlier build taken from
// the layout cache), then copyfitted and fitted to the binding; Chromium prints
// them. Content that cannot fit stops the build here, at its source line.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { availableParallelism } from "node:os";
import type { Issue } from "../content/model.js";
import { ContentError, DigestError } from "../errors.js";
import type { Problems } from "../content/problems.js";
import type { RenderedIssue } from "../render/render-issue.js";
import { stylesheetFiles } from "../render/stylesheets.js";
import { FONTS_DIR, LAYOUT_CACHE_DIR, TEMPLATES_DIR } from "../paths.js";
import { findBrowser, launchBrowser } from "./browser.js";
import { paginate, type PaginateOptions, type Pagination } from "./paginate.js";
import { pagedScripts } from "./scripts.js";
import { copyfit, type CopyfitResult } from "./copyfit.js";
import { fillBinding, type BindingFill } from "./binding.js";
import { fitPageCount, refuseCount, type PageCountFit } from "./page-count.js";
import { fittedKey, issueKey, LayoutCache, type CachedUnit } from "./cache.js";
import type { PageHtml } from "./units.js";
import { LayoutDocuments } from "./work-files.js";
import { reportOverflows } from "./overflows.js";

/** How the pages are to be laid out: the build's options that concern this stage. */
export interface LayOutOptions {
  /** Where the PDF goes: the documents Chromium loads are written beside it meanwhile. */
  outDir: string;
  browser?: string;
  timeoutSeconds?: number;
  jobs?: number;
  /** The least markup worth a renderer of its own in the first layout (paginate's `minShare`). */
  minShare?: number;
  /** Take unchanged units from the layout cache and keep this layout's there (default true). */
  cache?: boolean;
  onPage?: (count: number) => void;
  watchPage?: PaginateOptions["watchPage"];
  signal?: AbortSignal;
  log?: (line: string) => void;
  /** Lay out and plan only (`digest build --plan`): nothing is printed, and a page budget that cannot be met is reported in the plan, not refused. */
  plan?: boolean;
}

/** The laid-out pages as Chromium printed them, and what the stages after layout changed. */
export interface LaidOut {
  pagination: Pagination;
  /** What copyfitting set tighter or looser (restored from the cache for cached units). */
  copyfit: CopyfitResult;
  /** The filler pages the binding stage kept. */
  binding: BindingFill;
  /** Copyfitting to the page count: what it changed, and the plan of the pages (each section, its pages, its share of a budget). */
  plan: PageCountFit;
  units: { total: number; cached: number };
}

/**
 * Renderers laying out at once, unless --jobs says: the machine's cores less
 * one, which Chromium's browser process and digest keep busy meanwhile. On 2
 * cores that is one: `npm run bench` measured 4.04 s for the sample and 10.27 s
 * for the 144-page issue with one job, 4.74 s and 10.88 s with two.
 */
export function defaultJobs(): number {
  return Math.max(1, availableParallelism() - 1);
}

/** The anchors whose pages the contents, the outline and the checks need. */
function anchorsOf(issue: Issue): string[] {
  return [
    "a-contents",
    "a-foreword",
    "a-spotlight",
    ...issue.spotlight.map((a) => a.anchor),
    ...issue.months.flatMap((m) => [m.anchor, ...m.articles.map((a) => a.anchor)]),
    ...(issue.flashBriefing ? [issue.flashBriefing.anchor] : []),
  ];
}

/** Lays out the issue's pages and prints them; throws ContentError for content that would be cut off. */
export async function layOutStage(issue: Issue, rendered: RenderedIssue, problems: Problems, options: LayOutOptions): Promise<LaidOut> {
  const copyfitted: CopyfitResult = { variants: {}, units: {}, tries: 0 };
  const binding: BindingFill = { used: [], missing: 0, pages: [] };
  const plan: PageCountFit = { from: 0, to: 0, target: 0, fillers: 0, changes: [], sections: [], otherPages: 0 };
  const documents = new LayoutDocuments(options.outDir, issue.id, rendered, [issue.dir, FONTS_DIR, TEMPLATES_DIR, ...issue.meta.fonts.map((f) => f.path), ...pagedScripts()]);
  const session = await launchBrowser(findBrowser(options.browser)).catch((error: unknown) => {
    documents.remove();
    throw error;
  });
  const onAbort = () => void session.close();
  options.signal?.addEventListener("abort", onAbort);
  try {
    const cached = options.cache === false ? undefined : await cachedUnits(issue, rendered, await session.browser.version(), copyfitted);
    if (options.signal?.aborted) throw new DigestError("The build was interrupted");
    options.log?.("Laying out pages with Paged.js…");
    const page = issue.meta.page;
    const pagination = await paginate({
      browser: session.browser,
      url: pathToFileURL(documents.main).href,
      anchors: anchorsOf(issue),
      timeoutMs: (options.timeoutSeconds ?? 120) * 1000,
      onPage: options.onPage,
      watchPage: options.watchPage,
      allowedPaths: documents.allowedPaths,
      documentFor: documents.documentFor,
      sheetMm: { width: page.widthMm + 2 * page.bleedMm, height: page.heightMm + 2 * page.bleedMm },
      stages: [
        copyfit(copyfitted),
        fitPageCount({ binding: page.binding, fill: page.fill, count: page.count, settled: cached?.settled, before: cached?.before }, plan, copyfitted),
        // A page budget that is met is filled to; one that is not is refused below (or, planning, reported), and the binding filled as usual.
        fillBinding(page.binding, binding, () => (plan.met ? page.count : undefined)),
      ],
      print: !options.plan,
      jobs: options.jobs ?? defaultJobs(),
      minShare: options.minShare,
      unitWeights: rendered.units.map((unit) => unit.length),
      cachedPages: cached?.pages,
      readUnitPages: Boolean(cached),
    });
    // Content that does not fit on a page would be cut off: an error at its source, and nothing printed.
    reportOverflows(pagination.flaws, problems, issue.id);
    // A page budget the issue cannot be fitted to: refused at the count line of issue.yml, section by section.
    if (plan.met === false && !options.plan) refuseCount(plan, page, problems);
    if (problems.errorCount) throw new ContentError(problems);
    cached?.keep(pagination, copyfitted, plan);
    return { pagination, copyfit: copyfitted, binding, plan, units: { total: rendered.units.length, cached: pagination.cachedUnits } };
  } catch (error) {
    if (options.signal?.aborted) throw new DigestError("The build was interrupted: the earlier PDF, if any, is untouched");
    throw error;
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
    await session.close();
    documents.remove();
  }
}

/**
 * The layout cache's part: each unit's key, the pages kept for it (and the
 * copyfitting variants they were set in, put back into `copyfitted`), and, once
 * the layout is done, the pages of the units laid out afresh kept for the next build.
 * Fitting the page count weighs the sections against one another: a unit it
 * changed keeps its pages as they were before under its own key, and as fitted
 * under a key of the whole issue (fittedKey). When every unit of this very issue
 * is kept as it was fitted, the build takes them so and fitting tries nothing
 * (`settled`); else every unit starts as it was before fitting, as without the cache.
 */
async function cachedUnits(issue: Issue, rendered: RenderedIssue, browser: string, copyfitted: CopyfitResult) {
  const cache = new LayoutCache(LAYOUT_CACHE_DIR);
  const keys = cache.keys(rendered.units, {
    head: rendered.head,
    browser,
    files: [...stylesheetFiles(), ...pagedScripts(), ...readdirSync(FONTS_DIR).map((f) => join(FONTS_DIR, f)), ...issue.meta.fonts.map((f) => f.path)],
  });
  const { binding, fill, count } = issue.meta.page;
  const whole = issueKey(keys, JSON.stringify({ binding, fill, count: count ?? null }));
  const fitted = cache.getIssue(whole);
  const asFitted = fitted && keys.map((key, unit) => cache.get(fitted.units.includes(unit) ? fittedKey(key, whole) : key));
  const settled = asFitted?.every(Boolean) ? fitted!.changes : undefined;
  const kept: (CachedUnit | undefined)[] = settled ? asFitted! : keys.map((key) => cache.get(key));
  for (const [unit, entry] of kept.entries()) {
    for (const [name, variant] of Object.entries(entry?.variants ?? {})) {
      copyfitted.variants[name] = variant;
      copyfitted.units[name] = unit;
    }
  }
  /** The units fitting changed: their pages and variants before it did. */
  const before = new Map<number, { pages: PageHtml[]; variants: Record<string, string> }>();
  return {
    pages: kept.map((entry) => entry?.pages),
    settled,
    before(unit: number, pages: PageHtml[]): void {
      before.set(unit, { pages, variants: Object.fromEntries(Object.entries(copyfitted.variants).filter(([name]) => copyfitted.units[name] === unit)) });
    },
    keep(pagination: Pagination, result: CopyfitResult, plan: PageCountFit): void {
      const laidOut = [...new Set(pagination.unitPages.map((p) => p.unit))];
      const final = (unit: number): CachedUnit => ({
        pages: pagination.unitPages.filter((p) => p.unit === unit),
        variants: Object.fromEntries(Object.entries(result.variants).filter(([name]) => result.units[name] === unit)),
      });
      cache.put([
        ...laidOut.filter((unit) => !before.has(unit)).map((unit) => ({ key: keys[unit]!, unit: final(unit) })),
        ...[...before].map(([unit, was]) => ({ key: keys[unit]!, unit: was })),
        ...[...before.keys()].map((unit) => ({ key: fittedKey(keys[unit]!, whole), unit: final(unit) })),
      ]);
      if (!settled) cache.putIssue(whole, { units: [...before.keys()], changes: plan.changes });
    },
  };
}
