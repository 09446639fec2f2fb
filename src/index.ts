// The library API: what the CLI (src/cli.ts) and other programs call. The build
// recipe itself is src/build.ts.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, relative, resolve } from "node:path";
import { loadIssue } from "./content/load-issue.js";
import { scaffoldIssue } from "./content/scaffold.js";
import { Problems } from "./content/problems.js";
import { reportLowResolution } from "./render/picture-placement.js";
import type { PreflightOptions, PreflightReport } from "./preflight/report.js";
import type { LayoutReport } from "./preflight/layout-summary.js";
import type { LayoutFlaw } from "./layout/paginate.js";
import { ContentError, DigestError } from "./errors.js";
import type { DiffOptions, DiffReport } from "./review/diff.js";
import type { PageRange, ProofReport } from "./review/proof.js";
import type { ImportResult } from "./content/import-docx.js";
import { buildIssue } from "./build.js";
import { locateIssue } from "./content/locate-issue.js";
import { gridOf } from "./render/grid.js";

export { ContentError, DigestError } from "./errors.js";
export { buildIssue, buildDate, outlineOf, type BuildOptions, type BuildReport, type Editions, type PreflightResult } from "./build.js";
export { locateIssue, listIssues } from "./content/locate-issue.js";
export { gridOf } from "./render/grid.js";
export { loadIssue, resolveIssueDir } from "./content/load-issue.js";
export { renderIssue } from "./render/render-issue.js";
export type { Issue } from "./content/model.js";
export { formatPreflight, type PreflightReport, type PreflightOptions } from "./preflight/report.js";
export type { DiffOptions, DiffReport, PageDiff, PageStatus, ShiftedRun } from "./review/diff.js";
export type { PageRange, ProofReport, Spread } from "./review/proof.js";
export type { ImportNote, ImportResult } from "./content/import-docx.js";
export { layoutChecks, summariseLayout, LAYOUT_LIMITS, type LayoutReport, type LayoutFault } from "./preflight/layout-summary.js";

/** Reads a built PDF and reports the faults of its layout (see src/preflight/layout-report.ts); `flaws` are the build's own findings. */
export async function layoutReport(pdfPath: string, options?: { flaws?: LayoutFlaw[] }): Promise<LayoutReport> {
  return (await import("./preflight/layout-report.js")).layoutReport(pdfPath, options);
}

/** Checks a PDF as a printer's preflight does (see src/preflight/preflight.ts); loads its PDF tools on first use. */
export async function preflight(pdfPath: string, options?: PreflightOptions): Promise<PreflightReport> {
  return (await import("./preflight/preflight.js")).preflight(pdfPath, options);
}

/**
 * Compares two PDFs page by page, by their pixels, with pages lined up by content:
 * what changed, was added, removed, or only moved (see src/review/diff.ts).
 */
export async function diffPdfs(oldPdf: string | undefined, newPdf: string, options?: DiffOptions): Promise<DiffReport> {
  return (await import("./review/diff.js")).diffPdfs(oldPdf, newPdf, options);
}

export interface IssueDiffOptions extends DiffOptions {
  /** An issue name under `issues/`, or a path to an issue folder. */
  issue: string;
  /** The branch, tag or commit to compare with. */
  ref: string;
  cwd?: string;
  browser?: string;
  timeoutSeconds?: number;
  log?: (line: string) => void;
  signal?: AbortSignal;
}

/** The comparison of an issue at a git ref with the issue in the working tree. */
export interface IssueDiff extends DiffReport {
  issue: string;
  ref: string;
}

/**
 * Builds an issue as it was at a git ref (with digest as it was there) and as it is in
 * the working tree, and compares the two PDFs. An issue new since the ref is all added pages.
 */
