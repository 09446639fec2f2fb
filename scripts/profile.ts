// The profiler (`npm run profile -- <issue>`): where a build's time goes. It builds
// the issue a few times with the real build (src/build.ts), timing each stage and,
// inside the layout, each phase (page load, display fitting, Paged.js's CSS polisher,
// the chunker's page loop, copyfitting's judging, printing); then once more with
// Chromium's JavaScript profiler and a trace of its main thread, and prints the
// functions with the most time of their own, by script, and what Chromium's own
// layout, style and paint cost. It prints figures; it asserts nothing.
// Usage: npm run profile -- <issue> [--large [copies]] [--runs N] [--top N] [--save DIR]
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { Page, Protocol } from "puppeteer";
import { PDFDocument } from "pdf-lib";
import { buildIssue, type BuildReport } from "../src/build.js";
import { makeLargeIssue } from "./make-large-issue.js";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    large: { type: "boolean" },
    copies: { type: "string" },
    runs: { type: "string" },
    top: { type: "string" },
    save: { type: "string" },
    tags: { type: "string" },
    "timed-only": { type: "boolean" },
    jobs: { type: "string" },
    cache: { type: "boolean" },
    browser: { type: "string" },
    help: { type: "boolean", short: "h" },
  },
});

if (values.help || (!positionals[0] && !values.large)) {
  process.stdout.write(`Usage: npm run profile -- <issue> [options]

Builds the issue with the real build and prints where its time goes: the build's
stages, the phases of each layout in Chromium, the JavaScript functions with the
most time of their own (by script), and Chromium's own layout, style and paint.

  <issue>          an issue name under issues/ or a path to an issue folder
  --large          profile the generated large issue instead (scripts/make-large-issue.ts)
  --copies <n>     copies of each news article in the large issue (default 10)
  --runs <n>       timed builds, whose medians are printed (default 3); then one profiled build
  --top <n>        how many functions to list (default 25)
  --timed-only     only the timed builds: no profiled build
  --jobs <n>       renderer processes laying out at once, as digest build --jobs (default 1, so
                   that the phases add up to the layout's time)
  --cache          take unchanged units from the layout cache, as digest build does (default:
                   every page laid out, as digest build --no-cache)
  --tags <n>       one more build, whose pages are printed n times with Chromium's tags
                   (tagged PDF) and n times without, alternately: the time and size of each
  --save <dir>     also write the profiled build's trace there, trace.json (open it in Chromium's DevTools, Performance)
  --browser <path> the Chromium to drive
`);
  process.exit(values.help ? 0 : 2);
}

const whole = (value: string | undefined, fallback: number, name: string) => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    process.stderr.write(`profile: Expected a whole number for --${name}, not \`${value}\`\n`);
    process.exit(2);
  }
  return n;
};
const runs = whole(values.runs, 3, "runs");
const top = whole(values.top, 25, "top");
const tagRuns = whole(values.tags, 0, "tags");
const jobs = Math.max(1, whole(values.jobs, 1, "jobs"));
const work = mkdtempSync(join(tmpdir(), "digest-profile-"));
const issue = values.large ? makeLargeIssue(join(work, "large"), whole(values.copies, 10, "copies")) : positionals[0]!;

/** Milliseconds since the epoch, on the clock the page's `performance.timeOrigin + performance.now()` also reads. */
const clock = () => performance.timeOrigin + performance.now();

/** One timed span: what, and when (epoch milliseconds). */
interface Span {
  what: string;
  start: number;
  end: number;
}

/**
 * Put in the page before its scripts run: times Paged.js's phases by wrapping the
 * prototypes of the classes its polyfill publishes as `window.Paged`, and our
 * PagedConfig hooks, and reports each span to the profiler (`digestProfileSpan`).
 */
