// The benchmark (`npm run bench`): digest against pagedjs-cli on the very same
// HTML, for the sample issue and a generated issue about ten times larger.
// Prints figures; asserts nothing. BENCH_RUNS sets the runs per case (default 5).
// Memory is the peak of the whole process tree, Chromium included, as PSS.
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeLargeIssue } from "./make-large-issue.js";
import { findBrowser, launchBrowser } from "../src/layout/browser.js";
import { PAGED_HANDLERS } from "../src/layout/scripts.js";
import { startPreview } from "../src/preview/server.js";

const root = join(import.meta.dirname, "..");
const runs = Number(process.env.BENCH_RUNS ?? 5);
const work = mkdtempSync(join(tmpdir(), "digest-bench-"));
const browser = process.env.PUPPETEER_EXECUTABLE_PATH ?? ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].find(existsSync);

interface Run {
  seconds: number;
  peakMb: number;
  stdout: string;
  stderr: string;
}

/** A process's memory in MB: its proportional share (PSS), so pages Chromium's processes share count once. */
function processMb(pid: number): number {
  try {
    const pss = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"));
    if (pss) return Number(pss[1]) / 1024;
  } catch {
    // no smaps_rollup: fall back to the resident size
  }
  try {
    return (Number(readFileSync(`/proc/${pid}/statm`, "utf8").split(" ")[1]) * 4096) / 1024 / 1024;
  } catch {
    return 0; // the process ended meanwhile
  }
}

/** The memory of a process and all its descendants (Chromium's processes included), in MB. */
function treeRssMb(pid: number): number {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // the process ended meanwhile
    }
  }
  let total = 0;
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop()!;
    total += processMb(p);
    stack.push(...(children.get(p) ?? []));
  }
  return total;
}

/** Runs a command to its end: wall time and the peak memory of its process tree, sampled every 20 ms. */
function measure(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd: root, env });
    let stdout = "";
    let stderr = "";
    let peakMb = 0;
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const sampler = setInterval(() => (peakMb = Math.max(peakMb, treeRssMb(child.pid!))), 20);
    child.on("close", (code) => {
      clearInterval(sampler);
      const seconds = (performance.now() - started) / 1000;
      if (code !== 0) reject(new Error(`${command} ${args.join(" ")} failed (${code}):\n${stderr}`));
      else resolve({ seconds, peakMb, stdout, stderr });
    });
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const STAGES = ["load", "render", "paginate", "pdf", "post-process", "preflight"] as const;

interface CaseResult {
  name: string;
  pages: number;
  /** Every page laid out (--no-cache), as many jobs as cores. */
  digest: { wall: number; peakMb: number; stages: Record<string, number> };
  pagedjs: { wall: number; peakMb: number; pages: number };
  /** Nothing changed since the last build: every unit from the layout cache. */
  cached: number;
  /** One article changed since the last build. */
  oneArticle: number;
  /** Every page laid out, with --jobs 1, 2 and 4. */
  jobs: Record<number, number>;
}

/** A copy of an issue in the bench's folder, so that the bench may edit it. */
function copyIssue(name: string, issueDir: string): string {
  const copy = join(work, "copies", name, "2024-q3");
  cpSync(issueDir, copy, { recursive: true });
  return copy;
}

/** Changes one news article of an issue (a sentence at its end), a little differently each time. */
function editArticle(issueDir: string, n: number): void {
  const month = join(issueDir, "months", "2024-08");
  const article = join(month, readdirSync(month).filter((f) => f.endsWith(".md")).sort()[0]!);
  const text = readFileSync(article, "utf8").replace(/\nEdited by the benchmark, time \d+\.\n$/, "\n");
  writeFileSync(article, `${text}\nEdited by the benchmark, time ${n}.\n`);
}

