import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { spawn, type ChildProcess } from "node:child_process";
import type { Page } from "puppeteer";
import { findBrowser, launchBrowser, type BrowserSession } from "../src/layout/browser.js";
import { startPreview, type PreviewServer } from "../src/preview/server.js";
import { TEMPLATES_DIR } from "../src/paths.js";
import { stylesheetFiles } from "../src/render/stylesheets.js";
import { encodeScene } from "../src/fuzz/png.js";
import { copyCheckout } from "./helpers/checkout.js";

/**
 * How long a saved change may take to show. The README promises "within about a second"; on this
 * project's 2 cores the fixture's 12 pages showed a change in 0.37–0.82 s with the machine otherwise idle,
 * and in up to 1.97 s while a build of the sample ran beside it (as another test file's does in the
 * suite): 2.5 s keeps a margin over that, and is still far from the 5 s this test once allowed.
 */
const PREVIEW_BOUND_MS = 2_500;

/** `digest preview` end to end: a copy of the small fixture issue, served, laid out by Paged.js in Chromium, edited while open. */
const fixture = join(import.meta.dirname, "fixtures", "minimal", "2025-q1");
const tmp = mkdtempSync(join(tmpdir(), "digest-preview-"));
const issueDir = join(tmp, "2025-q1");
const article = join(issueDir, "months", "2025-01", "01-council-meets.md");
const logs: string[] = [];
let server: PreviewServer;
let session: BrowserSession;
let chromium: ChildProcess | null = null;
let page: Page;
const failed: string[] = [];
/** The stylesheets the page was sent, by path. */
const sheets: string[] = [];

beforeAll(async () => {
  cpSync(fixture, issueDir, { recursive: true });
  server = await startPreview({ issue: issueDir, port: 0, log: (line) => logs.push(line) });
  session = await launchBrowser(findBrowser());
  chromium = session.browser.process();
  page = await session.browser.newPage();
  // A reload cuts the page's event stream: that one is meant to end.
  page.on("requestfailed", (r) => {
    if (!new URL(r.url()).pathname.startsWith("/events")) failed.push(`${r.url()} ${r.failure()?.errorText}`);
  });
  page.on("response", (r) => {
    if (r.status() >= 400 && !r.url().endsWith("/favicon.ico")) failed.push(`${r.url()} ${r.status()}`);
    if (r.ok() && new URL(r.url()).pathname.endsWith(".css")) sheets.push(new URL(r.url()).pathname);
  });
});

afterAll(async () => {
  // The server first, while the page still holds its event stream open: close() must not wait for it.
  await server?.close();
  await session?.close();
  rmSync(tmp, { recursive: true, force: true });
  // No Chromium may outlive the tests.
  if (chromium) expect(chromium.exitCode !== null || chromium.signalCode !== null).toBe(true);
});

