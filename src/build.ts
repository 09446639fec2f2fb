// The build recipe: the stages from an issue folder to its PDF editions, in order,
// one call a stage, each in the folder of its own:
// 1 load and check the folder (src/content) · 2 render the HTML (src/render) ·
// 3 lay out the pages in Chromium, copyfit them and fill the binding (src/layout) ·
// 4 press the editions, as temporaries (src/press) · 5 preflight them and report
// the layout (src/preflight) · then put them in place, all together, only when
// nothing failed. The library's API (src/index.ts) exports buildIssue; the CLI calls it.
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Issue } from "./content/model.js";
import { loadStage } from "./content/stage.js";
import type { Problems } from "./content/problems.js";
import { readFont, TYPEFACES } from "./content/fonts.js";
import { shippedFontsOf } from "./content/fallbacks.js";
import { renderStage } from "./render/stage.js";
import { layOutStage, type LaidOut } from "./layout/stage.js";
import type { PaginateOptions, Pagination } from "./layout/paginate.js";
import type { CopyfitResult } from "./layout/copyfit.js";
import { pagedScripts } from "./layout/scripts.js";
import { warnedFlaws } from "./layout/overflows.js";
import { outlineOf } from "./press/outline.js";
import { buildDate } from "./press/build-date.js";
import type { PreflightResult } from "./preflight/stage.js";
import type { Pressed } from "./press/stage.js";
import { layoutChecks, type LayoutReport } from "./preflight/layout-summary.js";
import { DigestError } from "./errors.js";
import { FONTS_DIR, PACKAGE_ROOT } from "./paths.js";

export { defaultJobs } from "./layout/stage.js";
export { outlineOf } from "./press/outline.js";
export { buildDate } from "./press/build-date.js";
export type { PreflightResult } from "./preflight/stage.js";

export interface BuildOptions {
  /** An issue name under `issues/`, or a path to an issue folder. */
  issue: string;
  /** Where to write the PDF; default `out/<issue>.pdf`. */
  out?: string;
  /** Also write the HTML given to Paged.js beside the PDF. */
  html?: boolean;
  /** Path of the Chromium to drive. */
  browser?: string;
  /** Give up on pagination after this many seconds. */
  timeoutSeconds?: number;
  cwd?: string;
  /** Progress lines for the user. */
  log?: (line: string) => void;
  /** Called as each page is laid out, with the count so far. */
  onPage?: (count: number) => void;
  /** Aborts the build (Ctrl-C): Chromium is closed and nothing is written. */
  signal?: AbortSignal;
  /** Also write the screen edition, `<name>.screen.pdf`. */
  screen?: boolean;
  /** Also write the PDF/X edition, `<name>.pdfx.pdf` (needs Ghostscript). */
  pdfx?: boolean;
  /** The printer's CMYK ICC profile for the PDF/X edition. */
  icc?: string;
  /** The printer's ink limit (total area coverage, percent) for the preflight of CMYK editions; default 300. */
  tacPercent?: number;
  /** How many sections may be laid out at once, each in a renderer process of its own; default: the machine's cores less one (see defaultJobs). The PDF is the same whatever the number. */
  jobs?: number;
  /** The least markup (characters) worth a renderer of its own in the first layout, with `jobs` above 1 (default 150 000; see paginate's `minShare`). The PDF is the same whatever the number. */
  minShare?: number;
  /** Take the pages of units unchanged since an earlier build from the layout cache, and keep this build's there (default true). The PDF is the same either way. */
  cache?: boolean;
  /** For profiling (scripts/profile.ts): handed to paginate's `watchPage`. */
  watchPage?: PaginateOptions["watchPage"];
}

/** The files one build wrote. */
export interface Editions {
  /** The print edition: bleed, crop marks, page boxes. */
  print: string;
  screen?: string;
  pdfx?: string;
  /** Which PDF/X Ghostscript wrote, e.g. `PDF/X-3:2002`. */
  pdfxVersion?: string;
}

export interface BuildReport {
  /** The print edition's path (the default edition). */
  pdfPath: string;
  editions: Editions;
  htmlPath?: string;
  /** Whether the editions were put in place: false when a preflight or the layout report failed (then nothing was written, and the earlier files are as they were). */
  published: boolean;
  pageCount: number;
  blanksAdded: number;
  /** The pages printed only because the binding needed them: filler ads' files, \`house\` for the house page, \`notes\` for a notes page. */
  fillers: string[];
  /** What copyfitting changed: the sections set tighter, and the layouts it tried. */
  copyfit: CopyfitResult;
  /** The units of layout (cover, contents, each section, each ad page…), and how many were taken from the layout cache. */
  units: { total: number; cached: number };
  /** The page each article and section starts on, by anchor. */
  pages: Record<string, number>;
  /** Widows, orphans and stranded headlines left in the pages (reported as warnings). */
  flaws: Pagination["flaws"];
  /** Requests Chromium was refused while laying out pages (reported as warnings). */
  blocked: string[];
  problems: Problems;
  /** The preflight of each edition written. */
  preflight: PreflightResult[];
  /** The layout report of the print edition: the flaws above, and what the PDF shows (text outside the safe area, blank and near-empty pages, loose lines). */
  layout: LayoutReport;
  /** Seconds per stage: paginate is Chromium's start and the layout, pdf its printing. */
  seconds: { load: number; render: number; paginate: number; pdf: number; postProcess: number; preflight: number; total: number };
}