async function benchCase(name: string, source: string): Promise<CaseResult> {
  const issueDir = copyIssue(name, source);
  const out = join(work, `${name}.pdf`);
  const html = out.replace(/\.pdf$/, ".html");
  const digest = (...flags: string[]) => measure(process.execPath, [join(root, "bin", "digest.js"), "--verbose", "build", issueDir, "--out", out, ...flags]);
  const cold = () => digest("--html", "--no-cache");
  // pagedjs-cli lays out the HTML digest wrote, with digest's own Paged.js handlers, so both lay out the same pages.
  const pagedjs = () =>
    measure(
      process.execPath,
      [join(root, "node_modules", "pagedjs-cli", "src", "cli.js"), html, "-o", join(work, `${name}.pagedjs.pdf`), ...PAGED_HANDLERS.flatMap((script) => ["--additional-script", script]), "--browserArgs=--no-sandbox,--disable-gpu,--disable-background-networking"],
      { ...process.env, PUPPETEER_EXECUTABLE_PATH: browser },
    );
  await cold(); // writes the HTML, and warms the caches both use (the disk's, the bundle's)
  // The two take turns, so that whatever else the machine does weighs on both alike.
  const digestRuns: Run[] = [];
  const pagedRuns: Run[] = [];
  for (let i = 0; i < runs; i++) {
    digestRuns.push(await cold());
    pagedRuns.push(await pagedjs());
  }
  const stageRuns = digestRuns.map((r) => {
    const line = /Stages: (.*)/.exec(r.stderr)?.[1] ?? "";
    return Object.fromEntries([...line.matchAll(/([a-z-]+) ([\d.]+) s/g)].map((m) => [m[1]!, Number(m[2])]));
  });
  const pages = Number(/: (\d+) pages in/.exec(digestRuns[0]!.stdout)?.[1]);
  const pagedPages = Number(/Pages:\s+(\d+)/.exec(await pdfinfo(join(work, `${name}.pagedjs.pdf`)))?.[1]);
  // The layout cache: a build with nothing changed, then builds after one article changed.
  await digest();
  const cachedRuns: number[] = [];
  const editRuns: number[] = [];
  for (let i = 0; i < runs; i++) {
    cachedRuns.push((await digest()).seconds);
    editArticle(issueDir, i);
    editRuns.push((await digest()).seconds);
  }
  // How the cold build scales with jobs (3 runs each).
  const jobs: Record<number, number> = {};
  for (const n of [1, 2, 4]) {
    const times: number[] = [];
    for (let i = 0; i < Math.min(runs, 3); i++) times.push((await digest("--no-cache", "--jobs", String(n))).seconds);
    jobs[n] = median(times);
  }
  return {
    name,
    pages,
    digest: {
      wall: median(digestRuns.map((r) => r.seconds)),
      peakMb: Math.max(...digestRuns.map((r) => r.peakMb)),
      stages: Object.fromEntries(STAGES.map((s) => [s, median(stageRuns.map((r) => r[s] ?? 0))])),
    },
    pagedjs: { wall: median(pagedRuns.map((r) => r.seconds)), peakMb: Math.max(...pagedRuns.map((r) => r.peakMb)), pages: pagedPages },
    cached: median(cachedRuns),
    oneArticle: median(editRuns),
    jobs,
  };
}

function pdfinfo(pdf: string): Promise<string> {
  return measure("pdfinfo", [pdf]).then((r) => r.stdout);
}

const pad = (s: string | number, n: number) => String(s).padStart(n);

/**
 * The preview: seconds from saving a change to an article of an issue to the
 * browser showing it in the laid-out pages (median of `runs` edits).
 */
async function benchPreview(name: string, source: string): Promise<number> {
  const copy = join(work, `preview-${name}`, "2024-q3");
  cpSync(source, copy, { recursive: true });
  const server = await startPreview({ issue: copy, port: 0 });
  const session = await launchBrowser(findBrowser());
  try {
    const page = await session.browser.newPage();
    await page.goto(server.url);
    await page.waitForFunction("window.digestLaidOut", { timeout: 180_000 });
    const article = join(copy, "months", "2024-07", "01-sco-countries-support-cica-transformation.md");
    const original = readFileSync(article, "utf8");
    const times: number[] = [];
    for (let i = 1; i <= runs; i++) {
      const title = `SCO Countries Support CICA Transformation, edit ${i}`;
      const saved = performance.now();
      writeFileSync(article, original.replace(/^title: .*$/m, `title: ${title}`));
      // Seen in the laid-out pages, not merely in the document Paged.js is about to lay out.
      await page.waitForFunction((t: string) => Boolean(document.querySelector(".pagedjs_pages")?.textContent?.includes(t)), { timeout: 180_000, polling: 20 }, title);
      times.push((performance.now() - saved) / 1000);
    }
    return median(times);
  } finally {
    await session.close();
    await server.close();
  }
}