const IN_PAGE = `(() => {
  const now = () => performance.timeOrigin + performance.now();
  const report = (what, start) => window.digestProfileSpan && window.digestProfileSpan(what, start, now());
  const wrap = (owner, name, what) => {
    const original = owner && owner[name];
    if (typeof original !== "function") return;
    owner[name] = async function (...args) {
      const start = now();
      try { return await original.apply(this, args); } finally { report(what, start); }
    };
  };
  let paged;
  Object.defineProperty(window, "Paged", {
    configurable: true,
    get: () => paged,
    set: (value) => {
      paged = value;
      // From the navigation to Paged.js's start: the HTML parsed, the scripts run, the document ready.
      const config = window.PagedConfig;
      const before = config && config.before;
      if (config) config.before = async () => {
        report("page load", performance.timeOrigin);
        const start = now();
        try { if (before) await before(); } finally { report("display fitting", start); }
      };
      wrap(value.Polisher.prototype, "add", "CSS polisher");
      wrap(value.Chunker.prototype, "flow", "chunker");
      wrap(value.Chunker.prototype, "render", "chunker: pages");
    },
  });
})();`;

/** What one build recorded: the spans in Chromium and in Node, the report, and the CPU time Chromium's processes used. */
interface Recording {
  spans: Span[];
  report: BuildReport;
  started: number;
  chromiumCpu: number;
  /** CPU seconds of this process (the build's own stages; not poppler's or Ghostscript's). */
  nodeCpu: number;
}

/**
 * The CPU seconds used so far by this process's descendants (Chromium's processes,
 * those that have ended included), from /proc: on a shared machine, steadier than
 * the wall clock. 0 where there is no /proc.
 */
function descendantsCpuSeconds(): number {
  const children = new Map<number, number[]>();
  const ticks = new Map<number, number>();
  let entries: string[] = [];
  try {
    entries = readdirSync("/proc");
  } catch {
    return 0;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const ppid = Number(fields[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
      // utime and stime, and cutime and cstime: the CPU of its children that have ended (the workers' renderers closed before the first page).
      ticks.set(Number(entry), Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]));
    } catch {
      // the process ended meanwhile
    }
  }
  let total = 0;
  const stack = [...(children.get(process.pid) ?? [])];
  while (stack.length) {
    const pid = stack.pop()!;
    total += ticks.get(pid) ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return total / 100; // USER_HZ is 100 on Linux
}

/** The caller in src/ of a page method, from the stack: which stage of the build asked. */
function callerStage(): string {
  const stack = new Error().stack ?? "";
  const m = /src\/pdf\/([\w-]+)\.ts/.exec(stack);
  return m ? m[1]! : "other";
}

/**
 * Wraps the page's goto, evaluate, pdf and close so that each call is timed, and
 * has the page report Paged.js's phases; `extra` runs first (the profilers).
 */
async function watch(page: Page, spans: Span[], extra?: (page: Page) => Promise<void>): Promise<void> {
  spans.push({ what: "page ready", start: clock(), end: clock() });
  await page.exposeFunction("digestProfileSpan", (what: string, start: number, end: number) => void spans.push({ what, start, end }));
  await page.evaluateOnNewDocument(IN_PAGE);
  if (extra) await extra(page);
  const timed = <T extends (...args: never[]) => Promise<unknown>>(name: keyof Page, label: (args: Parameters<T>) => string) => {
    const original = (page[name] as unknown as T).bind(page);
    (page as unknown as Record<string, unknown>)[name] = async (...args: Parameters<T>) => {
      const what = label(args);
      const start = clock();
      try {
        return await original(...args);
      } finally {
        spans.push({ what, start, end: clock() });
      }
    };
  };
  timed("goto", (args) => (String(args[0]) === "about:blank" ? "node: about:blank" : "node: layout"));
  timed("evaluate", (args) => (String(args[0]).includes("digest:laid-out") ? "node: layout" : `node: evaluate (${callerStage()})`));
  timed("pdf", () => "node: print to PDF");
  // Chromium's CPU time, read just before the page closes (the build kills Chromium right after).
  const close = page.close.bind(page);
  page.close = async (options) => {
    spans.push({ what: `chromium cpu ${descendantsCpuSeconds()}`, start: clock(), end: clock() });
    return close(options);
  };
}

