// Sections laid out on their own. Every child of the document's body (the cover,
// the contents, the foreword, a month, the flash briefing, an ad) starts on a
// page of its own: paged-start.js marks each as a unit (`data-unit`), and with
// `#section=<unit>` in the URL lays out that unit alone. Its pages are then
// spliced into the whole document in place of the ones it had there, and the
// pages are numbered again. Copyfitting uses this to try its variants on the
// sections concerned only, several at once, each in a renderer process of its own.
//
// A unit laid out alone starts on a right-hand page. Spliced in on a left-hand
// one, its pages change sides (and so may the pages after it, when its page count
// changes): the grid mirrors the margins, so a page's text area has the same
// width on either side, and paged-handlers.js (PageSides) sets each page's
// running head and folio again for its new side.
import type { Browser, BrowserContext, Page } from "puppeteer";

/** A unit's pages as laid out alone: each page's HTML, and what was read from them. */
export interface LoneLayout<T> {
  pages: string[];
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

  /** Lays out one unit of the document at `url` alone, with `settings` in the fragment; `read` looks at its pages before they are taken. */
  async layOutAlone<T>(url: string, unit: number, settings: string, read: (page: Page) => Promise<T>): Promise<LoneLayout<T>> {
    const page = await this.take();
    try {
      await this.layOut(page, `${url}#section=${unit}${settings ? `&${settings}` : ""}`);
      const result = await read(page);
      const pages = await page.evaluate(() =>
        Array.from(document.querySelectorAll<HTMLElement>(".pagedjs_page")).map((p) => {
          // Paged.js writes the running heads' strings without their closing quote (`"Flash Briefing`): harmless
          // in a property, but read back from the style attribute the string would run on over the next ones.
          for (const [, name] of (p.getAttribute("style") ?? "").matchAll(/(--pagedjs-string-[\w-]+)\s*:/g)) {
            const value = p.style.getPropertyValue(name!);
            if (value.startsWith('"') && (value.length === 1 || !value.endsWith('"') || value.endsWith('\\"'))) p.style.setProperty(name!, `${value}"`);
          }
          return p.outerHTML;
        }),
      );
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

/**
 * Puts a unit's pages, laid out alone, in place of its pages in the document:
 * carries the running heads' strings into the new pages where they set none of
 * their own (the issue's name is set on the cover), then numbers every page
 * again (its number, its id, its side) and writes the contents' page numbers.
 */
export async function spliceUnit(page: Page, unit: number, pages: string[]): Promise<void> {
  await page.evaluate(
    async (unit: number, html: string[]) => {
      // (No named helpers in here: a bundler's name-keeping would wrap them in a function that the page lacks.)
      const old = Array.from(document.querySelectorAll<HTMLElement>(".pagedjs_page")).filter((p) => p.querySelector("[data-unit]")?.getAttribute("data-unit") === String(unit));
      if (!old.length) throw new Error(`digest: no pages of unit ${unit} to replace`);
      const template = document.createElement("template");
      template.innerHTML = html.join("");
      const fresh = Array.from(template.content.children) as HTMLElement[];
      // Strings (running heads) a page of the unit did not set itself came from the pages before it.
      const before = old[0]!.previousElementSibling as HTMLElement | null;
      if (before) {
        const names = Array.from((before.getAttribute("style") ?? "").matchAll(/--pagedjs-string-last-([\w-]+)\s*:/g), (m) => m[1]!);
        for (const name of names) {
          const carried = before.style.getPropertyValue(`--pagedjs-string-last-${name}`);
          for (const p of fresh) {
            if (p.style.getPropertyValue(`--pagedjs-string-first-${name}`).replace(/["\\\s]/g, "") !== "") break;
            for (const which of ["first", "last", "start", "first-except"]) p.style.setProperty(`--pagedjs-string-${which}-${name}`, carried);
          }
        }
      }
      old[0]!.before(...fresh);
      for (const p of old) p.remove();
      await (window as unknown as { digestRenumberPages(): Promise<void> }).digestRenumberPages();
    },
    unit,
    pages,
  );
}