async function main(): Promise<void> {
  process.stderr.write(`digest benchmark: ${runs} runs per case, medians; Chromium ${browser}\n`);
  const large = makeLargeIssue(join(work, "large"));
  const cases = [await benchCase("sample", join(root, "issues", "2024-q3")), await benchCase("large", large)];

  const rows: string[] = [];
  rows.push(`${"".padEnd(28)}${pad("sample", 10)}${pad("large", 10)}`);
  for (const stage of STAGES) rows.push(`${`digest: ${stage}`.padEnd(28)}${cases.map((c) => pad(c.digest.stages[stage]!.toFixed(2), 10)).join("")}`);
  rows.push(`${"digest: whole (wall), s".padEnd(28)}${cases.map((c) => pad(c.digest.wall.toFixed(2), 10)).join("")}`);
  rows.push(`${"pagedjs-cli (wall), s".padEnd(28)}${cases.map((c) => pad(c.pagedjs.wall.toFixed(2), 10)).join("")}`);
  rows.push(`${"pages (digest / pagedjs)".padEnd(28)}${cases.map((c) => pad(`${c.pages}/${c.pagedjs.pages}`, 10)).join("")}`);
  rows.push(`${"digest pages per second".padEnd(28)}${cases.map((c) => pad((c.pages / c.digest.wall).toFixed(1), 10)).join("")}`);
  rows.push(`${"peak memory digest, MB".padEnd(28)}${cases.map((c) => pad(Math.round(c.digest.peakMb), 10)).join("")}`);
  rows.push(`${"peak memory pagedjs-cli, MB".padEnd(28)}${cases.map((c) => pad(Math.round(c.pagedjs.peakMb), 10)).join("")}`);
  rows.push(`${"ratio digest / pagedjs-cli".padEnd(28)}${cases.map((c) => pad((c.digest.wall / c.pagedjs.wall).toFixed(2), 10)).join("")}`);
  rows.push(`${"digest, nothing changed, s".padEnd(28)}${cases.map((c) => pad(c.cached.toFixed(2), 10)).join("")}`);
  rows.push(`${"digest, one article changed".padEnd(28)}${cases.map((c) => pad(c.oneArticle.toFixed(2), 10)).join("")}`);
  for (const n of [1, 2, 4]) rows.push(`${`digest --jobs ${n}, s`.padEnd(28)}${cases.map((c) => pad(c.jobs[n]!.toFixed(2), 10)).join("")}`);
  process.stdout.write(`${rows.join("\n")}\n\n`);

  const [sample, big] = cases as [CaseResult, CaseResult];
  const previews = [await benchPreview("sample", join(root, "issues", "2024-q3")), await benchPreview("large", large)];
  process.stdout.write(`${"preview: save to seen, s".padEnd(28)}${previews.map((p) => pad(p.toFixed(2), 10)).join("")}\n\n`);
  const targets = [
    ["sample ≤ 0.6 × pagedjs-cli", sample.digest.wall / sample.pagedjs.wall, 0.6],
    ["large ≤ 0.5 × pagedjs-cli", big.digest.wall / big.pagedjs.wall, 0.5],
    ["large ≤ 3 × sample", big.digest.wall / sample.digest.wall, 3],
    ["peak memory ≤ 1.5 GB (MB)", Math.max(sample.digest.peakMb, big.digest.peakMb), 1536],
    ["preview, one article, sample ≤ 0.3 s", previews[0]!, 0.3],
    ["preview, one article, large ≤ 1 s", previews[1]!, 1],
  ] as const;
  for (const [what, value, limit] of targets) {
    process.stdout.write(`${value <= limit ? "met   " : "missed"}  ${what}: ${value.toFixed(2)}\n`);
  }
  rmSync(work, { recursive: true, force: true });
}

await main();
