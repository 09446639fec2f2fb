// The odd-input fuzzer (src/fuzz/odd-inputs.ts): issues of hostile and odd files, checked
// and, when they check clean, built. Every problem must be located; nothing may crash.
// Usage: npm run fuzz:odd -- [--seeds N] [--from N] [--build] [--keep DIR]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { checkOddSeed } from "../src/fuzz/odd-inputs.js";
import { buildIssue, ContentError } from "../src/index.js";

const { values } = parseArgs({ options: { seeds: { type: "string" }, from: { type: "string" }, build: { type: "boolean" }, keep: { type: "string" }, help: { type: "boolean", short: "h" } } });
if (values.help) {
  process.stdout.write("Usage: npm run fuzz:odd -- [--seeds N (default 100)] [--from N (default 1)] [--build: also build the issues that check clean] [--keep DIR]\n");
  process.exit(0);
}
const from = Number(values.from ?? 1);
const seeds = Number(values.seeds ?? 100);
const work = values.keep ? resolve(values.keep) : mkdtempSync(join(tmpdir(), "digest-fuzz-odd-"));
let failed = 0;
let clean = 0;
for (let seed = from; seed < from + seeds; seed++) {
  const v = await checkOddSeed(seed, work);
  const findings = [...v.crashes.map((c) => `crash: ${c.split("\n")[0]}`), ...v.unlocated.map((u) => `unlocated: ${u}`), ...v.unhelpful.map((u) => `unhelpful: ${u}`)];
  if (!v.errors && values.build) {
    clean++;
    try {
      await buildIssue({ issue: v.dir, cwd: v.dir, out: join(v.dir, "..", "odd.pdf") });
    } catch (error) {
      if (!(error instanceof ContentError)) findings.push(`build crash: ${(error as Error).message}`);
      else for (const m of error.problems.list()) if (m.fatal && (!m.file || !m.line)) findings.push(`build, unlocated: ${m.reason}`);
    }
  }
  if (findings.length) failed++;
  process.stdout.write(`seed ${seed}: ${v.errors} errors, ${v.warnings} warnings${findings.length ? `\n  ${findings.join("\n  ")}\n  pieces: ${v.pieces.join(", ")}` : ""}\n`);
}
process.stdout.write(`${seeds} seeds, ${failed} with findings${values.build ? `, ${clean} checked clean and were built` : ""}\n`);
if (!values.keep) rmSync(work, { recursive: true, force: true });
process.exit(failed ? 1 : 0);
