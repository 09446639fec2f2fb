import { appendFileSync } from "node:fs";
import { basename, relative, resolve } from "node:path";
import { buildIssue, formatPreflight, layoutChecks, listIssues, planIssue, summariseLayout, type BuildReport } from "../index.js";
import { bindingLine, formatPlan, variantWords } from "./plan.js";
import { formatChecks } from "../preflight/report.js";
import { DigestError } from "../errors.js";
import { buildAnnotations, buildSummary, problemRows, reportFormat } from "./ci-report.js";
import type { Output } from "./output.js";

export interface BuildCommandOptions {
  all?: boolean;
  out?: string;
  html?: boolean;
  browser?: string;
  timeout: number;
  jobs?: number;
  minShare?: number;
  cache?: boolean;
  screen?: boolean;
  pdfx?: boolean;
  icc?: string;
  format?: string;
  summary?: string;
  tac: number;
  plan?: boolean;
}

const here = (path: string) => relative(process.cwd(), path) || path;

/** `digest build <issue>` and `digest build --all`: builds, then says what was written and how preflight went. */
export async function buildCommand(issue: string | undefined, options: BuildCommandOptions, out: Output): Promise<void> {
  out.format = reportFormat(options.format);
  if (options.all && options.out) throw new DigestError("Cannot use --out with --all", "Each issue is written to out/<issue>.pdf.");
  const names = options.all ? listIssues(process.cwd()) : issue ? [issue] : [];
  if (!names.length) {
    throw new DigestError(options.all ? "There are no issues under issues/" : "Which issue?", "Name one, e.g. `digest build 2024-q3`, or use --all.");
  }
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const json: object[] = [];
  try {
    for (const name of names) {
      if (options.plan) {
        const planned = await planIssue({ issue: name, browser: options.browser, timeoutSeconds: options.timeout, jobs: options.jobs, minShare: options.minShare, cache: options.cache, signal: controller.signal, log: (line) => out.info(line) });
        if (out.format === "json") json.push({ ...planned, problems: problemRows(planned.problems) });
        else out.result(formatPlan(planned));
        if (planned.plan.met === false) process.exitCode = 1;
        continue;
      }
      const report = await buildIssue({
        issue: name,
        out: options.out,
        html: options.html,
        browser: options.browser,
        timeoutSeconds: options.timeout,
        jobs: options.jobs,
        minShare: options.minShare,
        cache: options.cache,
        screen: options.screen,
        pdfx: options.pdfx,
        icc: options.icc,
        tacPercent: options.tac,
        signal: controller.signal,
        log: (line) => out.info(line),
        // Only a terminal shows the count: elsewhere the page need not report each page.
        onPage: out.isLive ? (count) => out.progress("Laying out pages…", count) : undefined,
      });
      const id = basename(resolve(name));
      if (options.summary) appendFileSync(options.summary, buildSummary(id, report));
      if (out.format === "json") json.push(asJson(report));
      else tell(report, out);
      if (!report.published) process.exitCode = 1;
    }
    if (out.format === "json") out.result(JSON.stringify(json.length === 1 ? json[0] : json, null, 2));
  } catch (error) {
    if (!controller.signal.aborted) throw error;
    // Interrupted (Ctrl-C): said as such, with the shell's exit code for it.
    out.fail(error);
    process.exitCode = 130;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

/** A build's report as JSON: what was written, what preflight found, what to look at. */
function asJson(report: BuildReport): object {
  return {
    ok: report.published,
    written: report.published,
    pdf: here(report.pdfPath),
    pages: report.pageCount,
    blanksAdded: report.blanksAdded,
    fillers: report.fillers,
    copyfit: report.copyfit.variants,
    plan: report.plan,
    units: report.units,
    editions: Object.fromEntries(Object.entries(report.editions).map(([k, v]) => [k, k === "pdfxVersion" ? v : here(v)])),
    flaws: report.flaws,
    layout: report.layout,
    blocked: report.blocked,
    problems: problemRows(report.problems),
    preflight: report.preflight.map((p) => ({ edition: p.edition, ok: p.report.ok, checks: p.report.checks })),
    seconds: report.seconds,
  };
}

function tell(report: BuildReport, out: Output): void {
  if (out.format === "github") {
    for (const line of buildAnnotations(report)) out.result(line);
  } else {
    if (report.problems.count) out.warn(report.problems.report());
    for (const url of report.blocked) out.warn(`Blocked a request to ${url}: pages may load only the issue's pictures, the fonts and the templates' CSS`);
    // What copyfitting could not mend: the page, and the article's source.
    for (const flaw of report.flaws) out.warn(`page ${flaw.page}: ${flaw.kind.replace(/-/g, " ")}${flaw.source ? ` in ${flaw.source.replace(/:\d+$/, "")}` : ""}: “${flaw.text}…” (copyfitting could not mend it)`);
  }
  // The sections copyfitting mended (the binding's line below names those it set for the page count).
  const forCount = new Set(report.plan.changes.map((c) => c.section));
  const copyfitted = Object.entries(report.copyfit.variants).filter(([name]) => !forCount.has(name));
  if (copyfitted.length) {
    const said = copyfitted.map(([name, how]) => `${name} set ${variantWords(how)}`).join("; ");
    const tracked = copyfitted.some(([, how]) => /\b(tight|loose)\b/.test(how));
    out.info(`Copyfit: ${said}${tracked ? " (tracking and spacing within 1 %)" : ""}, so that no page is left nearly empty and no headline, widow or orphan stands alone.`);
  }
  const binding = bindingLine(report.plan, report.fillers);
  if (binding) out.info(binding);
  if (report.blanksAdded) {
    const said = `Added ${report.blanksAdded} blank page${report.blanksAdded === 1 ? "" : "s"} before the back cover for the binding`;
    // Asked for (page.fill: blank), they are no news; else copyfitting and the fillers fell short.
    if (report.fillers.includes("house")) out.warn(`${said}: copyfitting and the filler pages could not reach the binding's multiple. Add a filler ad (\`placement: filler\`), set \`page.fill: notes\`, or cut or add a few lines where a section's last page is nearly full or nearly empty`);
    else out.info(`${said}.`);
  }
  if (report.units.cached) out.info(`Layout cache: ${report.units.cached} of ${report.units.total} units unchanged since an earlier build, taken as they were laid out.`);
  if (report.htmlPath) out.info(`HTML: ${here(report.htmlPath)}`);
  const s = report.seconds;
  out.detail(
    `Stages: load ${s.load.toFixed(2)} s, render ${s.render.toFixed(2)} s, paginate ${s.paginate.toFixed(2)} s, pdf ${s.pdf.toFixed(2)} s, ` +
      `post-process ${s.postProcess.toFixed(2)} s, preflight ${s.preflight.toFixed(2)} s`,
  );
  if (report.published) {
    out.result(`Built ${here(report.pdfPath)}: ${report.pageCount} pages in ${s.total.toFixed(1)} s`);
    if (report.editions.screen) out.result(`Screen edition: ${here(report.editions.screen)}`);
    if (report.editions.pdfx) out.result(`PDF/X edition (${report.editions.pdfxVersion}): ${here(report.editions.pdfx)}`);
  } else {
    out.warn(`Wrote nothing: the ${report.pageCount} pages did not pass the checks below, so ${here(report.pdfPath)} and the other editions, if any, are as they were. Mend what they name and build again.`);
  }
  for (const { edition, report: checks } of report.preflight) {
    const count = (status: string) => checks.checks.filter((c) => c.status === status).length;
    const [fails, warns, notes] = [count("fail"), count("warn"), count("note")];
    const remarks = [warns ? `${warns} with warnings` : "", notes ? `${notes} with ${notes === 1 ? "a note" : "notes"}` : ""].filter(Boolean).join(", ");
    const verdict = fails ? `FAILED (${fails} of ${checks.checks.length} checks)` : `passed ${checks.checks.length} checks${remarks ? `, ${remarks}` : ""}`;
    out.result(`Preflight of the ${edition} edition: ${verdict}`);
    if (fails || warns) out.warn(formatPreflight(checks));
    else if (notes) {
      // A note needs no action: its rows only, where the stages are told.
      const table = formatPreflight(checks);
      if (out.verbosity === "verbose") out.detail(table);
      else out.info(table.split("\n").filter((row) => row.startsWith("NOTE")).join("\n"));
    } else out.detail(formatPreflight(checks));
    if (fails) process.exitCode = 1;
  }
  // The layout report: one line, the whole table with --verbose, and always when text is cut off.
  const layout = layoutChecks(report.layout);
  out.info(summariseLayout(report.layout));
  if (layout.some((c) => c.status === "fail")) out.warn(formatChecks(layout).join("\n"));
  else out.detail(formatChecks(layout).join("\n"));
}
