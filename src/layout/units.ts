// Units laid out on their own. Every child of the document's body (the cover,
// the contents, the foreword, a month, the flash briefing, an ad) starts on a
// page of its own: in-page/start.js marks each as a unit (`data-unit`), and with
// `#units=3,4` in the URL lays out those units alone. This serves two stages:
// - the first layout, in parallel: the units are shared out, in print order,
//   among the workers (one renderer process each), and the pages of each share
//   are appended, in order, to the first share's document;
// - copyfitting: a short section is laid out alone in each variant, and the
//   variant chosen has its pages spliced in place of the section's pages.
// Then every page is numbered again.
//
// A share laid out alone starts on a right-hand page. Appended or spliced in on a
// left-hand one, its pages change sides (and so may the pages after it, when a
// section's page count changes): the grid mirrors the margins, so a page's text
// area has the same width on either side, and in-page/page-splice.js (PageSides) sets
// each page's running head and folio again for its new side.
import type { Browser, BrowserContext, Page } from "puppeteer";

/** A laid-out page, as HTML that any document of the issue can take in (see readPages), and the unit it belongs to. */
export interface PageHtml {
  unit: number;
  html: string;
}

/** Units' pages as laid out alone: each page, and what was read from them. */
export interface LoneLayout<T> {
  pages: PageHtml[];
  read: T;
}

/** Opens a page ready to lay out documents: printed media, pages back to back, requests guarded. */
export type OpenPage = (context: BrowserContext) => Promise<Page>;

/** Lays out a URL in a page and waits until Paged.js is done. */
export type LayOut = (page: Page, url: string) => Promise<void>;

/**
 * Worker pages, each in a browser context of its own (a renderer process of its
 * own), that lay out units alone: at most `jobs` at once. Units wait their turn
 * in the order they were asked for; the result of each depends only on the unit
 * and its settings, never on which worker laid it out or when.
 */
export class SectionWorkers {
  private idle: Page[] = [];
  private contexts: BrowserContext[] = [];
  private started = 0;
  private waiting: ((page: Page) => void)[] = [];

  constructor(
    private browser: Browser,
    private jobs: number,
    /** The URL of a document of these units alone (the whole document's head, these units' markup). */
    private documentFor: (units: number[]) => string,
    private open: OpenPage,
    private layOut: LayOut,
  ) {}

  private async take(): Promise<Page> {
    const free = this.idle.pop();
    if (free) return free;
    if (this.started < this.jobs) {
      this.started++;
      const context = await this.browser.createIncognitoBrowserContext();
      this.contexts.push(context);
      return this.open(context);
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private give(page: Page): void {
    const next = this.waiting.shift();
    if (next) next(page);
    else this.idle.push(page);
  }

  /** Lays out these units alone, in a document of their own, with `settings` in the fragment; `read` looks at their pages before they are taken. */
  async layOutAlone<T>(units: number[], settings: string, read: (page: Page) => Promise<T>): Promise<LoneLayout<T>> {
    const page = await this.take();
    try {
      await this.layOut(page, `${this.documentFor(units)}#units=${units.join(",")}${settings ? `&${settings}` : ""}`);
      const result = await read(page);
      const pages = await readPages(page);
      // Leave the worker on an empty page: the next unit starts from a fresh document.
      await page.goto("about:blank");
      return { pages, read: result };
    } finally {
      this.give(page);
    }
  }

  /** Closes every worker's context. */
  async close(): Promise<void> {
    await Promise.all(this.contexts.map((c) => c.close().catch(() => {})));
    this.contexts = [];
    this.idle = [];
  }
}

/** The pages of a laid-out document (of these units only, when given), as HTML that any document of the same issue can take in (in-page/page-splice.js, digestReadPages). */
export async function readPages(page: Page, units?: number[]): Promise<PageHtml[]> {
  return page.evaluate((units: number[] | null) => (window as unknown as { digestReadPages(units: number[] | null): PageHtml[] }).digestReadPages(units), units ?? null);
}

/**
 * Puts pages laid out elsewhere (by a worker, or in an earlier build) into the
 * document, each unit's in its place in print order, and numbers every page
 * again, with its side, running heads and the contents' page numbers
 * (in-page/page-splice.js, digestInsertPages).
 */
export async function insertPages(page: Page, pages: PageHtml[]): Promise<void> {
  if (!pages.length) return;
  await page.evaluate((pages: PageHtml[]) => (window as unknown as { digestInsertPages(pages: PageHtml[]): Promise<void> }).digestInsertPages(pages), pages);
}

/**
 * Shares out units among `parts` workers, in print order, each share as near the
 * same weight (the units' markup, in characters) as the order allows: a pure
 * function of the weights, so the same issue is always shared out the same way.
 */
export function shareOut(weights: number[], parts: number): number[][] {
  const n = Math.max(1, Math.min(parts, weights.length));
  const total = weights.reduce((a, b) => a + b, 0);
  const shares: number[][] = [];
  let share: number[] = [];
  let sum = 0;
  weights.forEach((weight, unit) => {
    const left = weights.length - unit;
    const sharesToCome = n - shares.length - 1;
    // Close the share when it has its part of the weight, or when the units left are only enough for the shares to come.
    if (share.length && sharesToCome > 0 && (sum + weight / 2 > (total * (shares.length + 1)) / n || left <= sharesToCome)) {
      shares.push(share);
      share = [];
    }
    share.push(unit);
    sum += weight;
  });
  shares.push(share);
  return shares;
}
