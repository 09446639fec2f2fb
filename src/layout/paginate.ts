import { isAbsolute, relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Page } from "puppeteer";
import { DigestError } from "../errors.js";
import { insertPages, readPages, SectionWorkers, shareOut, type LoneLayout, type PageHtml } from "./units.js";

/** A flaw in the laid-out pages that a typesetter would fix. */
export interface LayoutFlaw {
  page: number;
  kind: "widow" | "orphan" | "stranded-headline" | "overflow" | "clipped";
  /** The first words of the paragraph or headline. */
  text: string;
  /** For content that does not fit: where it comes from, `file:line:column`. */
  source?: string;
  /** For content that does not fit: how (`wider than its column`, `taller than the page`, `outside the safe area of the page`, `display type too large for the page`). */
  detail?: string;
}

/** What pagination hands to post-processing: Chromium's PDF and where each anchor landed. */
export interface Pagination {
  pdf: Uint8Array;
  pageCount: number;
  /** The page number (1 = cover) on which each requested anchor starts. */
  pages: Record<string, number>;
  /** Widows, orphans and stranded headlines found in the laid-out pages. */
  flaws: LayoutFlaw[];
  /** Requests Chromium was not allowed to make (anything but the document, pictures, fonts and stylesheets). */
  blocked: string[];
  /** Seconds spent laying out the pages, and printing them to PDF. */
  seconds: { layout: number; print: number };
  /** With readUnitPages: the pages of the units laid out here (those the binding took away included), as laid out. */
  unitPages: PageHtml[];
  /** How many units were taken from the cache. */
  cachedUnits: number;
}

/**
 * The laid-out document, live in Chromium, as the stages after layout see it
 * (copyfitting, filling the binding): they may read and change the pages, lay
 * out one unit of the document alone (a section: it starts on a page of its
 * own) with other settings, and splice its pages in (src/layout/units.ts).
 */
export interface LaidOutDocument {
  page: Page;
  /**
   * Lays out one unit (`data-unit`, a child of the body) alone, with `settings` in
   * the URL's fragment (read by in-page/start.js before Paged.js starts), in a worker
   * of its own: as many at once as `jobs`. `read` looks at its pages first.
   */
  layOutAlone<T>(unit: number, settings: string, read: (page: Page) => Promise<T>): Promise<LoneLayout<T>>;
  /** Puts a unit's pages, laid out alone, in place of its pages in the document, and numbers the pages again. */
  splice(pages: PageHtml[]): Promise<void>;
  /** How many units may be laid out alone at once. */
  jobs: number;
}

/** A stage that runs on the laid-out pages before they are printed. */
export type LayoutStage = (document: LaidOutDocument) => Promise<void>;

export interface PaginateOptions {
  browser: Browser;
  /** file:// URL of the HTML document to lay out. */
  url: string;
  /** Anchors whose page numbers post-processing needs (outline, checks). */
  anchors: string[];
  timeoutMs: number;
  /** The size of each sheet Chromium prints: the trim plus the bleed on every side. */
  sheetMm: { width: number; height: number };
  /** Folders and files Chromium may read: the document, the issue folder, fonts, templates. Nothing else, and nothing remote. */
  allowedPaths: string[];
  /** Called as Paged.js lays out each page. */
  onPage?: (count: number) => void;
  /** The stages to run on the laid-out pages, in order, before page numbers are read and the pages printed. */
  stages?: LayoutStage[];
  /**
   * How many renderer processes may lay out at once (default 1): the units of the
   * document are shared out among them for the first layout, and the stages lay
   * out units alone in as many. The pages are the same whatever the number.
   */
  jobs?: number;
  /**
   * The least markup (in characters) worth a renderer of its own in the first layout (default SHARE_WEIGHT): the
   * units are shared out among at most as many renderers as `jobs`, and as the markup to lay out holds this many
   * characters. Lower, a small issue is laid out in parallel too (the tests do, to run that path).
   */
  minShare?: number;
  /** The weight of each unit of the document (its markup's length), by which they are shared out; without it, the document is laid out whole. */
  unitWeights?: number[];
  /** The file:// URL of a document of some units alone (same head): a share loads only its own units. Without it, the whole document, less the other units. */
  documentFor?: (units: number[]) => string;
  /** Pages kept from an earlier build, by unit (src/layout/cache.ts): those units are not laid out again. */
  cachedPages?: (PageHtml[] | undefined)[];
  /** Hand back the pages of the units laid out here (not taken from the cache), for the cache. */
  readUnitPages?: boolean;
  /**
   * For tools that watch Chromium work (scripts/profile.ts), not for the build:
   * called with each page that lays out (the first and the workers'), before it
   * lays out anything; it may attach a CDP session or wrap the page's methods.
   * A build gives none.
   */
  watchPage?: (page: Page) => Promise<void>;
}