/** Builds the issue once, recording its spans; `extra` can attach profilers to the page (and must stop them when the page closes). */
async function record(out: string, extra?: (page: Page) => Promise<void>): Promise<Recording> {
  const spans: Span[] = [];
  const started = clock();
  const nodeCpu = process.cpuUsage();
  const report = await buildIssue({
    issue,
    out,
    browser: values.browser,
    jobs,
    cache: Boolean(values.cache),
    watchPage: (page) => watch(page, spans, extra),
    log: (line) => {
      if (line.startsWith("Laying out")) spans.push({ what: "chromium started", start: clock(), end: clock() });
    },
  });
  const cpu = spans.find((s) => s.what.startsWith("chromium cpu "));
  const used = process.cpuUsage(nodeCpu);
  return { spans, report, started, chromiumCpu: cpu ? Number(cpu.what.slice("chromium cpu ".length)) : 0, nodeCpu: (used.user + used.system) / 1e6 };
}

const median = (xs: number[]) => {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** The phases of one build, in seconds: the build's own stages, and within the layout what the spans show. */
function phases(r: Recording): Record<string, number> {
  const sum = (what: string | RegExp) =>
    r.spans.filter((s) => (typeof what === "string" ? s.what === what : what.test(s.what))).reduce((n, s) => n + (s.end - s.start), 0) / 1000;
  const at = (what: string) => r.spans.find((s) => s.what === what)?.start ?? r.started;
  const sec = r.report.seconds;
  const chunker = sum("chunker");
  const pages = sum("chunker: pages");
  const layouts = r.spans.filter((s) => s.what === "chunker").length;
  // From the build's start to Chromium's page: load, render, then Chromium's start.
  const toPage = (at("page ready") - r.started) / 1000 - sec.load - sec.render;
  const evaluated = sum(/^node: evaluate/);
  const judged = sum("node: evaluate (copyfit)");
  const moved = sum("node: evaluate (section-layout)");
  const layoutWall = sum("node: layout");
  return {
    "load (read and check the folder)": sec.load,
    "render (HTML)": sec.render,
    "Chromium start": toPage,
    [`layouts (${layouts})`]: layoutWall,
    "  page load (navigation to Paged.js)": sum("page load"),
    "  display fitting": sum("display fitting"),
    "  CSS polisher": sum("CSS polisher"),
    "  chunker: pages": pages,
    "  chunker: parse, fonts, after layout": chunker - pages,
    "judging (copyfit)": judged,
    "pages read and taken in (section-layout)": moved,
    "anchors, flaws, binding": evaluated - judged - moved,
    "print to PDF": sum("node: print to PDF"),
    "post-process": sec.postProcess,
    preflight: sec.preflight,
    "whole build": sec.total,
    "CPU: Chromium's processes": r.chromiumCpu,
    "CPU: Node (the build itself)": r.nodeCpu,
  };
}

// ---------------------------------------------------------------------------
// The trace: Chromium's main thread, with its JavaScript samples (V8's sampling
// profiler writes them into the trace, which, unlike the Profiler domain, goes on
// across the relayouts' navigations).

interface TraceEvent {
  name: string;
  cat?: string;
  ph: string;
  ts: number;
  dur?: number;
  /** The thread's CPU time in the event, where the trace has it. */
  tdur?: number;
  pid: number;
  tid: number;
  id?: string;
  args?: {
    name?: string;
    beginData?: { url?: string; stackTrace?: { functionName: string; url: string; lineNumber: number }[] };
    data?: {
      cpuProfile?: {
        nodes?: { id: number; parent?: number; callFrame: { functionName: string; url?: string; lineNumber?: number } }[];
        samples?: number[];
      };
      timeDeltas?: number[];
      startTime?: number;
    };
  };
}
interface Trace {
  traceEvents: TraceEvent[];
}

/** The renderers that laid out the document (the first page's and the workers'): the processes that parsed a file:// page. */
function renderersOf(trace: Trace): Set<number> {
  const pids = new Set(trace.traceEvents.filter((e) => e.name === "ParseHTML" && e.args?.beginData?.url?.startsWith("file:")).map((e) => e.pid));
  if (!pids.size) throw new Error("The trace holds no layout: no file:// document was parsed");
  return pids;
}

/** When the print began (the mark the profiler sets before page.pdf), in trace microseconds. */
function printMark(trace: Trace): number {
  const marks = trace.traceEvents.filter((e) => e.name === "digest-print").map((e) => e.ts);
  return marks.length ? Math.max(...marks) : Infinity;
}

/** The script a function belongs to, by its URL, in words. */
function scriptOf(url: string, name: string): string {
  if (url.endsWith("paged.polyfill.js")) return "Paged.js";
  if (url.endsWith("display-fit.js")) return "display-fit.js";
  if (url.endsWith("paged-start.js")) return "paged-start.js";
  if (url.startsWith("pptr:") || url.includes("__puppeteer")) return "puppeteer (judging, anchors, flaws)";
  if (!url) return name.startsWith("(") ? `Chromium ${name}` : "native functions";
  return url.split("/").pop() || url;
}

interface FunctionTime {
  script: string;
  name: string;
  line: number;
  /** Milliseconds in the function itself, before the print and during it. */
  self: number;
  selfPrint: number;
  /** Milliseconds with it on the stack, what it calls included (once per sample, however deep it recurses). */
  total: number;
}

/** The JavaScript samples of the renderers' main threads, as self and total time per function. */
function functionTimes(trace: Trace, pids: Set<number>, printAt: number): { functions: FunctionTime[]; sampled: number } {
  type Node = { parent?: number; key: string; time: FunctionTime };
  const times = new Map<string, FunctionTime>();
  const nodes = new Map<string, Node>();
  let sampled = 0;
  // A profile's samples come in chunks (written by V8's sampler thread), with the nodes they add; each profile of each process has its own ids.
  const clocks = new Map<string, number>();
  for (const e of trace.traceEvents) if (pids.has(e.pid) && e.name === "Profile") clocks.set(`${e.pid}/${e.id}`, e.args?.data?.startTime ?? e.ts);
  for (const e of trace.traceEvents.filter((x) => pids.has(x.pid) && x.name === "ProfileChunk").sort((a, b) => a.ts - b.ts)) {
    const profile = `${e.pid}/${e.id}`;
    const data = e.args?.data;
    for (const n of data?.cpuProfile?.nodes ?? []) {
      const name = n.callFrame.functionName || "(anonymous)";
      const url = n.callFrame.url ?? "";
      const key = `${url}\0${name}\0${n.callFrame.lineNumber ?? -1}`;
      let time = times.get(key);
      if (!time) {
        time = { script: scriptOf(url, name), name, line: (n.callFrame.lineNumber ?? -1) + 1, self: 0, selfPrint: 0, total: 0 };
        times.set(key, time);
      }
      nodes.set(`${profile}:${n.id}`, { parent: n.parent, key, time });
    }
    const samples = data?.cpuProfile?.samples ?? [];
    const deltas = data?.timeDeltas ?? [];
    let at = clocks.get(profile) ?? e.ts;
    samples.forEach((id, i) => {
      at += deltas[i] ?? 0;
      // A sample stands for the time to the next one: the interval, about a millisecond.
      const ms = (deltas[i + 1] ?? deltas[i] ?? 0) / 1000;
      const node = nodes.get(`${profile}:${id}`);
      if (!node) return;
      sampled += ms;
      if (at >= printAt) node.time.selfPrint += ms;
      else node.time.self += ms;
      const seen = new Set<string>();
      for (let n: Node | undefined = node; n; n = n.parent === undefined ? undefined : nodes.get(`${profile}:${n.parent}`)) {
        if (seen.has(n.key)) continue;
        seen.add(n.key);
        n.time.total += ms;
      }
    });
    clocks.set(profile, at);
  }
  return { functions: [...times.values()], sampled };
}

/** What a trace event is, in words: Chromium's layout, style, paint… */
function kindOf(name: string): string {
  if (name === "Layout" || name === "UpdateLayout") return "layout (forced and scheduled)";
  if (/^(UpdateLayoutTree|RecalculateStyles|RecalcStyle|ParseAuthorStyleSheet|InvalidateLayout|StyleInvalidator)/.test(name)) return "style";
  if (/^(Paint|PrePaint|Layerize|UpdateLayer|CompositeLayers|PaintImage|RasterTask|Decode|Commit)/.test(name)) return "paint";
  if (/GC|^BlinkGC/.test(name)) return "garbage collection";
  if (/^(FunctionCall|EvaluateScript|v8\.|TimerFire|RunMicrotasks|FireAnimationFrame|EventDispatch|CompileScript|CompileCode)/.test(name)) return "script";
  if (/^(ParseHTML|ResourceReceive|ResourceFinish|ResourceSendRequest)/.test(name)) return "parse and load";
  if (/^(RunTask|ThreadControllerImpl|ThreadController)/.test(name)) return "tasks, not broken down (printing among them)";
  return "other";
}

/** Self CPU milliseconds (wall where the trace has no thread time) by event name on the renderers' main threads, before the print mark and after. */
function eventTimes(trace: Trace, pids: Set<number>, printAt: number): Map<string, { layout: number; print: number }> {
  const mains = new Set(trace.traceEvents.filter((e) => pids.has(e.pid) && e.ph === "M" && e.name === "thread_name" && e.args?.name === "CrRendererMain").map((e) => `${e.pid}:${e.tid}`));
  // Thread by thread, in time order: each thread's events nest.
  const events = trace.traceEvents
    .filter((e) => e.ph === "X" && typeof e.dur === "number" && mains.has(`${e.pid}:${e.tid}`) && !e.cat?.includes("cpu_profiler"))
    .sort((a, b) => a.pid - b.pid || a.tid - b.tid || a.ts - b.ts || b.dur! - a.dur!);
  const byName = new Map<string, { layout: number; print: number }>();
  const add = (e: TraceEvent, us: number) => {
    const t = byName.get(e.name) ?? { layout: 0, print: 0 };
    if (e.ts >= printAt) t.print += us / 1000;
    else t.layout += us / 1000;
    byName.set(e.name, t);
  };
  // Self time: an event's time less its children's, nested by their wall-clock spans.
  const stack: { e: TraceEvent; children: number }[] = [];
  const close = (until: number) => {
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      if (top.e.ts + top.e.dur! > until) break;
      stack.pop();
      const time = top.e.tdur ?? top.e.dur!;
      add(top.e, Math.max(0, time - top.children));
      if (stack.length) stack[stack.length - 1]!.children += time;
    }
  };
  for (const e of events) {
    const top = stack[stack.length - 1];
    if (top && (top.e.pid !== e.pid || top.e.tid !== e.tid)) close(Infinity);
    close(e.ts);
    stack.push({ e, children: 0 });
  }
  close(Infinity);
  return byName;
}