/** The PostScript names of the fonts an issue's PDF may contain: the templates' typefaces, the issue's `fonts:` and the shipped fallbacks it uses. */
function issueFontNames(issue: Issue): Set<string> {
  return new Set([...TYPEFACES.map((f) => readFont(join(FONTS_DIR, f.file)).postscriptName), ...issue.meta.fonts.map((f) => f.postscriptName), ...shippedFontsOf(issue.meta.shipped).map((f) => f.postscriptName)]);
}

/**
 * The document ID's seed: the issue's document as any Paged.js tool would lay it out, without
 * digest's layout scripts (their place in digest's folders says nothing about the issue) and
 * without the checkout's or the issue's place.
 */
function documentIdSeed(html: string, issue: Issue): string {
  return html
    .replace(/<script src="[^"]*"><\/script>/g, "")
    .split(pathToFileURL(PACKAGE_ROOT).href)
    .join("digest:")
    .split(pathToFileURL(issue.dir).href)
    .join("issue:");
}

/** Seconds since the last call, for the report's stages. */
function stopwatch(): () => number {
  let last = performance.now();
  return () => {
    const now = performance.now();
    const s = (now - last) / 1000;
    last = now;
    return s;
  };
}

/** Preflights the pressed editions and, when every check passed and the build was not interrupted, puts them in place together. */
async function preflightAndPublish(issue: Issue, laidOut: LaidOut, pressed: Pressed, options: BuildOptions) {
  const { preflightStage } = await import("./preflight/stage.js");
  const { pagination } = laidOut;
  const { editions } = pressed;
  const checked = await preflightStage(
    (["print", "screen", "pdfx"] as const).flatMap((edition) => (editions[edition] ? [{ edition, file: pressed.files.temporary(editions[edition]!), shownAs: editions[edition]! }] : [])),
    {
      bleedMm: issue.meta.page.bleedMm,
      binding: issue.meta.page.binding,
      tacPercent: options.tacPercent,
      doc: pressed.doc,
      flaws: warnedFlaws(pagination.flaws),
      // The contents and the pages that fill the binding are designed as whole pages: not judged as pages of text.
      designed: [...laidOut.binding.pages, ...(pagination.pages["a-contents"] ? [pagination.pages["a-contents"]] : [])],
    },
  );
  // Nothing replaces an earlier file unless every edition passed and no text is cut off.
  const published = checked.preflight.every((p) => p.report.ok) && !layoutChecks(checked.layout).some((c) => c.status === "fail");
  if (options.signal?.aborted) throw new DigestError("The build was interrupted: the earlier PDF, if any, is untouched");
  if (published) pressed.files.publish();
  return { ...checked, published };
}

/**
 * Builds an issue into its PDF editions: load and check the folder, render the HTML, lay out
 * the pages, press the editions, preflight them, then put them in place. Content errors stop
 * it before Chromium starts; a failed check or an interruption writes nothing.
 */
export async function buildIssue(options: BuildOptions): Promise<BuildReport> {
  const cwd = options.cwd ?? process.cwd();
  const started = performance.now();
  const lap = stopwatch();
  const { issue, problems } = loadStage(options.issue, cwd);
  const load = lap();
  options.log?.(`Loaded ${issue.id}: ${issue.spotlight.length + issue.months.reduce((n, m) => n + m.articles.length, 0)} articles`);

  const pdfPath = resolve(cwd, options.out ?? join("out", `${issue.id}.pdf`));
  // --html writes the document without the layout scripts, so that any Paged.js tool (pagedjs-cli) can lay it out.
  const { rendered, plainHtml } = renderStage(issue, problems, pagedScripts(), { plain: options.html });
  const render = lap();

  // Loaded while Chromium works: the press needs pdf-lib, which is slow to load.
  const press = import("./press/stage.js");
  press.catch(() => {});
  const laidOut = await layOutStage(issue, rendered, problems, { ...options, outDir: dirname(pdfPath) });
  const layoutSeconds = lap();

  const pressed = await (await press).pressStage(issue, laidOut.pagination.pdf, {
    pdfPath,
    screen: options.screen,
    pdfx: options.pdfx,
    icc: options.icc && resolve(cwd, options.icc),
    date: buildDate(issue.dir),
    idSeed: documentIdSeed(rendered.html, issue),
    fonts: issueFontNames(issue),
    outline: outlineOf(issue, laidOut.pagination.pages),
    signal: options.signal,
  });
  const htmlPath = plainHtml === undefined ? undefined : pdfPath.replace(/\.pdf$/i, ".html");
  if (htmlPath) pressed.files.write(htmlPath, plainHtml!);
  const pressSeconds = lap();

  try {
    const checked = await preflightAndPublish(issue, laidOut, pressed, options);
    const { pagination } = laidOut;
    return {
      pdfPath,
      editions: pressed.editions,
      htmlPath,
      published: checked.published,
      pageCount: pressed.pageCount,
      blanksAdded: pressed.blanksAdded,
      fillers: laidOut.binding.used,
      copyfit: laidOut.copyfit,
      units: laidOut.units,
      pages: pagination.pages,
      flaws: warnedFlaws(pagination.flaws),
      blocked: pagination.blocked,
      problems,
      preflight: checked.preflight,
      layout: checked.layout,
      seconds: { load, render, paginate: layoutSeconds - pagination.seconds.print, pdf: pagination.seconds.print, postProcess: pressSeconds, preflight: lap(), total: (performance.now() - started) / 1000 },
    };
  } finally {
    pressed.files.discard();
  }
}