/**
 * The least markup (in characters) worth a renderer of its own in the first
 * layout: starting one, loading the document and taking its pages in costs
 * about what laying out 150 000 characters of news takes (measured with
 * `npm run bench` on 2 cores: the sample, 130 000, is faster in one).
 */
export const SHARE_WEIGHT = 150_000;

/** Whether a request stays within the allowed local files (or is inline data). */
function isAllowed(url: string, allowedPaths: string[]): boolean {
  if (url.startsWith("data:") || url === "about:blank") return true;
  if (!url.startsWith("file:")) return false;
  let path: string;
  try {
    path = fileURLToPath(url);
  } catch {
    return false;
  }
  return allowedPaths.some((root) => {
    const rel = relative(root, path);
    return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
  });
}

/**
 * A page to lay out documents in: printed media, pages back to back, and only
 * allowed requests let through (the rest recorded). Without a context, the page
 * Chromium opened at launch (making another one costs a tenth of a second).
 */
async function layoutPage(
  browser: Browser,
  context: BrowserContext | undefined,
  allowedPaths: string[],
  blocked: string[],
  timeoutMs: number,
  watchPage?: PaginateOptions["watchPage"],
): Promise<Page> {
  const page = context ? await context.newPage() : ((await browser.pages())[0] ?? (await browser.newPage()));
  page.setDefaultTimeout(timeoutMs);
  await page.emulateMediaType("print");
  // Pages back to back, not one an animation frame (in-page/paged-patches.js, BackToBack).
  await page.evaluateOnNewDocument("window.digestBackToBack = true");
  await page.setRequestInterception(true);
  page.on("request", (request) => {
    if (request.isInterceptResolutionHandled()) return;
    const url = request.url();
    if (isAllowed(url, allowedPaths)) {
      void request.continue();
      return;
    }
    if (!blocked.includes(url)) blocked.push(url);
    // Paged.js fetches stylesheets itself and gives up on the whole layout when one
    // fails: a blocked stylesheet is answered as an empty one instead.
    const type = request.resourceType();
    if (type === "stylesheet" || type === "xhr" || type === "fetch") {
      void request.respond({ status: 200, contentType: "text/css", body: "" });
    } else {
      void request.abort("blockedbyclient");
    }
  });
  if (watchPage) await watchPage(page);
  return page;
}

/**
 * Lays out the document into pages with Paged.js in Chromium and prints them.
 * It follows pagedjs-cli's steps, less the work it repeats: no copy of the page's
 * HTML, no wait for half a second of network silence (nothing is fetched once
 * the page has loaded). Gives up after the timeout.
 */
