import { relative, resolve } from "node:path";
import type { Problems } from "../content/problems.js";
import type { BuildReport, PreflightResult } from "../index.js";
// Straight from its stage, not through ../index.js: this file is loaded with every command, and the library is not.
import { layoutChecks, summariseLayout } from "../preflight/layout-summary.js";
import type { PreflightCheck } from "../preflight/report.js";

/** How `check` and `build` speak: to a person, to GitHub Actions (workflow annotations), or to a program. */
export type ReportFormat = "text" | "github" | "json";

/** The format asked for, else GitHub's annotations when running in GitHub Actions, else text. */
export function reportFormat(asked?: string): ReportFormat {
  if (asked === "text" || asked === "github" || asked === "json") return asked;
  return process.env.GITHUB_ACTIONS === "true" ? "github" : "text";
}

/** A workflow command's message: `%`, CR and LF escaped, as GitHub's runner reads them. */
export function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** A workflow command's property value: as a message, and `:` and `,` too. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/** Where an annotation points: a file of the repository, and a place in it. */
export interface AnnotationPlace {
  file?: string;
  line?: number;
  col?: number;
  endLine?: number;
  endColumn?: number;
  title?: string;
}

/** One GitHub workflow annotation: `::error file=…,line=…,col=…::message`. */
export function annotation(kind: "error" | "warning" | "notice", message: string, place: AnnotationPlace = {}): string {
  const props = Object.entries(place)
    .filter(([, v]) => v !== undefined && v !== "")
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(",");
  return `::${kind}${props ? ` ${props}` : ""}::${escapeData(message)}`;
}

/** A content problem as data: for JSON, and for annotations. */
export interface ProblemRow {
  file: string;
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  severity: "error" | "warning";
  rule?: string;
  message: string;
}

/** The problems of a check or build, one row each, files relative to the repository (GitHub's workspace) or the current folder. */
export function problemRows(problems: Problems, cwd = process.cwd()): ProblemRow[] {
  const root = process.env.GITHUB_WORKSPACE || cwd;
  return problems.list().map((m) => {
    const place = m.place && "start" in m.place ? m.place : m.place ? { start: m.place, end: undefined } : undefined;
    const end = place?.end && (place.end.line !== place.start.line || place.end.column !== place.start.column) ? place.end : undefined;
    return {
      file: m.file ? relative(root, resolve(cwd, m.file)).split("\\").join("/") : "",
      ...(place ? { line: place.start.line, column: place.start.column } : {}),
      ...(end ? { endLine: end.line, endColumn: end.column } : {}),
      severity: m.fatal ? "error" : "warning",
      ...(m.ruleId ? { rule: m.ruleId } : {}),
      message: m.reason,
    };
  });
}

/** The problems as workflow annotations, each on the file and line GitHub shows it at. */
export function problemAnnotations(problems: Problems, cwd = process.cwd()): string[] {
  return problemRows(problems, cwd).map((r) =>
    annotation(r.severity, r.message, { file: r.file || undefined, line: r.line, col: r.column, endLine: r.endLine, endColumn: r.endColumn, title: r.rule ? `digest ${r.rule}` : "digest" }),
  );
}

const pagesOf = (c: PreflightCheck) => (c.pages?.length ? ` (pages ${c.pages.join(", ")})` : "");

/**
 * What a build leaves for a person to look at, as annotations: content warnings at
 * their lines, widows and the like at the Markdown they come from when known, the
 * layout report's and preflight's warnings and failures on the PDF, blocked requests.
 */
