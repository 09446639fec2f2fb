// The layout fuzzer: builds random valid issues and reports the faults of their layout.
// Usage: npm run fuzz -- [--seeds N] [--from N] [--seed N] [--size A5] [--keep DIR] [--browser PATH]
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { fuzzSeed, type FuzzResult } from "../src/fuzz/fuzz-seed.js";
import { FUZZ_SIZES } from "../src/fuzz/generate-issue.js";

const { values } = parseArgs({
  options: {
    seeds: { type: "string" },
    from: { type: "string" },
    seed: { type: "string", multiple: true },
    size: { type: "string" },
    keep: { type: "string" },
    browser: { type: "string" },
    help: { type: "boolean", short: "h" },
  },
});

if (values.help) {
  process.stdout.write(`Usage: npm run fuzz -- [options]

Generates random valid issues, builds each with digest and reports its layout faults.

  --seeds <n>      how many seeds to try, from --from on (default 20)
  --from <n>       the first seed (default 1)
  --seed <n>       one seed (repeatable); instead of --seeds
  --size <size>    force the page size: ${FUZZ_SIZES.join(", ")}, or any size issue.yml takes
  --keep <dir>     keep each issue folder and its PDF in <dir>/seed-<n>/
  --browser <path> the Chromium to drive

Exit code 1 when a seed fails to build or has clipped text.
`);
  process.exit(0);
}

const count = (value: string | undefined, fallback: number, name: string) => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    process.stderr.write(`fuzz: Expected a whole number for --${name}, not \`${value}\`\n`);
    process.exit(2);
  }
  return n;
};
const seeds = values.seed?.length
  ? values.seed.map((s) => count(s, 0, "seed"))
  : Array.from({ length: count(values.seeds, 20, "seeds") }, (_, i) => count(values.from, 1, "from") + i);

/** The faults that fail a seed: text cut off or outside the safe area. */
const clippedOf = (r: FuzzResult) => (r.layout ? (r.layout.counts["outside-safe-area"] ?? 0) + (r.layout.counts["clipped"] ?? 0) : 0);
const KINDS = ["clipped", "blank-page", "near-empty-page", "stranded-headline", "widow", "orphan"] as const;
const countOf = (r: FuzzResult, kind: (typeof KINDS)[number]) => (kind === "clipped" ? clippedOf(r) : (r.layout?.counts[kind] ?? 0));

const results: FuzzResult[] = [];
for (const seed of seeds) {
  const r = await fuzzSeed(seed, { size: values.size, keepDir: values.keep && resolve(values.keep), browser: values.browser });
  results.push(r);
  const f = r.facts;
  const what = `seed ${String(seed).padStart(3)}  ${f.size.padEnd(11)} ${f.binding === "perfect" ? "perfect" : "saddle "}  ${String(f.articles).padStart(2)} articles`;
  if (r.error) {
    process.stdout.write(`${what}  BUILD FAILED (${r.seconds.toFixed(1)} s)\n${r.error.replace(/^/gm, "    ")}\n`);
    continue;
  }
  const l = r.layout!;
  const faults = KINDS.map((k) => [k, countOf(r, k)] as const).filter(([, n]) => n).map(([k, n]) => `${n} ${k}`);
  faults.push(`loose ${l.loosePercent.toFixed(1)} % (${l.looseLines}/${l.justifiedLines})`);
  process.stdout.write(`${what}  ${String(r.pageCount).padStart(3)} pages  ${clippedOf(r) ? "CLIPPED  " : ""}${faults.join(", ")}  (${r.seconds.toFixed(1)} s)\n`);
  for (const fault of l.faults.filter((x) => x.kind === "outside-safe-area" || x.kind === "clipped")) {
    process.stdout.write(`    page ${fault.page}: ${fault.kind}: “${fault.text ?? ""}” ${fault.detail ?? ""}\n`);
  }
  if (r.kept) process.stdout.write(`    kept in ${r.kept}\n`);
}

// Totals, overall and by page size.
const failed = results.filter((r) => r.error);
const built = results.filter((r) => r.layout);
const total = (rs: FuzzResult[]) => {
  const justified = rs.reduce((n, r) => n + r.layout!.justifiedLines, 0);
  const loose = rs.reduce((n, r) => n + r.layout!.looseLines, 0);
  const sums = KINDS.map((k) => `${rs.reduce((n, r) => n + countOf(r, k), 0)} ${k}`);
  return `${sums.join(", ")}, loose ${justified ? ((100 * loose) / justified).toFixed(1) : "0.0"} % (${loose}/${justified}), worst seed ${Math.max(0, ...rs.map((r) => r.layout!.loosePercent)).toFixed(1)} %`;
};
process.stdout.write(`\n${results.length} seeds: ${built.length} built, ${failed.length} failed to build${failed.length ? ` (${failed.map((r) => r.facts.seed).join(", ")})` : ""}\n`);
for (const size of [...new Set(results.map((r) => r.facts.size))]) {
  const rs = results.filter((r) => r.facts.size === size);
  const ok = rs.filter((r) => r.layout);
  process.stdout.write(`  ${size.padEnd(11)} ${rs.length} seeds, ${rs.length - ok.length} failed${ok.length ? `; ${total(ok)}` : ""}\n`);
}
if (built.length) process.stdout.write(`  all         ${total(built)}\n`);
const clipped = built.filter((r) => clippedOf(r));
if (failed.length || clipped.length) {
  process.stdout.write(`FAILED: ${failed.length} seed(s) did not build, ${clipped.length} have clipped text\n`);
  process.exitCode = 1;
}
