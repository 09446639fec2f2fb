import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { buildIssue, ContentError, DigestError, formatPreflight, preflight } from "./index.js";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError("Expected a number of seconds, e.g. 120.");
  return n;
}

function millimetres(value: string): number {
  const n = Number.parseFloat(value);
  if (!Number.isFinite(n) || n < 0 || !/^\d+(\.\d+)?(mm)?$/.test(value)) throw new InvalidArgumentError("Expected a length in millimetres, e.g. 3 or 3mm.");
  return n;
}

function binding(value: string): "saddle-stitch" | "perfect" {
  if (value !== "saddle-stitch" && value !== "perfect") throw new InvalidArgumentError("Expected saddle-stitch or perfect.");
  return value;
}

/** Prints an expected failure as the user should see it: what is wrong and how to fix it, no stack trace. */
function fail(error: unknown): void {
  if (error instanceof ContentError) {
    process.stderr.write(error.problems.report() + "\n");
    process.stderr.write(`digest: ${error.message}\n`);
  } else if (error instanceof DigestError) {
    process.stderr.write(`digest: ${error.message}\n${error.hint ? `  ${error.hint}\n` : ""}`);
  } else {
    process.stderr.write(`digest: unexpected error: ${(error as Error)?.message ?? String(error)}\n  This is a bug in digest; run with DIGEST_DEBUG=1 for details.\n`);
    if (process.env.DIGEST_DEBUG) process.stderr.write(`${(error as Error)?.stack}\n`);
  }
  process.exitCode = 1;
}

const program = new Command()
  .name("digest")
  .description("Typesets print-ready PDF magazines from Markdown issue folders.")
  .version(pkg.version, "-V, --version", "print digest's version")
  .helpOption("-h, --help", "show help")
  .showHelpAfterError();

program
  .command("build")
  .description("build an issue into a PDF (out/<issue>.pdf)")
  .argument("<issue>", "issue name under issues/ (e.g. 2024-q3) or path to an issue folder")
  .option("-o, --out <file>", "where to write the PDF (default: out/<issue>.pdf)")
  .option("--html", "also write the HTML given to Paged.js beside the PDF")
  .option("--browser <path>", "Chromium or Chrome to use (default: $PUPPETEER_EXECUTABLE_PATH, then the usual paths)")
  .option("--timeout <seconds>", "give up laying out pages after this many seconds", seconds, 120)
  .option("--screen", "also write the screen edition (<name>.screen.pdf): trim-size pages, clickable links, RGB")
  .option("--pdfx", "also write the PDF/X edition (<name>.pdfx.pdf): CMYK with an output intent, via Ghostscript")
  .option("--icc <file>", "the printer's CMYK ICC profile for --pdfx (default: Ghostscript's CMYK profile)")
  .action(async (issue: string, opts: { out?: string; html?: boolean; browser?: string; timeout: number; screen?: boolean; pdfx?: boolean; icc?: string }) => {
    const controller = new AbortController();
    const onSignal = () => controller.abort();
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    try {
      const report = await buildIssue({
        issue,
        out: opts.out,
        html: opts.html,
        browser: opts.browser,
        timeoutSeconds: opts.timeout,
        screen: opts.screen,
        pdfx: opts.pdfx,
        icc: opts.icc,
        signal: controller.signal,
        log: (line) => process.stderr.write(`${line}\n`),
      });
      if (report.problems.count) process.stderr.write(report.problems.report() + "\n");
      const where = relative(process.cwd(), report.pdfPath) || report.pdfPath;
      for (const url of report.blocked) process.stderr.write(`Blocked a request to ${url}: pages may load only the issue's pictures, the fonts and the templates' CSS\n`);
      for (const flaw of report.flaws) process.stderr.write(`page ${flaw.page}: ${flaw.kind.replace("-", " ")}: “${flaw.text}…”\n`);
      if (report.blanksAdded) process.stderr.write(`Added ${report.blanksAdded} blank page${report.blanksAdded === 1 ? "" : "s"} before the back cover for the binding.\n`);
      if (report.htmlPath) process.stderr.write(`HTML: ${relative(process.cwd(), report.htmlPath)}\n`);
      process.stdout.write(`Built ${where}: ${report.pageCount} pages in ${report.seconds.total.toFixed(1)} s\n`);
      if (report.editions.screen) process.stdout.write(`Screen edition: ${relative(process.cwd(), report.editions.screen)}\n`);
      if (report.editions.pdfx) process.stdout.write(`PDF/X edition (${report.editions.pdfxVersion}): ${relative(process.cwd(), report.editions.pdfx)}\n`);
      for (const { edition, report: checks } of report.preflight) {
        const fails = checks.checks.filter((c) => c.status === "fail").length;
        const warns = checks.checks.filter((c) => c.status === "warn").length;
        const verdict = fails ? `FAILED (${fails} of ${checks.checks.length} checks)` : `passed ${checks.checks.length} checks${warns ? `, ${warns} with warnings` : ""}`;
        process.stdout.write(`Preflight of the ${edition} edition: ${verdict}\n`);
        if (fails || warns) process.stdout.write(`${formatPreflight(checks)}\n`);
        if (fails) process.exitCode = 1;
      }
    } catch (error) {
      fail(error);
    } finally {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    }
  });

program
  .command("preflight")
  .description("check a PDF as a printer's preflight does; exit code 1 on any failed check")
  .argument("<pdf>", "the PDF to check")
  .option("--json", "print the report as JSON (for CI)")
  .option("--bleed <mm>", "the bleed the PDF must have", millimetres, 3)
  .option("--binding <kind>", "saddle-stitch (multiple of 4 pages) or perfect (even)", binding, "saddle-stitch")
  .option("--screen", "check a screen edition: no bleed, any page count (default for *.screen.pdf)")
  .option("--pdfx", "require PDF/X: output intent, no RGB (default for files that claim PDF/X)")
  .action(async (pdf: string, opts: { json?: boolean; bleed: number; binding: "saddle-stitch" | "perfect"; screen?: boolean; pdfx?: boolean }) => {
    try {
      const report = await preflight(pdf, {
        bleedMm: opts.bleed,
        binding: opts.binding,
        screen: opts.screen ?? /\.screen\.pdf$/i.test(pdf),
        pdfx: opts.pdfx,
      });
      process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatPreflight(report)}\n`);
      if (!report.ok) process.exitCode = 1;
    } catch (error) {
      fail(error);
    }
  });

program.parseAsync(process.argv).catch(fail);