/**
 * Chromium's layouts and style recalculations before the print, by the JavaScript
 * that forced them (the function on top of the stack and its caller), or
 * "scheduled" when none did: how many, and their CPU milliseconds.
 */
function forcedLayouts(trace: Trace, pids: Set<number>, printAt: number): Map<string, { count: number; ms: number }> {
  const byCaller = new Map<string, { count: number; ms: number }>();
  for (const e of trace.traceEvents) {
    if (!pids.has(e.pid) || e.ph !== "X" || e.ts >= printAt || (e.name !== "Layout" && e.name !== "UpdateLayoutTree")) continue;
    const stack = e.args?.beginData?.stackTrace ?? [];
    const frame = (f: { functionName: string; url: string } | undefined) => (f ? `${f.functionName || "(anonymous)"} (${scriptOf(f.url, f.functionName)})` : "");
    const key = `${e.name === "Layout" ? "layout" : "style"}: ${stack.length ? [frame(stack[0]), frame(stack[1])].filter(Boolean).join(" < ") : "scheduled (no script forced it)"}`;
    const t = byCaller.get(key) ?? { count: 0, ms: 0 };
    t.count++;
    t.ms += (e.tdur ?? e.dur ?? 0) / 1000;
    byCaller.set(key, t);
  }
  return byCaller;
}

