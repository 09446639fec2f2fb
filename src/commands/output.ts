import { ContentError, DigestError } from "../errors.js";
import { annotation, problemAnnotations, problemRows, type ReportFormat } from "./ci-report.js";

/** How much the user asked to hear. */
export type Verbosity = "quiet" | "normal" | "verbose";

/**
 * The terminal, as the commands speak to it: stages and a live page count on a
 * terminal, plain lines in CI logs, less with --quiet, timings with --verbose.
 */
export class Output {
  private readonly live: boolean;
  private liveLine = false;
  /** How failures are told: to a person, as GitHub workflow annotations, or as JSON on stdout. */
  format: ReportFormat = "text";

  constructor(readonly verbosity: Verbosity = "normal") {
    this.live = Boolean(process.stderr.isTTY) && !process.env.CI && verbosity !== "quiet";
  }

  /** A stage or a notice (not printed with --quiet). */
  info(line: string): void {
    if (this.verbosity === "quiet") return;
    this.endLive();
    process.stderr.write(`${line}\n`);
  }

  /** Only with --verbose. */
  detail(line: string): void {
    if (this.verbosity === "verbose") this.info(line);
  }

  /** Warnings and problems: always printed. */
  warn(text: string): void {
    this.endLive();
    process.stderr.write(text.endsWith("\n") ? text : `${text}\n`);
  }

  /** The result of a command, on stdout. */
  result(line: string): void {
    this.endLive();
    process.stdout.write(`${line}\n`);
  }

  /** Whether a live count will be shown (on a terminal, not in CI logs or with --quiet). */
  get isLive(): boolean {
    return this.live;
  }

  /** A count that changes in place on a terminal (pages laid out); nothing in logs. */
  progress(label: string, count: number): void {
    if (!this.live) return;
    process.stderr.write(`\r${label} ${count}`);
    this.liveLine = true;
  }

  private endLive(): void {
    if (this.liveLine) process.stderr.write("\n");
    this.liveLine = false;
  }

  /** Prints an expected failure as the user should see it: what is wrong and how to fix it, no stack trace. */
  fail(error: unknown): void {
    this.endLive();
    process.exitCode = 1;
    if (this.format === "json" && error instanceof DigestError) {
      const problems = error instanceof ContentError ? problemRows(error.problems) : [];
      process.stdout.write(`${JSON.stringify({ ok: false, error: error.message, ...(error.hint ? { hint: error.hint } : {}), problems }, null, 2)}\n`);
      return;
    }
    if (this.format === "github" && error instanceof DigestError) {
      // The annotations show on the files in GitHub; the log keeps one plain line.
      const lines = error instanceof ContentError ? problemAnnotations(error.problems) : [annotation("error", `${error.message}${error.hint ? `. ${error.hint}` : ""}`, { title: "digest" })];
      process.stdout.write(lines.map((l) => `${l}\n`).join(""));
      process.stderr.write(`digest: ${error.message}\n`);
      return;
    }
    if (error instanceof ContentError) {
      process.stderr.write(error.problems.report() + "\n");
      process.stderr.write(`digest: ${error.message}\n`);
    } else if (error instanceof DigestError) {
      process.stderr.write(`digest: ${error.message}\n${error.hint ? `  ${error.hint}\n` : ""}`);
    } else {
      process.stderr.write(`digest: unexpected error: ${(error as Error)?.message ?? String(error)}\n  This is a bug in digest; run with DIGEST_DEBUG=1 for details.\n`);
      if (process.env.DIGEST_DEBUG) process.stderr.write(`${(error as Error)?.stack}\n`);
    }
  }
}