export async function paginate(options: PaginateOptions): Promise<Pagination> {
  const blocked: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new DigestError(
            `Chromium did not finish laying out the pages within ${Math.round(options.timeoutMs / 1000)} s`,
            "Try again with a longer --timeout <seconds>; if it keeps failing, run `digest build --html` and open the HTML to see what blocks the layout.",
          ),
        ),
      options.timeoutMs,
    );
  });

  /** Lays out a document in a page: its scripts (Paged.js and ours) run as it loads, and say when the pages are done. */
  const layOut = async (page: Page, url: string) => {
    try {
      const failed = new Promise<never>((_, reject) => page.once("pageerror", (e) => reject(e)));
      failed.catch(() => {});
      await Promise.race([
        page.goto(url, { waitUntil: "load", timeout: options.timeoutMs }).then(() =>
          page.evaluate("new Promise((done) => window.digestLaidOut ? done(true) : document.addEventListener('digest:laid-out', () => done(true)))"),
        ),
        failed,
      ]);
    } catch (error) {
      if (!options.browser.isConnected()) throw error;
      throw new DigestError(
        `Paged.js could not lay out the pages: ${(error as Error).message.split("\n")[0]}`,
        "Run `digest build --html` and open the HTML in Chromium to see the error.",
      );
    }
  };
  // Without documents of some units alone, a share loads the whole document and takes the other units out.
  const documentFor = options.documentFor ?? (() => options.url);
  const workers = new SectionWorkers(
    options.browser,
    Math.max(1, options.jobs ?? 1),
    documentFor,
    (context) => layoutPage(options.browser, context, options.allowedPaths, blocked, options.timeoutMs, options.watchPage),
    layOut,
  );

  const work = async (): Promise<Pagination> => {
    const started = performance.now();
    const page = await layoutPage(options.browser, undefined, options.allowedPaths, blocked, options.timeoutMs, options.watchPage);
    if (options.onPage) await page.exposeFunction("digestOnPage", options.onPage);
    // The document carries its scripts (Paged.js and ours), so Chromium reads them
    // from disk while it parses, and Paged.js starts as soon as the page is ready.
    // With more than one job, this page lays out the first share of the units and
    // the workers the others, at the same time; their pages follow, in order.
    const weights = options.unitWeights ?? [];
    const cached = weights.map((_, unit) => options.cachedPages?.[unit]);
    // Units kept from an earlier build are taken in, not laid out; the cover is laid out whatever happens, so that there is a document to take them in.
    let fresh = weights.map((_, unit) => unit).filter((unit) => !cached[unit]);
    if (weights.length && !fresh.length) fresh = [0];
    const taken = cached.flatMap((pages, unit) => (pages && !fresh.includes(unit) ? pages : []));
    // A share smaller than SHARE_WEIGHT costs more to start than it saves: a small issue is laid out by one renderer.
    const freshWeight = fresh.reduce((n, unit) => n + weights[unit]!, 0);
    const shares = shareOut(
      fresh.map((unit) => weights[unit]!),
      Math.max(1, Math.min(options.jobs ?? 1, Math.floor(freshWeight / Math.max(1, options.minShare ?? SHARE_WEIGHT)))),
    ).map((share) => share.map((i) => fresh[i]!));
    const others = shares.slice(1).map((share) => workers.layOutAlone(share, "", (p) => p.evaluate(() => (window as unknown as { digestFitFailures?: unknown[] }).digestFitFailures ?? [])));
    others.forEach((p) => p.catch(() => {}));
    await layOut(page, fresh.length === weights.length && shares.length <= 1 ? options.url : `${documentFor(shares[0]!)}#units=${shares[0]!.join(",")}`);
    const laidOthers = await Promise.all(others);
    await insertPages(page, [...laidOthers.flatMap((share) => share.pages), ...taken]);
    // Display type a worker could not fit is reported with the rest.
    await page.evaluate(
      (failures: unknown[]) => {
        const w = window as unknown as { digestFitFailures?: unknown[] };
        w.digestFitFailures = [...(w.digestFitFailures ?? []), ...failures];
      },
      laidOthers.flatMap((share) => share.read),
    );
    // For the cache: the units laid out here, before the stages take any away (fillers the binding does not need this time may be needed next time).
    const laidOutPages = options.readUnitPages ? await readPages(page, fresh) : [];
    const spliced = new Set<number>();
    const laidOutDocument: LaidOutDocument = {
      page,
      layOutAlone: (unit, settings, read) => workers.layOutAlone([unit], settings, read),
      jobs: Math.max(1, options.jobs ?? 1),
      splice: (pages) => {
        for (const p of pages) spliced.add(p.unit);
        return insertPages(page, pages);
      },
    };
    for (const stage of options.stages ?? []) await stage(laidOutDocument);
    await workers.close();
    const laidOut = performance.now();
    const pages = await page.evaluate((anchors: string[]) => {
      const found: Record<string, number> = {};
      for (const id of anchors) {
        const pageEl = document.getElementById(id)?.closest(".pagedjs_page") as HTMLElement | null;
        if (pageEl) found[id] = Number(pageEl.dataset.pageNumber);
      }
      return found;
    }, options.anchors);
    const pageCount = await page.evaluate(() => document.querySelectorAll(".pagedjs_page").length);
    // Units the stages laid out again (copyfitting) are kept as they print.
    const respliced = options.readUnitPages && spliced.size ? await readPages(page, [...spliced]) : [];
    const unitPages = [...laidOutPages.filter((p) => !spliced.has(p.unit)), ...respliced];
    // Defined by in-page/layout-flaws.js: it runs in the page, where Paged.js left its layout.
    const flaws = (await page.evaluate("window.digestLayoutFlaws()")) as LayoutFlaw[];
    // The sheet size is given in inches: Chromium rounds a CSS page size to whole pixels, which would be off by up to 0.1 mm.
    const pdf = await page.pdf({
      printBackground: true,
      preferCSSPageSize: false,
      width: `${options.sheetMm.width / 25.4}in`,
      height: `${options.sheetMm.height / 25.4}in`,
      margin: { top: 0, right: 0, bottom: 0, left: 0 },
      timeout: options.timeoutMs,
    });
    const printed = performance.now();
    await page.close();
    return { pdf, pageCount, pages, flaws, blocked, seconds: { layout: (laidOut - started) / 1000, print: (printed - laidOut) / 1000 }, unitPages, cachedUnits: weights.length - fresh.length };
  };

  // Chromium dying under us (a crash, the kernel's OOM killer) shows as a lost connection.
  let onDisconnect: () => void = () => {};
  const crash = new Promise<never>((_, reject) => {
    onDisconnect = () =>
      reject(
        new DigestError(
          "Chromium stopped while laying out the pages (it crashed or was killed)",
          "Build again; if it keeps happening, check the free memory (`free -h`) or try another Chromium with --browser <path>.",
        ),
      );
    options.browser.once("disconnected", onDisconnect);
  });
  crash.catch(() => {});
  try {
    return await Promise.race([work(), timeout, crash]);
  } finally {
    await workers.close();
    clearTimeout(timer);
    options.browser.off("disconnected", onDisconnect);
  }
}