/** The profiled build: a trace of the renderers, their JavaScript samples included, from the first layout until the first page closes. */
async function profiledBuild(out: string): Promise<{ recording: Recording; trace: Trace }> {
  let trace: Trace | undefined;
  let tracing: Page | undefined;
  const recording = await record(out, async (page) => {
    // One trace holds every renderer: it runs from the first page (the one that prints) until it closes.
    if (tracing) return;
    tracing = page;
    await page.tracing.start({
      categories: ["devtools.timeline", "disabled-by-default-devtools.timeline", "blink.user_timing", "v8", "v8.execute", "disabled-by-default-v8.cpu_profiler", "disabled-by-default-devtools.timeline.stack"],
    });
    const pdf = page.pdf.bind(page);
    page.pdf = async (options) => {
      await page.evaluate("performance.mark('digest-print')");
      return pdf(options);
    };
    const close = page.close.bind(page);
    page.close = async (options) => {
      const buffer = await page.tracing.stop();
      trace = JSON.parse(buffer!.toString("utf8")) as Trace;
      return close(options);
    };
  });
  if (!trace) throw new Error("The profiled build closed no page: nothing was recorded");
  return { recording, trace };
}

/** One print of the laid-out pages by Chromium, as puppeteer's page.pdf asks for it, with or without tags. */
interface TagPrint {
  tagged: boolean;
  seconds: number;
  bytes: number;
  /** The size once pdf-lib has saved it with object streams, as digest saves its editions. */
  savedBytes: number;
  /** CPU seconds Chromium's processes used for it: steadier than the wall clock on a shared machine. */
  cpu: number;
}