export function buildAnnotations(report: BuildReport, cwd = process.cwd()): string[] {
  const root = process.env.GITHUB_WORKSPACE || cwd;
  const pdf = relative(root, report.pdfPath);
  const lines = problemAnnotations(report.problems, cwd);
  for (const f of report.layout.faults.filter((f) => f.source)) {
    const m = /^(.*):(\d+):(\d+)$/.exec(f.source!);
    if (m) lines.push(annotation("warning", `page ${f.page}: ${f.kind.replace(/-/g, " ")}${f.text ? `: “${f.text}…”` : ""}`, { file: relative(root, resolve(cwd, m[1]!)), line: Number(m[2]), col: Number(m[3]), title: "digest layout" }));
  }
  for (const c of layoutChecks(report.layout).filter((c) => c.status !== "pass")) {
    lines.push(annotation(c.status === "fail" ? "error" : "warning", `${c.title}: ${c.detail}${pagesOf(c)}`, { file: pdf, title: "digest layout" }));
  }
  for (const url of report.blocked) lines.push(annotation("warning", `Blocked a request to ${url}: pages may load only the issue's pictures, the fonts and the templates' CSS`, { file: pdf, title: "digest" }));
  for (const { edition, report: checks } of report.preflight) {
    for (const c of checks.checks.filter((c) => c.status !== "pass")) {
      lines.push(annotation(c.status === "fail" ? "error" : "warning", `${c.title}: ${c.detail}${pagesOf(c)}`, { file: relative(root, checks.file), title: `preflight, ${edition} edition` }));
    }
  }
  return lines;
}

const verdict = (p: PreflightResult) => {
  const fails = p.report.checks.filter((c) => c.status === "fail").length;
  const warns = p.report.checks.filter((c) => c.status === "warn").length;
  return fails ? `❌ failed (${fails} of ${p.report.checks.length} checks)` : warns ? `⚠️ passed, ${warns} with warnings` : `✅ passed (${p.report.checks.length} checks)`;
};
const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** A built issue for a GitHub job summary (Markdown): its editions and pages, the preflight verdicts and checks, the layout report and content warnings. */
export function buildSummary(issue: string, report: BuildReport, cwd = process.cwd()): string {
  const here = (p: string) => relative(cwd, p) || p;
  const out = [`### ${issue}`, "", "| edition | file | pages | preflight |", "| --- | --- | --- | --- |"];
  const files: Record<string, string | undefined> = { print: report.editions.print, screen: report.editions.screen, pdfx: report.editions.pdfx };
  for (const p of report.preflight) {
    const name = p.edition === "pdfx" ? `PDF/X (${report.editions.pdfxVersion ?? "PDF/X"})` : p.edition;
    out.push(`| ${name} | \`${here(files[p.edition] ?? p.report.file)}\` | ${p.report.pages} | ${verdict(p)} |`);
  }
  if (report.blanksAdded) out.push("", `${report.blanksAdded} blank page${report.blanksAdded === 1 ? "" : "s"} added before the back cover for the binding.`);
  const rows = report.preflight.flatMap((p) => p.report.checks.filter((c) => c.status !== "pass").map((c) => `| ${p.edition} | ${c.status.toUpperCase()} | ${cell(c.title)} | ${cell(c.detail)} | ${c.pages?.join(", ") ?? ""} |`));
  if (rows.length) out.push("", "| edition | | check | found | pages |", "| --- | --- | --- | --- | --- |", ...rows);
  out.push("", `**${summariseLayout(report.layout)}**`);
  const layout = layoutChecks(report.layout).filter((c) => c.status !== "pass");
  if (layout.length) out.push("", "| | check | found | pages |", "| --- | --- | --- | --- |", ...layout.map((c) => `| ${c.status.toUpperCase()} | ${cell(c.title)} | ${cell(c.detail)} | ${c.pages?.join(", ") ?? ""} |`));
  const notes = [
    ...report.blocked.map((u) => `- blocked a request to \`${u}\``),
    ...problemRows(report.problems, cwd).map((r) => `- ${r.file}${r.line ? `:${r.line}:${r.column}` : ""}: ${r.severity}: ${cell(r.message)}`),
  ];
  if (notes.length) out.push("", ...notes);
  // A blank line after, so that the next issue's report starts a block of its own.
  return `${out.join("\n")}\n\n`;
}
