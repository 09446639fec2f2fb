// The build recipe: the stages from an issue folder to its PDF editions, in order.
// 1 load and check the folder · 2 render the HTML · 3 lay out the pages in Chromium
// (Paged.js, then copyfitting and filling the binding) · 4 finish the editions
// (post-process, print, screen, PDF/X) · 5 preflight them and report the layout.
// The library's API (src/index.ts) exports buildIssue; the CLI calls it.
import { execFileSync } from "node:child_process";
import { mkdirSync, renameSync, rmSync, statSync, writeFileSync, readdirSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { availableParallelism } from "node:os";
import { pathToFileURL } from "node:url";
import { loadIssue } from "./content/load-issue.js";
import { FONTS_DIR, LAYOUT_CACHE_DIR, PACKAGE_ROOT, TEMPLATES_DIR } from "./paths.js";
import type { Issue } from "./content/model.js";
import { Problems } from "./content/problems.js";
import { renderIssue, renderIssueUnits } from "./render/render-issue.js";
import { reportLowResolution } from "./render/picture-placement.js";
import { findBrowser, launchBrowser } from "./layout/browser.js";
import { paginate, type PaginateOptions, type Pagination } from "./layout/paginate.js";
import { pagedScripts } from "./layout/scripts.js";
import { fillBinding, type BindingFill } from "./layout/binding.js";
import { copyfit, type CopyfitResult } from "./layout/copyfit.js";
import { LayoutCache } from "./layout/cache.js";
import type { OutlineEntry } from "./press/postprocess.js";
import type { PreflightReport } from "./preflight/report.js";
import type { LayoutReport } from "./preflight/layout-summary.js";
import { ContentError, DigestError } from "./errors.js";
import { writeWhole } from "./write-whole.js";
import { locateIssue } from "./content/locate-issue.js";
import { gridOf } from "./render/grid.js";
import { describeChar, readFont, TYPEFACES } from "./content/fonts.js";

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

/** One edition's preflight. */
export interface PreflightResult {
  edition: "print" | "screen" | "pdfx";
  report: PreflightReport;
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

/**
 * Renderers laying out at once, unless --jobs says: the machine's cores less
 * one, which Chromium's browser process and digest keep busy meanwhile. On 2
 * cores that is one: `npm run bench` measured 4.04 s for the sample and 10.27 s
 * for the 144-page issue with one job, 4.74 s and 10.88 s with two.
 */
export function defaultJobs(): number {
  return Math.max(1, availableParallelism() - 1);
}

/** The sections and articles of the issue, in print order, for the outline and page checks. */
export function outlineOf(issue: Issue, pages: Record<string, number>): OutlineEntry[] {
  const entry = (title: string, anchor: string, children?: OutlineEntry[]): OutlineEntry[] =>
    pages[anchor] ? [{ title, page: pages[anchor]!, children }] : [];
  const articles = (list: Issue["spotlight"]) => list.flatMap((a) => entry(a.title, a.anchor));
  return [
    ...(issue.foreword ? entry(issue.foreword.title, "a-foreword") : []),
    ...(issue.spotlight.length ? entry(issue.meta.labels.spotlight, "a-spotlight", articles(issue.spotlight)) : []),
    ...issue.months.flatMap((m) => entry(m.name, m.anchor, articles(m.articles))),
    ...(issue.flashBriefing ? entry(issue.flashBriefing.title, issue.flashBriefing.anchor) : []),
  ];
}

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

/**
 * The date written into the PDFs, so that the same sources give the same bytes:
 * SOURCE_DATE_EPOCH when set, else the time of the last commit that touched the
 * issue folder, else the newest file in it.
 */
export function buildDate(issueDir: string): Date {
  const epoch = process.env.SOURCE_DATE_EPOCH;
  if (epoch && /^\d+$/.test(epoch)) return new Date(Number(epoch) * 1000);
  try {
    const committed = execFileSync("git", ["log", "-1", "--format=%ct", "--", "."], { cwd: issueDir, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    if (/^\d+$/.test(committed)) return new Date(Number(committed) * 1000);
  } catch {
    // not in a git checkout, or no git: the files' own times will do
  }
  let newest = 0;
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  walk(issueDir);
  return new Date(Math.floor(newest / 1000) * 1000);
}


/** What to do about content that does not fit, by how it does not fit. */
const FIT_HINTS: Record<string, string> = {
  "wider than its column": "Make it narrower: a table with fewer columns or shorter cells, or split it in two",
  "taller than the page": "Split it into smaller blocks (a long table into several), or use a smaller picture",
  "outside the safe area of the page": "Shorten the text; if it is running text, report it as a bug in digest's layout",
  "display type too large for the page": "Shorten it (a shorter title, name or ad copy), or choose a larger page size in issue.yml",
};

/** Content that Paged.js could not fit, and text that would be cut off, become content errors at their source line, one a block. */
function reportOverflows(flaws: Pagination["flaws"], problems: Problems, issueId: string): void {
  // A block too large for its column, or display type too large for its page, is also
  // outside the safe area: one error a source, the most telling one (they come first).
  const rank = (f: Pagination["flaws"][number]) => (f.kind === "overflow" ? 0 : f.detail === "outside the safe area of the page" ? 2 : 1);
  const fatal = flaws.filter((f) => f.kind === "overflow" || f.kind === "clipped").sort((a, b) => rank(a) - rank(b));
  const reported = new Set<string>();
  for (const flaw of fatal) {
    const key = flaw.source ?? flaw.text;
    if (reported.has(key)) continue;
    reported.add(key);
    const m = /^(.*):(\d+):(\d+)$/.exec(flaw.source ?? "");
    const where = flaw.page ? ` on page ${flaw.page}` : " at this page size";
    const what = flaw.kind === "clipped" ? `“${flaw.text}”` : "this block";
    problems.error(
      m ? m[1]! : (flaw.source ?? issueId),
      m ? { line: Number(m[2]), column: Number(m[3]) } : undefined,
      `Cannot fit ${what}${where}: it is ${flaw.detail ?? "too large"} and would be cut off`,
      flaw.kind === "clipped" ? "text-clipped" : "content-too-large",
      FIT_HINTS[flaw.detail ?? ""] ?? FIT_HINTS["taller than the page"]!,
    );
  }
}

/** The PostScript names of the fonts an issue's PDF may contain: the templates' typefaces and the issue's `fonts:`. */
function issueFontNames(issue: Issue): Set<string> {
  return new Set([...TYPEFACES.map((f) => readFont(join(FONTS_DIR, f.file)).postscriptName), ...issue.meta.fonts.map((f) => f.postscriptName)]);
}

/** Stops the build, before anything is written, when Chromium set text in a font of the machine. */
function refuseStrayFonts(stray: { name: string; pages: number[]; chars: string[] }[]): void {
  if (!stray.length) return;
  const what = stray.map((f) => `\`${f.name}\` for ${f.chars.slice(0, 8).map(describeChar).join(", ") || "some characters"} (page${f.pages.length > 1 ? "s" : ""} ${f.pages.join(", ")})`);
  throw new DigestError(
    `Cannot print with fonts of this machine: Chromium took ${what.join("; ")}, which none of the issue's fonts has`,
    "Name a font that has these characters under `fonts:` in issue.yml; if the stylesheet prints them (`content:`), change it. The earlier PDF, if any, is untouched.",
  );
}

/**
 * Builds an issue into a PDF: load and check the folder, render the HTML, paginate
 * with Paged.js in Chromium, post-process, write. Content errors stop it before Chromium starts.
 */
export async function buildIssue(options: BuildOptions): Promise<BuildReport> {
  const cwd = options.cwd ?? process.cwd();
  const log = options.log ?? (() => {});
  const t0 = performance.now();
  const lap = (() => {
    let last = t0;
    return () => {
      const now = performance.now();
      const s = (now - last) / 1000;
      last = now;
      return s;
    };
  })();

  // 1. Load and check the issue folder
  const dir = locateIssue(options.issue, cwd);
  const { issue, problems } = loadIssue(dir, cwd);
  if (!issue || problems.errorCount) throw new ContentError(problems);
  reportLowResolution(issue, gridOf(issue), problems);
  const load = lap();
  log(`Loaded ${issue.id}: ${issue.spotlight.length + issue.months.reduce((n, m) => n + m.articles.length, 0)} articles`);

  // 2. Render the HTML
  const pdfPath = resolve(cwd, options.out ?? join("out", `${issue.id}.pdf`));
  const stem = pdfPath.replace(/\.pdf$/i, "");
  const rendered = renderIssueUnits(issue, { scripts: pagedScripts().map((path) => pathToFileURL(path).href) });
  const { html, head, units } = rendered;
  // --html writes the document without the layout scripts, so that any Paged.js tool (pagedjs-cli) can lay it out.
  const htmlPath = options.html ? `${stem}.html` : undefined;
  if (htmlPath) writeWhole(htmlPath, renderIssue(issue));
  const workHtml = join(dirname(pdfPath), `.${issue.id}.${process.pid}.html`);
  mkdirSync(dirname(pdfPath), { recursive: true });
  writeFileSync(workHtml, html);
  const render = lap();

  // Loaded while Chromium works: the modules that finish the PDF (pdf-lib is slow to load).
  const finishing = import("./press/finish.js");
  finishing.catch(() => {});

  /** What the binding stage kept of the filler pages, and what it still lacked. */
  const binding: BindingFill = { used: [], missing: 0, pages: [] };
  /** What the copyfitting stage changed. */
  const copyfitted: CopyfitResult = { variants: {}, units: {}, tries: 0 };
  // 3. Paginate in Chromium
  // Documents of some units alone, for the shares of the layout (written when first asked for, removed with the document).
  const allowedPaths = [workHtml, issue.dir, FONTS_DIR, TEMPLATES_DIR, ...issue.meta.fonts.map((f) => f.path), ...pagedScripts()];
  const unitDocuments = new Map<string, string>();
  const documentFor = (list: number[]) => {
    const key = list.join("-");
    if (!unitDocuments.has(key)) {
      const path = join(dirname(pdfPath), `.${issue.id}.${process.pid}.${unitDocuments.size}.html`);
      writeFileSync(path, rendered.documentOf(list));
      allowedPaths.push(path);
      unitDocuments.set(key, path);
    }
    return pathToFileURL(unitDocuments.get(key)!).href;
  };
  const executable = findBrowser(options.browser);
  const session = await launchBrowser(executable);
  // The layout cache: units unchanged since an earlier build are taken as they were laid out.
  const cache = options.cache === false ? undefined : new LayoutCache(LAYOUT_CACHE_DIR);
  const keys = cache?.keys(units, {
    head,
    browser: await session.browser.version(),
    files: [join(TEMPLATES_DIR, "css", "print.css"), ...pagedScripts(), ...readdirSync(FONTS_DIR).map((f) => join(FONTS_DIR, f)), ...issue.meta.fonts.map((f) => f.path)],
  });
  const kept = keys?.map((key) => cache!.get(key));
  for (const [unit, entry] of (kept ?? []).entries()) {
    for (const [name, variant] of Object.entries(entry?.variants ?? {})) {
      copyfitted.variants[name] = variant;
      copyfitted.units[name] = unit;
    }
  }
  const onAbort = () => void session.close();
  options.signal?.addEventListener("abort", onAbort);
  let pagination;
  try {
    if (options.signal?.aborted) throw new DigestError("The build was interrupted");
    log("Laying out pages with Paged.js…");
    pagination = await paginate({
      browser: session.browser,
      url: pathToFileURL(workHtml).href,
      anchors: anchorsOf(issue),
      timeoutMs: (options.timeoutSeconds ?? 120) * 1000,
      onPage: options.onPage,
      watchPage: options.watchPage,
      allowedPaths,
      documentFor,
      sheetMm: { width: issue.meta.page.widthMm + 2 * issue.meta.page.bleedMm, height: issue.meta.page.heightMm + 2 * issue.meta.page.bleedMm },
      stages: [copyfit(copyfitted), fillBinding(issue.meta.page.binding, binding)],
      jobs: options.jobs ?? defaultJobs(),
      minShare: options.minShare,
      unitWeights: units.map((unit) => unit.length),
      cachedPages: kept?.map((entry) => entry?.pages),
      readUnitPages: Boolean(cache),
    });
  } catch (error) {
    if (options.signal?.aborted) throw new DigestError("The build was interrupted: the earlier PDF, if any, is untouched");
    throw error;
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
    await session.close();
    rmSync(workHtml, { force: true });
    for (const path of unitDocuments.values()) rmSync(path, { force: true });
  }
  const paginateSeconds = lap();

  // Content that does not fit on a page would be cut off: an error at its source, and no PDF.
  reportOverflows(pagination.flaws, problems, issue.id);
  if (problems.errorCount) throw new ContentError(problems);
  // Pages that print are kept for the next build.
  if (cache && keys) {
    const laidOut = [...new Set(pagination.unitPages.map((p) => p.unit))];
    cache.put(
      laidOut.map((unit) => ({
        key: keys[unit]!,
        unit: {
          pages: pagination.unitPages.filter((p) => p.unit === unit),
          variants: Object.fromEntries(Object.entries(copyfitted.variants).filter(([name]) => copyfitted.units[name] === unit)),
        },
      })),
    );
  }

  // 4. Post-process and write: one load of Chromium's PDF, one save per edition
  const { PDFDocument, postProcess, printEdition, screenEdition, trueBlack, convertToPdfx, preflight, setDocumentId, layoutReport, strayFonts } = await finishing;
  const meta = issue.meta;
  const date = buildDate(issue.dir);
  const doc = await PDFDocument.load(pagination.pdf, { updateMetadata: false });
  // Every glyph from the issue's fonts: a font of the machine in the PDF would make it differ from machine to machine.
  refuseStrayFonts(strayFonts(doc, issueFontNames(issue)));
  const result = postProcess(doc, {
    info: {
      title: `${meta.title} · ${meta.period}`,
      author: meta.publisher?.name,
      subject: [meta.title, meta.tagline, meta.period].filter(Boolean).join(" – "),
      language: meta.language,
      date,
    },
    outline: outlineOf(issue, pagination.pages),
    binding: meta.page.binding,
  });
  if (options.signal?.aborted) throw new DigestError("The build was interrupted: the earlier PDF, if any, is untouched");
  // The document ID hashes the issue's document as any Paged.js tool would lay it out: without digest's layout
  // scripts, whose place in digest's own folders says nothing about the issue, and without the checkout's or issue's place.
  const placeless = html
    .replace(/<script src="[^"]*"><\/script>/g, "")
    .split(pathToFileURL(PACKAGE_ROOT).href)
    .join("digest:")
    .split(pathToFileURL(issue.dir).href)
    .join("issue:");
  const geometry = { trimWidthMm: meta.page.widthMm, trimHeightMm: meta.page.heightMm, bleedMm: meta.page.bleedMm };
  const editions: Editions = { print: pdfPath };
  if (options.screen) {
    // The screen edition is cut from the same finished pages, before the print edition changes them.
    const screen = await PDFDocument.load(await doc.save({ useObjectStreams: true }), { updateMetadata: false });
    screenEdition(screen, geometry);
    setDocumentId(screen, `${placeless}\0screen`);
    editions.screen = `${stem}.screen.pdf`;
    writeWhole(editions.screen, await screen.save({ useObjectStreams: true }));
  }
  printEdition(doc, geometry);
  setDocumentId(doc, `${placeless}\0print`);
  writeWhole(pdfPath, await doc.save({ useObjectStreams: true }));
  if (options.pdfx) {
    editions.pdfx = `${stem}.pdfx.pdf`;
    const tmp = join(dirname(pdfPath), `.${basename(editions.pdfx)}.${process.pid}.tmp`);
    // Ghostscript converts the print edition's pages with their neutral greys written as DeviceGray,
    // so that black and grey come out on the black plate only (true black); the print edition is already written.
    const source = join(dirname(pdfPath), `.${basename(editions.pdfx)}.${process.pid}.source.tmp`);
    try {
      trueBlack(doc);
      writeFileSync(source, await doc.save({ useObjectStreams: false }));
      const pdfx = await convertToPdfx(source, tmp, {
        iccPath: options.icc && resolve(cwd, options.icc),
        title: `${meta.title} · ${meta.period}`,
        date,
      });
      editions.pdfxVersion = pdfx.version;
      renameSync(tmp, editions.pdfx);
    } finally {
      rmSync(tmp, { force: true });
      rmSync(source, { force: true });
    }
  }
  const postSeconds = lap();

  // 5. Preflight what was written, as the printer will, and report the layout's faults (poppler reads the words meanwhile)
  const flaws = pagination.flaws.filter((f) => f.kind !== "overflow" && f.kind !== "clipped");
  // The contents and the pages that fill the binding are designed as whole pages: not judged as pages of text.
  const designed = [...binding.pages, ...(pagination.pages["a-contents"] ? [pagination.pages["a-contents"]] : [])];
  const layoutRun = layoutReport(pdfPath, { flaws, doc, fillerPages: designed });
  layoutRun.catch(() => {});
  const press = { bleedMm: meta.page.bleedMm, binding: meta.page.binding, tacPercent: options.tacPercent };
  // At the same time: each runs poppler and Ghostscript in processes of their own beside its own reading.
  const checked: PreflightResult[] = await Promise.all([
    preflight(editions.print, press).then((report) => ({ edition: "print" as const, report })),
    ...(editions.screen ? [preflight(editions.screen, { screen: true }).then((report) => ({ edition: "screen" as const, report }))] : []),
    ...(editions.pdfx ? [preflight(editions.pdfx, { ...press, pdfx: true }).then((report) => ({ edition: "pdfx" as const, report }))] : []),
  ]);
  const layout = await layoutRun;
  const preflightSeconds = lap();

  return {
    pdfPath,
    editions,
    htmlPath,
    pageCount: result.pageCount,
    blanksAdded: result.blanksAdded,
    fillers: binding.used,
    copyfit: copyfitted,
    units: { total: units.length, cached: pagination.cachedUnits },
    pages: pagination.pages,
    flaws,
    blocked: pagination.blocked,
    problems,
    preflight: checked,
    layout,
    seconds: {
      load,
      render,
      paginate: paginateSeconds - pagination.seconds.print,
      pdf: pagination.seconds.print,
      postProcess: postSeconds,
      preflight: preflightSeconds,
      total: (performance.now() - t0) / 1000,
    },
  };
}
