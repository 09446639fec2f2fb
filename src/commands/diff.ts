import { relative } from "node:path";
import { diffIssue, diffPdfs, listIssues, type DiffReport, type IssueDiff } from "../index.js";
import { DigestError } from "../errors.js";
import type { Output } from "./output.js";

export interface DiffCommandOptions {
  json?: boolean;
  png?: string;
  dpi: number;
  threshold: number;
  browser?: string;
  timeout: number;
}

const here = (path: string) => relative(process.cwd(), path) || path;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** The figures behind the printer's list, for the log. */
function counts(r: DiffReport): string {
  const same = r.pages.filter((p) => p.status === "same").length;
  const shifted = r.pages.filter((p) => p.status === "shifted").length;
  const parts = [`${r.changed.length} changed`, `${r.added.length} added`, `${r.removed.length} removed`, `${shifted} shifted`, `${same} the same`];
  return `${r.old.label} (${plural(r.old.pages, "page")}) → ${r.new.label} (${plural(r.new.pages, "page")}), at ${r.dpi} dpi: ${parts.join(", ")}`;
}

/**
 * `digest diff <old.pdf> <new.pdf>` and `digest diff <git-ref> [issue]`: which pages
 * changed, for the printer. Exit code 0 when nothing changed, 1 when pages differ,
 * 2 when the comparison could not be made.
 */
export async function diffCommand(first: string, second: string | undefined, options: DiffCommandOptions, out: Output): Promise<void> {
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    const compare = { dpi: options.dpi, threshold: options.threshold, pngDir: options.png };
    let reports: (DiffReport | IssueDiff)[];
    if (/\.pdf$/i.test(first)) {
      if (!second || !/\.pdf$/i.test(second)) throw new DigestError(`Expected a second PDF to compare ${first} with`, "digest diff old.pdf new.pdf, or digest diff <git-ref> [issue]");
      reports = [await diffPdfs(first, second, compare)];
    } else {
      const issues = second ? [second] : listIssues(process.cwd());
      if (!issues.length) throw new DigestError("There are no issues under issues/ to compare", "Name one: digest diff main 2024-q3");
      reports = [];
      for (const issue of issues) {
        reports.push(
          await diffIssue({
            ...compare,
            // One folder of pictures per issue when there are several.
            pngDir: options.png && issues.length > 1 ? `${options.png}/${issue}` : options.png,
            issue,
            ref: first,
            browser: options.browser,
            timeoutSeconds: options.timeout,
            signal: controller.signal,
            log: (line) => out.info(line),
          }),
        );
      }
    }
    if (options.json) out.result(JSON.stringify(reports.length === 1 ? reports[0] : reports, null, 2));
    for (const r of reports) {
      out.info(counts(r));
      const pictures = r.pages.filter((p) => p.picture);
      if (pictures.length) out.info(`Pictures of ${plural(pictures.length, "page")}: ${here(pictures[0]!.picture!).replace(/[^/]*$/, "")}`);
      for (const p of pictures) out.detail(`  ${here(p.picture!)}`);
      if (!options.json) out.result("issue" in r && !second ? `${r.issue}: ${r.summary}` : r.summary);
    }
    process.exitCode = reports.every((r) => r.identical) ? 0 : 1;
  } catch (error) {
    out.fail(error);
    // Trouble is 2, as for diff(1): 1 means the pages differ.
    process.exitCode = controller.signal.aborted ? 130 : 2;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
