import { checkIssue, listIssues } from "../index.js";
import { DigestError } from "../errors.js";
import { problemAnnotations, problemRows, reportFormat } from "./ci-report.js";
import type { Output } from "./output.js";

/**
 * `digest check <issue>`: every problem of the issue folder at once, without Chromium; exit code 1 on errors.
 * As text, as GitHub workflow annotations (`--format github`, the default in GitHub Actions), or as JSON.
 */
export function checkCommand(issue: string | undefined, options: { all?: boolean; format?: string }, out: Output): void {
  out.format = reportFormat(options.format);
  const names = options.all ? listIssues(process.cwd()) : issue ? [issue] : [];
  if (!names.length) throw new DigestError(options.all ? "There are no issues under issues/" : "Which issue?", "Name one, e.g. `digest check 2024-q3`, or use --all.");
  const results = names.map((name) => checkIssue(name, process.cwd()));
  if (results.some((r) => r.problems.errorCount)) process.exitCode = 1;
  if (out.format === "json") {
    const rows = results.map(({ id, problems, articles }) => ({
      issue: id,
      ready: !problems.errorCount,
      articles,
      errors: problems.errorCount,
      warnings: problems.count - problems.errorCount,
      problems: problemRows(problems),
    }));
    out.result(JSON.stringify(rows.length === 1 ? rows[0] : rows, null, 2));
    return;
  }
  for (const { id, problems, articles } of results) {
    if (problems.count) {
      if (out.format === "github") for (const line of problemAnnotations(problems)) out.result(line);
      else out.warn(problems.report());
    }
    if (problems.errorCount) out.result(`${id}: ${problems.errorCount} error${problems.errorCount === 1 ? "" : "s"} to fix before it can be built`);
    else out.result(`${id}: ready to build (${articles} articles${problems.count ? `, ${problems.count} warning${problems.count === 1 ? "" : "s"}` : ""})`);
  }
}