/**
 * A build whose laid-out pages are printed `n` times with Chromium's tags and `n`
 * times without, alternately, before the build's own print: Chromium's
 * Page.printToPDF with the parameters puppeteer 20 sends for page.pdf, plus
 * `generateTaggedPDF` (puppeteer 20 has no option for it; Chromium tags by default).
 */
async function tagBuild(out: string, n: number): Promise<TagPrint[]> {
  const prints: TagPrint[] = [];
  await record(out, async (page) => {
    const pdf = page.pdf.bind(page);
    page.pdf = async (options) => {
      const cdp = await page.target().createCDPSession();
      const inches = (v: string | number | undefined) => (typeof v === "string" ? Number.parseFloat(v) : Number(v));
      for (let i = 0; i < n; i++) {
        // Each goes first in every other round, so that neither gains from going second.
        for (const tagged of i % 2 ? [false, true] : [true, false]) {
          const start = clock();
          const cpuBefore = descendantsCpuSeconds();
          // generateTaggedPDF is newer than puppeteer 20's protocol types.
          const request = {
            transferMode: "ReturnAsStream",
            printBackground: options?.printBackground,
            preferCSSPageSize: options?.preferCSSPageSize,
            paperWidth: inches(options?.width),
            paperHeight: inches(options?.height),
            marginTop: 0,
            marginBottom: 0,
            marginLeft: 0,
            marginRight: 0,
            generateTaggedPDF: tagged,
          };
          const { stream } = await cdp.send("Page.printToPDF", request as Protocol.Page.PrintToPDFRequest);
          const chunks: Buffer[] = [];
          for (;;) {
            const chunk = await cdp.send("IO.read", { handle: stream!, size: 1 << 20 });
            chunks.push(chunk.base64Encoded ? Buffer.from(chunk.data, "base64") : Buffer.from(chunk.data));
            if (chunk.eof) break;
          }
          await cdp.send("IO.close", { handle: stream! });
          const seconds = (clock() - start) / 1000;
          const cpu = descendantsCpuSeconds() - cpuBefore;
          const printed = Buffer.concat(chunks);
          const saved = await (await PDFDocument.load(printed, { updateMetadata: false })).save({ useObjectStreams: true });
          prints.push({ tagged, seconds, bytes: printed.length, savedBytes: saved.length, cpu });
        }
      }
      await cdp.detach();
      return pdf(options);
    };
  });
  return prints;
}

