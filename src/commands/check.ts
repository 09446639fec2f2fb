import { checkIssue, listIssues } from "../index.js";
import { DigestError } from "../errors.js";
import type { Output } from "./output.js";

/** `digest check <issue>`: every problem of the issue folder at once, without Chromium; exit code 1 on errors. */
export function checkCommand(issue: string | undefined, options: { all?: boolean }, out: Output): void {
  const names = options.all ? listIssues(process.cwd()) : issue ? [issue] : [];
  if (!names.length) throw new DigestError(options.all ? "There are no issues under issues/" : "Which issue?", "Name one, e.g. `digest check 2024-q3`, or use --all.");
  for (const name of names) {
    const { id, problems, articles } = checkIssue(name, process.cwd());
    if (problems.count) out.warn(problems.report());
    if (problems.errorCount) {
      out.result(`${id}: ${problems.errorCount} error${problems.errorCount === 1 ? "" : "s"} to fix before it can be built`);
      process.exitCode = 1;
    } else {
      out.result(`${id}: ready to build (${articles} articles${problems.count ? `, ${problems.count} warning${problems.count === 1 ? "" : "s"}` : ""})`);
    }
  }
}
