import { digestVersion } from "./paths.js";
import { Command, Option } from "commander";
import { Output, type Verbosity } from "./commands/output.js";
import { characters, dpi, formatOption, fraction, jobs, millimetres, pageRange, percent, port, seconds } from "./commands/arguments.js";
// Each command is loaded when it runs, so `digest --help` does not wait for Chromium's driver or the PDF tools.
const commands = {
  build: () => import("./commands/build.js"),
  check: () => import("./commands/check.js"),
  diff: () => import("./commands/diff.js"),
  import: () => import("./commands/import.js"),
  new: () => import("./commands/new.js"),
  preflight: () => import("./commands/preflight.js"),
  preview: () => import("./commands/preview.js"),
  proof: () => import("./commands/proof.js"),
};

const version = digestVersion();

/** Runs a command with the output the global flags ask for; failures become messages and exit code 1. */
function run<A extends unknown[]>(action: (out: Output, ...args: A) => unknown) {
  return async (...args: A) => {
    const flags = program.opts<{ quiet?: boolean; verbose?: boolean }>();
    const out = new Output(((flags.quiet && "quiet") || (flags.verbose && "verbose") || "normal") as Verbosity);
    try {
      await action(out, ...args);
    } catch (error) {
      out.fail(error);
    }
  };
}

const program = new Command()
  .name("digest")
  .description("Typesets print-ready PDF magazines from Markdown issue folders.")
  .version(version, "-V, --version", "print digest's version")
  .option("-q, --quiet", "print only results, warnings and errors")
  .option("-v, --verbose", "also print each stage's time and the full preflight tables")
  .helpOption("-h, --help", "show help")
  .showHelpAfterError();

program
  .command("build")
  .description("build an issue into a PDF (out/<issue>.pdf), preflighted")
  .argument("[issue]", "issue name under issues/ (e.g. 2024-q3) or path to an issue folder")
  .option("--all", "build every issue under issues/")
  .option("-o, --out <file>", "where to write the PDF (default: out/<issue>.pdf)")
  .option("--html", "also write the HTML that Paged.js lays out beside the PDF (without the layout scripts)")
  .option("--browser <path>", "Chromium or Chrome to use (default: $PUPPETEER_EXECUTABLE_PATH, then the usual paths)")
  .option("--timeout <seconds>", "give up laying out pages after this many seconds", seconds, 120)
  .option("--jobs <n>", "lay out up to this many sections at once, each in a Chromium process of its own (default: the machine's cores less one); the PDF is the same whatever the number", jobs)
  .option("--min-share <characters>", "the least markup worth a renderer of its own in the first layout, with --jobs above 1 (default: 150000); the PDF is the same whatever the number", characters)
  .option("--no-cache", "lay out every page, taking nothing from the layout cache (node_modules/.cache/digest/layout); the PDF is the same either way")
  .option("--screen", "also write the screen edition (<name>.screen.pdf): trim-size pages, clickable links, RGB")
  .option("--pdfx", "also write the PDF/X edition (<name>.pdfx.pdf): CMYK with an output intent, via Ghostscript")
  .option("--icc <file>", "the printer's CMYK ICC profile for --pdfx (default: Ghostscript's CMYK profile)")
  .addOption(formatOption())
  .option("--summary <file>", "append a Markdown report of each build to this file (in CI: $GITHUB_STEP_SUMMARY)")
  .option("--tac <percent>", "the printer's ink limit (total area coverage) the editions' preflight holds CMYK to", percent, 300)
  .action(run(async (out, issue: string | undefined, opts) => (await commands.build()).buildCommand(issue, opts, out)));

program
  .command("check")
  .description("check an issue folder and report every problem at once, without building (exit code 1 on errors)")
  .argument("[issue]", "issue name under issues/ or path to an issue folder")
  .option("--all", "check every issue under issues/")
  .addOption(formatOption())
  .action(run(async (out, issue: string | undefined, opts) => (await commands.check()).checkCommand(issue, opts, out)));