export async function diffIssue(options: IssueDiffOptions): Promise<IssueDiff> {
  const cwd = options.cwd ?? process.cwd();
  const dir = locateIssue(options.issue, cwd);
  const { buildAtRef } = await import("./review/build-at-ref.js");
  const work = mkdtempSync(join(tmpdir(), "digest-diff-build-"));
  try {
    const before = await buildAtRef({ ref: options.ref, issueDir: dir, workDir: work, browser: options.browser, log: options.log });
    options.log?.(`Building ${basename(dir)} as it is now…`);
    const now = await buildIssue({ issue: dir, cwd, out: join(work, "new.pdf"), browser: options.browser, timeoutSeconds: options.timeoutSeconds, signal: options.signal });
    const report = await diffPdfs(before.pdf, now.pdfPath, options);
    return {
      ...report,
      issue: basename(dir),
      ref: options.ref,
      old: { label: before.pdf ? `${before.issuePath} at ${options.ref}` : `${before.issuePath} (not at ${options.ref})`, pages: report.old.pages },
      new: { label: `${before.issuePath} in the working tree`, pages: report.new.pages },
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export interface ProofIssueOptions {
  /** An issue name or folder; optional with `pdf`. */
  issue?: string;
  /** The PDF to proof; default `out/<issue>.pdf`, built first when missing. */
  pdf?: string;
  /** Build the issue first even when its PDF exists. */
  build?: boolean;
  /** Where to write the pictures; default `out/<issue>-proof/`. */
  outDir?: string;
  dpi?: number;
  pages?: PageRange;
  cwd?: string;
  browser?: string;
  log?: (line: string) => void;
  signal?: AbortSignal;
}

/** Writes an issue's spreads as PNGs and a contact sheet of the whole issue, building its PDF first if there is none. */
export async function proofIssue(options: ProofIssueOptions): Promise<ProofReport & { built: boolean }> {
  const cwd = options.cwd ?? process.cwd();
  if (!options.issue && !options.pdf) throw new DigestError("Which issue?", "Name one, e.g. `digest proof 2024-q3`, or give a PDF with --pdf.");
  let pdf = options.pdf && resolve(cwd, options.pdf);
  let built = false;
  const id = options.issue ? basename(locateIssue(options.issue, cwd)) : basename(pdf!).replace(/\.pdf$/i, "");
  if (!pdf) {
    pdf = resolve(cwd, "out", `${id}.pdf`);
    if (options.build || !existsSync(pdf)) {
      options.log?.(existsSync(pdf) ? `Building ${id}…` : `No ${relative(cwd, pdf)} yet: building it…`);
      pdf = (await buildIssue({ issue: options.issue!, cwd, browser: options.browser, signal: options.signal, log: options.log })).pdfPath;
      built = true;
    }
  }
  const outDir = resolve(cwd, options.outDir ?? (options.pdf ? pdf.replace(/\.pdf$/i, "") + "-proof" : join("out", `${id}-proof`)));
  const report = await (await import("./review/proof.js")).proofPdf(pdf, { outDir, dpi: options.dpi, pages: options.pages });
  return { ...report, built };
}

export interface ImportArticleOptions {
  /** The Word document (.docx). */
  docx: string;
  /** The issue and where in it: `2024-q3/months/2024-09`, `2024-q3/2024-09`, `2024-q3/spotlight` (the issue a name or a folder path). */
  target: string;
  cwd?: string;
}

/** What `importArticle` wrote, what it could not keep, and what the check said of the new article. */
export interface ImportedArticle extends ImportResult {
  issue: string;
  /** Warnings `digest check` gives for the new article (errors undo the import). */
  problems: Problems;
  /** Errors elsewhere in the issue, older than the import. */
  otherErrors: number;
}

/**
 * Turns a Word document into the next article of a month or the spotlight (see
 * src/content/import-docx.ts), then checks the issue as `digest check` does: when
 * the new article has an error, it is taken out again and the error thrown.
 */
export async function importArticle(options: ImportArticleOptions): Promise<ImportedArticle> {
  const cwd = options.cwd ?? process.cwd();
  const m = /^(.+?)\/+((?:months\/+)?\d{4}-\d{2}|spotlight)\/*$/.exec(options.target);
  if (!m) throw new DigestError(`Expected the issue and a month or the spotlight, not \`${options.target}\``, "e.g. digest import story.docx 2024-q3/months/2024-09 (or 2024-q3/spotlight)");
  const issueDir = locateIssue(m[1]!, cwd);
  const { importDocx } = await import("./content/import-docx.js");
  const result = await importDocx({ docx: resolve(cwd, options.docx), issueDir, section: m[2]!.replace(/\/+/g, "/") });
  const { problems } = loadIssue(issueDir, cwd);
  const ours = new Set([result.file, ...result.pictures].map((p) => relative(cwd, p) || p));
  const mine = new Problems(cwd);
  let otherErrors = 0;
  for (const message of problems.list()) {
    const file = message.file ?? "";
    if (!ours.has(file)) {
      if (message.fatal) otherErrors++;
      continue;
    }
    if (message.fatal) mine.error(file, message.place, message.reason, message.ruleId ?? "digest");
    else mine.warn(file, message.place, message.reason, message.ruleId ?? "digest");
  }
  if (mine.errorCount) {
    for (const p of [result.file, ...result.pictures]) rmSync(p, { force: true });
    throw new ContentError(mine);
  }
  return { ...result, issue: basename(issueDir), problems: mine, otherErrors };
}

/** Checks an issue folder without building it: every problem, located. */
export function checkIssue(name: string, cwd: string): { id: string; problems: Problems; articles: number } {
  const dir = locateIssue(name, cwd);
  const { issue, problems } = loadIssue(dir, cwd);
  if (issue) reportLowResolution(issue, gridOf(issue), problems);
  const articles = issue ? issue.spotlight.length + issue.months.reduce((n, m) => n + m.articles.length, 0) : 0;
  return { id: basename(dir), problems, articles };
}

/** Makes `issues/<name>/` with an example of every part of an issue. */
export function newIssue(name: string, cwd: string): { dir: string; files: string[] } {
  const dir = resolve(cwd, "issues", name);
  return { dir, files: scaffoldIssue(dir, name) };
}