const pad = (s: string | number, n: number) => String(s).padStart(n);
const ms = (x: number) => pad(x.toFixed(0), 7);

/** The profiled build's sections of the printout: the sampled JavaScript, Paged.js's layout loop, Chromium's own work. */
function traceSections(trace: Trace): string[] {
  const lines: string[] = [];
  const pids = renderersOf(trace);
  const printAt = printMark(trace);
  const { functions, sampled } = functionTimes(trace, pids, printAt);
  const byScript = new Map<string, { self: number; print: number }>();
  for (const f of functions) {
    const s = byScript.get(f.script) ?? { self: 0, print: 0 };
    s.self += f.self;
    s.print += f.selfPrint;
    byScript.set(f.script, s);
  }
  lines.push("");
  lines.push(`The renderers' main threads, sampled (the profiled build, every layout; ${(sampled / 1000).toFixed(2)} s; self time by script, ms; shares of the busy time):`);
  lines.push(`  ${"".padEnd(44)}${"layout".padStart(8)}${"share".padStart(8)}${"print".padStart(8)}`);
  // Shares of the time the threads were busy: idle is waiting (for Node, for another process).
  const laidOut = [...byScript].filter(([script]) => script !== "Chromium (idle)").reduce((n, [, s]) => n + s.self, 0);
  for (const [script, s] of [...byScript].sort((a, b) => b[1].self - a[1].self)) {
    if (s.self + s.print < 0.5) continue;
    lines.push(`  ${script.padEnd(44)}${pad(s.self.toFixed(0), 8)}${pad(script === "Chromium (idle)" ? "" : `${((100 * s.self) / laidOut).toFixed(1)} %`, 8)}${pad(s.print.toFixed(0), 8)}`);
  }
  lines.push("");
  lines.push(`Top ${top} functions by self time before the print (ms; total includes what they call; a layout that a DOM call forces counts to the function that made the call):`);
  lines.push(`  ${"self".padStart(7)}${"total".padStart(8)}  script: function:line`);
  for (const f of [...functions].sort((a, b) => b.self - a.self).slice(0, top)) {
    lines.push(`  ${ms(f.self)} ${ms(f.total)}  ${f.script}: ${f.name}${f.line > 0 ? `:${f.line}` : ""}`);
  }
  // Paged.js's layout loop and the break search within it, by total time (issue 11, item 3).
  const watched = ["renderTo", "findBreakToken", "findOverflow", "hasOverflow", "textBreak", "append", "removeOverflow", "onOverflow", "afterOverflowRemoved", "getBoundingClientRect", "getClientRects"];
  lines.push("");
  lines.push("Paged.js's layout loop: total time (ms) with these on the stack:");
  for (const name of watched) {
    const found = functions.filter((f) => f.name === name);
    if (!found.length) continue;
    const total = found.reduce((n, f) => n + f.total, 0);
    const self = found.reduce((n, f) => n + f.self, 0);
    lines.push(`  ${name.padEnd(24)}${ms(total)}${pad(`${((100 * total) / laidOut).toFixed(1)} %`, 8)}  (self ${self.toFixed(0)})`);
  }

  const byName = eventTimes(trace, pids, printAt);
  const kinds = new Map<string, { layout: number; print: number }>();
  for (const [name, t] of byName) {
    const k = kinds.get(kindOf(name)) ?? { layout: 0, print: 0 };
    k.layout += t.layout;
    k.print += t.print;
    kinds.set(kindOf(name), k);
  }
  const busiest = (a: [string, { layout: number; print: number }], b: [string, { layout: number; print: number }]) => b[1].layout + b[1].print - (a[1].layout + a[1].print);
  lines.push("");
  lines.push(`Chromium's own work on those threads (trace events, self CPU time, ms)${printAt === Infinity ? " (no print mark found)" : ""}:`);
  lines.push(`  ${"".padEnd(44)}${"layout".padStart(8)}${"print".padStart(8)}`);
  for (const [kind, t] of [...kinds].sort(busiest)) lines.push(`  ${kind.padEnd(44)}${pad(t.layout.toFixed(0), 8)}${pad(t.print.toFixed(0), 8)}`);
  lines.push("  the events with most self time:");
  for (const [name, t] of [...byName].sort(busiest).slice(0, 10)) lines.push(`    ${name.padEnd(42)}${pad(t.layout.toFixed(0), 8)}${pad(t.print.toFixed(0), 8)}`);
  const forced = forcedLayouts(trace, pids, printAt);
  lines.push("");
  lines.push("Chromium's layouts and style recalculations before the print, by what forced them (count, CPU ms):");
  for (const [key, t] of [...forced].sort((a, b) => b[1].ms - a[1].ms).slice(0, 12)) lines.push(`  ${pad(t.count, 6)}${pad(t.ms.toFixed(0), 8)}  ${key}`);
  return lines;
}