program
  .command("preview")
  .description("serve the issue's pages on 127.0.0.1 and reload them whenever a file is saved")
  .argument("<issue>", "issue name under issues/ or path to an issue folder")
  .option("-p, --port <n>", "the port to serve on", port, 4173)
  .action(run(async (out, issue: string, opts) => (await commands.preview()).previewCommand(issue, opts, out)));

program
  .command("new")
  .description("make a new issue folder under issues/ that builds as it is")
  .argument("<issue>", "the new issue's name, YYYY-qN (e.g. 2025-q1)")
  .action(run(async (out, name: string) => (await commands.new()).newCommand(name, out)));

program
  .command("diff")
  .description("say which pages changed between two PDFs, or since a git ref (exit code 0 same, 1 different, 2 trouble)")
  .argument("<old>", "the old PDF, or a git branch, tag or commit to build the issue at")
  .argument("[new]", "the new PDF; with a git ref, the issue (default: every issue)")
  .option("--json", "print the comparison as JSON")
  .option("--png <dir>", "write a side-by-side picture of each changed, added and removed page, changed areas boxed in red")
  .option("--dpi <n>", "the resolution pages are compared at", dpi, 72)
  .option("--threshold <0-1>", "how different two pixels' colours must be to count (0: any difference)", fraction, 0)
  .option("--browser <path>", "Chromium or Chrome to build with (with a git ref)")
  .option("--timeout <seconds>", "give up laying out pages after this many seconds (with a git ref)", seconds, 120)
  .action(run(async (out, old: string, next: string | undefined, opts) => (await commands.diff()).diffCommand(old, next, opts, out)));

program
  .command("proof")
  .description("write the issue as spreads (PNG) and a contact sheet of all its pages, building its PDF if missing")
  .argument("[issue]", "issue name under issues/ or path to an issue folder (optional with --pdf)")
  .option("--all", "proof every issue under issues/")
  .option("--pdf <file>", "the PDF to proof (default: out/<issue>.pdf, built when missing)")
  .option("--build", "build the issue first even when its PDF exists")
  .option("-o, --out <dir>", "where to write the pictures (default: out/<issue>-proof/)")
  .option("--dpi <n>", "the resolution of the spreads", dpi, 100)
  .option("--pages <range>", "only the spreads that hold these pages, e.g. 4-9", pageRange)
  .option("--browser <path>", "Chromium or Chrome to build with")
  .action(run(async (out, issue: string | undefined, opts) => (await commands.proof()).proofCommand(issue, opts, out)));

program
  .command("import")
  .description("turn a Word document into the next article of a month or the spotlight")
  .argument("<docx>", "the Word document (.docx)")
  .argument("<where>", "the issue and its section: 2024-q3/months/2024-09, 2024-q3/2024-09 or 2024-q3/spotlight")
  .action(run(async (out, docx: string, where: string) => (await commands.import()).importCommand(docx, where, out)));

program
  .command("preflight")
  .description("check PDFs as a printer's preflight does (exit code 1 on any failed check)")
  .argument("<pdf...>", "the PDFs to check")
  .option("--json", "print the report as JSON (for CI)")
  .option("--bleed <mm>", "the bleed the PDF must have", millimetres, 3)
  .addOption(new Option("--binding <kind>", "how the issue is bound").choices(["saddle-stitch", "perfect"]).default("saddle-stitch"))
  .option("--screen", "check a screen edition: no bleed, any page count (default for *.screen.pdf)")
  .option("--pdfx", "require PDF/X: output intent, no RGB (default for files that claim PDF/X)")
  .option("--layout", "add the layout report: text outside the safe area, blank and near-empty pages, loose lines")
  .option("--tac <percent>", "the highest total area coverage the printer accepts (ink, all plates together)", percent, 300)
  .action(run(async (out, pdfs: string[], opts) => (await commands.preflight()).preflightCommand(pdfs, opts, out)));

await program.parseAsync(process.argv);
// A command is over when its action returns: puppeteer may still hold timers for a
// Chromium that crashed, and they must not keep the terminal waiting.
process.exit(process.exitCode ?? 0);