/** Polls the page until `check` returns something truthy; the page reloads meanwhile, which destroys the context a check runs in. */
async function waitInPage<T>(check: string | (() => T), timeoutMs = 10_000): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  let lastError: unknown;
  while (performance.now() < deadline) {
    try {
      const value = (await page.evaluate(check)) as T;
      if (value) return value;
    } catch (error) {
      lastError = error; // navigation in progress
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting in the page${lastError ? `: ${(lastError as Error).message}` : ""}`);
}

// Checks run in the page, so they are expressions, not closures over this file.
/** Paged.js has laid out the whole issue: the back cover (the last page) exists. */
const laidOut = `document.querySelectorAll(".pagedjs_page").length > 4 && /Visit the Steppe/i.test(document.querySelector(".pagedjs_page:last-of-type")?.textContent ?? "")`;
/** The article's headline on its laid-out page (not the contents' entry, which comes first) says Almaty. */
const almatyHeadline = `(document.querySelector(".pagedjs_pages #a-2025-01-council-meets")?.textContent ?? "").includes("Almaty")`;

/** A request exactly as written: fetch() and Chromium would resolve `..` before sending it. */
function rawGet(path: string, headers: Record<string, string> = {}): Promise<{ status: number; type: string; body: string }> {
  const { port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, headers, agent: false }, (res) => {
      let body = "";
      res.setEncoding("latin1");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, type: String(res.headers["content-type"] ?? ""), body }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** Saves as many editors do: a temporary file beside the real one, renamed over it. */
function saveAtomically(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

describe("digest preview", () => {
  it("serves the issue on 127.0.0.1, laid out by Paged.js with digest's handlers", async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(logs).toContain(`Serving 2025-q1 at ${server.url}`);
    await page.goto(server.url);
    await waitInPage(laidOut, 30_000);
    const text = await page.evaluate(() => document.querySelector(".pagedjs_pages")?.textContent ?? "");
    expect(text).toContain("Council Meets in Astana");
    expect(await page.evaluate(() => typeof (window as unknown as { digestLayoutFlaws?: unknown }).digestLayoutFlaws)).toBe("function");
    // The ad after the council's article is on a page of its own, made by our AdsAfterArticles handler during layout.
    expect(await page.evaluate(() => Array.from(document.querySelectorAll(".pagedjs_ad_page")).some((p) => /Bank on the future/i.test(p.textContent ?? "")))).toBe(true);
    // Fonts, stylesheet and pictures all came from the server.
    expect(await page.evaluate(() => Array.from(document.images).every((img) => img.complete && img.naturalWidth > 0))).toBe(true);
    expect(await page.evaluate(() => document.fonts.check('12px "PT Serif"') && document.fonts.status === "loaded")).toBe(true);
    expect(failed).toEqual([]);
    // print.css imports a sheet for each template: each was served, and their rules apply (the cover's colour is cover.css's).
    for (const file of stylesheetFiles()) expect(sheets).toContain(`/assets/templates/${relative(TEMPLATES_DIR, file)}`);
    expect(await page.evaluate(() => getComputedStyle(document.querySelector(".pagedjs_pages .cover")!).backgroundColor)).toBe("rgb(15, 47, 87)");
  });

  it("shows a saved change within about a second, where the reader was", async () => {
    const scrolled = await page.evaluate(() => {
      document.querySelector(".pagedjs_pages #a-2025-01-council-meets")?.scrollIntoView();
      return window.scrollY;
    });
    expect(scrolled).toBeGreaterThan(1000);
    const source = readFileSync(article, "utf8");
    writeFileSync(article, source.replace("title: Council Meets in Astana", "title: Council Meets in Almaty"));
    const saved = performance.now();
    await waitInPage(almatyHeadline);
    const seen = performance.now() - saved;
    await waitInPage(laidOut);
    const complete = performance.now() - saved;
    console.log(`preview reload: the changed headline showed ${seen.toFixed(0)} ms after the save, all pages laid out after ${complete.toFixed(0)} ms`);
    expect(seen).toBeLessThan(PREVIEW_BOUND_MS);
    expect(await page.evaluate(() => window.scrollY)).toBe(scrolled);
    // One line a batch of changes (a designer saving a template at the same moment would share it).
    expect(logs.some((line) => /^Changed .*months\/2025-01\/01-council-meets\.md.*: reloading$/.test(line))).toBe(true);
    expect(failed).toEqual([]);
  });

  it("shows the problems instead of the pages while the content is wrong, and the pages again once it is fixed", async () => {
    const good = readFileSync(article, "utf8");
    // A typo, and a key that would be markup if the page did not escape it.
    saveAtomically(article, good.replace("title: Council Meets in Almaty\n", 'title: Council Meets in Almaty\ntitel: x\n"<img src=x onerror=window.pwned=1>": y\n'));
    const body = await waitInPage(() => (document.body?.innerText.includes("unknown-key") ? document.body.innerText : ""));
    expect(body).toContain("months/2025-01/01-council-meets.md");
    expect(body).toMatch(/3:1\s+error\s+Unknown key `titel`/);
    expect(body).toContain("<img src=x onerror=window.pwned=1>");
    expect(await page.evaluate(() => [document.images.length, "pwned" in window, document.querySelectorAll(".pagedjs_page").length])).toEqual([0, false, 0]);
    expect(logs.some((line) => line.includes("unknown-key") && line.includes("01-council-meets.md"))).toBe(true);

    // Fixed with a plain write after the atomic save: the watcher must still hear this file.
    writeFileSync(article, good);
    await waitInPage(almatyHeadline);
    await waitInPage(laidOut);
    expect((await rawGet("/")).status).toBe(200);
  });

  it("serves only the fonts, the templates' files and the issue's pictures, and nothing outside them", async () => {
    const ok = await Promise.all(["/assets/issue/images/harbour.png", "/assets/fonts/PTSerif-Regular.ttf", "/assets/templates/css/print.css", "/paged/paged.polyfill.js", "/live-reload.js"].map((p) => rawGet(p)));
    expect(ok.map((r) => [r.status, r.type])).toEqual([
      [200, "image/png"],
      [200, "font/ttf"],
      [200, "text/css; charset=utf-8"],
      [200, "text/javascript; charset=utf-8"],
      [200, "text/javascript; charset=utf-8"],
    ]);
    symlinkSync("/etc/passwd", join(issueDir, "images", "leak.png"));
    const refused = [
      "/assets/issue/../../../etc/passwd",
      "/assets/issue/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
      "/assets/issue/%2E%2E%2F%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
      "/assets/issue/..%5c..%5c..%5cetc%5cpasswd",
      "/assets/issue//etc/passwd",
      "/assets/issue/%2fetc%2fpasswd",
      "/assets/issue/images/leak.png",
      "/assets/fonts/%2e%2e/package.json",
      "/assets/templates/Document.tsx",
      "/assets/issue/issue.yml",
      "/etc/passwd",
      "/../etc/passwd",
    ];
    for (const path of refused) {
      const r = await rawGet(path);
      expect([path, r.status]).toEqual([path, 404]);
      expect(r.body).not.toContain("root:");
    }
    // Another site's page that has rebound its name to 127.0.0.1 gets nothing.
    expect((await rawGet("/", { Host: "evil.example:80" })).status).toBe(403);
  });

  it("says what is wrong when the issue does not exist or the port is taken", async () => {
    await expect(startPreview({ issue: join(tmp, "no-such-issue"), port: 0, cwd: tmp })).rejects.toThrow("Cannot find the issue");
    const port = Number(new URL(server.url).port);
    await expect(startPreview({ issue: issueDir, port })).rejects.toThrow(`Cannot serve on port ${port}: it is in use`);
    expect((await rawGet("/")).status).toBe(200);
  });
});

/**
 * The README's promise, "the page reloads with the change within about a second", for the three kinds of
 * edit it names: an article, the templates' CSS and a picture. The preview runs from a copy of digest
 * (`digest preview` as an editor starts it), so that its stylesheet can be edited without touching the
 * checkout the other tests build from.
 */
describe("digest preview's reload, timed", () => {
  const BOUND_MS = PREVIEW_BOUND_MS;
  let child: ReturnType<typeof spawn> | undefined;
  let copyIssue: string;
  let url: string;
  let timed: Page;

  beforeAll(async () => {
    const copy = copyCheckout("digest-preview-copy-");
    copyIssue = join(copy, "test", "fixtures", "minimal", "2025-q1");
    child = spawn(process.execPath, [join(copy, "bin", "digest.js"), "preview", copyIssue, "--port", "0"], { cwd: copy, stdio: ["ignore", "pipe", "pipe"] });
    let said = "";
    url = await new Promise<string>((resolve, reject) => {
      const hear = (d: Buffer) => {
        said += d.toString();
        const m = /Serving 2025-q1 at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(said);
        if (m) resolve(m[1]!);
      };
      child!.stdout!.on("data", hear);
      child!.stderr!.on("data", hear);
      child!.once("exit", (code) => reject(new Error(`digest preview exited with ${code}: ${said}`)));
    });
    timed = await session.browser.newPage();
    await timed.goto(url);
    await waitIn(timed, laidOut, 30_000);
    // The stylesheet and the picture are in their first state.
    expect(await timed.evaluate(() => getComputedStyle(document.querySelector(".pagedjs_pages #a-2025-01-council-meets")!).color)).not.toBe("rgb(1, 2, 3)");
  });

  afterAll(async () => {
    await timed?.close();
    child?.kill("SIGINT");
  });

  /** Saves a change, then times how long until the page shows it, and until every page is laid out again. */
  async function timeChange(what: string, save: () => void, shown: string): Promise<number> {
    const saved = performance.now();
    save();
    await waitIn(timed, shown);
    const seen = performance.now() - saved;
    await waitIn(timed, laidOut);
    console.log(`preview reload after ${what}: shown ${seen.toFixed(0)} ms after the save, all pages laid out after ${(performance.now() - saved).toFixed(0)} ms`);
    return seen;
  }

  it("shows a saved article, a change of the templates' CSS and a new picture each within about a second", async () => {
    const text = join(copyIssue, "months", "2025-01", "01-council-meets.md");
    const article = await timeChange("an article's edit", () => writeFileSync(text, readFileSync(text, "utf8").replace("title: Council Meets in Astana", "title: Council Meets in Almaty")), almatyHeadline);
    const css = join(copyIssue, "..", "..", "..", "..", "templates", "css", "print.css");
    const stylesheet = await timeChange(
      "a change of the templates' CSS",
      () => writeFileSync(css, `${readFileSync(css, "utf8")}\n.article-title { color: rgb(1, 2, 3) !important; }\n`),
      `getComputedStyle(document.querySelector(".pagedjs_pages #a-2025-01-council-meets") ?? document.body).color === "rgb(1, 2, 3)"`,
    );
    const harbour = join(copyIssue, "images", "harbour.png");
    const picture = await timeChange(
      "a new picture",
      () => writeFileSync(harbour, encodeScene(1200, 800, [200, 40, 40], [40, 40, 200])),
      `(() => { const pics = Array.from(document.querySelectorAll(".pagedjs_pages img")).filter((i) => i.src.includes("harbour.png")); return pics.length > 0 && pics.every((i) => i.complete && i.naturalWidth === 1200); })()`,
    );
    expect(article).toBeLessThan(BOUND_MS);
    expect(stylesheet).toBeLessThan(BOUND_MS);
    expect(picture).toBeLessThan(BOUND_MS);
  });
});

/** waitInPage, for another page. */
async function waitIn<T>(on: Page, check: string, timeoutMs = 10_000): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  let lastError: unknown;
  while (performance.now() < deadline) {
    try {
      const value = (await on.evaluate(check)) as T;
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting in the page${lastError ? `: ${(lastError as Error).message}` : ""}`);
}