async function main(): Promise<void> {
  const out = join(work, "profiled.pdf");
  const profiling = !values["timed-only"];
  if (!runs && !profiling && !tagRuns) {
    process.stderr.write("profile: Expected --runs 1 or more, --tags, or no --timed-only: there is nothing to measure\n");
    process.exit(2);
  }
  process.stderr.write(`digest profile: ${issue}: ${runs} timed build${runs === 1 ? "" : "s"}${tagRuns ? ", one build measuring tags" : ""}${profiling ? ", then one profiled build" : ""}\n`);
  const timed: Recording[] = [];
  for (let i = 0; i < runs; i++) {
    timed.push(await record(out));
    process.stderr.write(`  run ${i + 1}: ${timed[i]!.report.seconds.total.toFixed(2)} s\n`);
  }
  const prints = tagRuns ? await tagBuild(out, tagRuns) : [];
  const profiled = profiling ? await profiledBuild(out) : undefined;
  if (profiled && values.save) {
    const dir = resolve(values.save);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "trace.json"), JSON.stringify(profiled.trace));
  }

  const lines: string[] = [];
  const first = timed[0] ?? profiled?.recording;
  if (first) {
    const report = first.report;
    lines.push(`${issue}: ${report.pageCount} pages, copyfit ${report.copyfit.tries} layout${report.copyfit.tries === 1 ? "" : "s"} beyond the first`);
    lines.push("");
    const table = (timed.length ? timed : [first]).map(phases);
    lines.push(`Where the build's time goes, s (${timed.length ? `median of ${timed.length} builds` : "the profiled build"}):`);
    for (const key of Object.keys(table[0]!)) lines.push(`  ${key.padEnd(40)}${pad(median(table.map((t) => t[key]!)).toFixed(2), 7)}`);
  }
  if (profiled) lines.push(...traceSections(profiled.trace));
  if (prints.length) {
    const of = (tagged: boolean) => prints.filter((p) => p.tagged === tagged);
    lines.push("");
    lines.push(`Chromium's print of the laid-out pages, with and without tags (medians of ${tagRuns} prints each, taking turns):`);
    for (const tagged of [true, false]) {
      const ps = of(tagged);
      const kb = (bytes: number[]) => pad((median(bytes) / 1024).toFixed(0), 8);
      lines.push(`  ${(tagged ? "tagged (as now)" : "untagged").padEnd(24)}${pad(median(ps.map((p) => p.seconds)).toFixed(2), 7)} s, Chromium's CPU${pad(median(ps.map((p) => p.cpu)).toFixed(2), 6)} s,${kb(ps.map((p) => p.bytes))} KB, saved by pdf-lib${kb(ps.map((p) => p.savedBytes))} KB`);
    }
  }
  process.stdout.write(`${lines.join("\n")}\n`);
}

try {
  await main();
} finally {
  rmSync(work, { recursive: true, force: true });
}
