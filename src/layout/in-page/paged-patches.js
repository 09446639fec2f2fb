// Runs in Chromium, beside Paged.js (src/layout/scripts.ts gives the order of
// the page's scripts): two patches to Paged.js 0.4.3's own machinery, for speed.
// Neither moves a break. Each says on window what it did, and a test
// (test/paginate.e2e.test.ts) fails when a Paged.js upgrade moves what it patches:
// its version note must then be read again.
//
// 1. Pages back to back in the PDF build (BackToBack), not one an animation frame.
// 2. The check for a full page near the page's end, not after every paragraph
//    (ChecksNearPageEnd).
/* global window, MessageChannel */
(() => {
  const { Handler, registerHandlers } = window.Paged;

  /**
   * Pages back to back. Paged.js 0.4.3 lays out one page per animation frame
   * (its Queue's `tick` is requestAnimationFrame), which costs a frame a page and
   * more when headless Chromium throttles frames. The PDF build asks for pages
   * back to back (`window.digestBackToBack`, set by src/layout/paginate.ts before
   * the document loads); the preview keeps the frames, so the browser stays
   * responsive. The patch sets `window.digestFramePacing` to say what it did, and
   * a test fails when a Paged.js upgrade takes away the queue it patches.
   */
  class BackToBack extends Handler {
    constructor(chunker, polisher, caller) {
      super(chunker, polisher, caller);
      if (!window.digestBackToBack) {
        window.digestFramePacing = "frames";
        return;
      }
      const queue = chunker && chunker.q;
      if (!queue || typeof queue.tick !== "function" || typeof queue.run !== "function") {
        window.digestFramePacing = "unpatched";
        return;
      }
      // A message to ourselves runs as soon as the page is free, without the 4 ms a nested setTimeout waits.
      const channel = new MessageChannel();
      const waiting = [];
      channel.port1.onmessage = () => waiting.shift()();
      queue.tick = (callback) => {
        waiting.push(callback);
        channel.port2.postMessage(0);
      };
      window.digestFramePacing = "back-to-back";
    }
  }

  /**
   * The check for a full page near its end, not after every paragraph. Paged.js
   * 0.4.3 (Layout.renderTo) appends a page's content node by node and, once
   * `maxChars` characters are on the page, forces a layout after every further
   * node to see whether the page overflows. It means `maxChars` to follow the
   * content: the chunker keeps the mean length of the last four pages
   * (Chunker.recoredCharLength). But Page.layout copies that mean into the
   * settings it shares with the chunker only while they have none, so the first
   * page's length (a cover's or an opener's: a few hundred characters) holds
   * for the whole document, and nearly every paragraph costs a forced layout:
   * 2839 checks in a 144-page issue, 2.5 s of Chromium's CPU. Clearing the
   * setting before each page lets Page.layout take the current mean, as Paged.js
   * intends: 669 checks, 1 s. No break moves: the check finds the first content
   * past the page's end whichever node it follows (both samples, the 144-page
   * issue and fuzz seeds 1 to 12 give the same bytes with it and without). It sets
   * `window.digestOverflowChecks` to say what it did, and a test fails when a
   * Paged.js upgrade moves what it patches.
   */
  class ChecksNearPageEnd extends Handler {
    beforePageLayout(page, content, breakToken, chunker) {
      if (!chunker || !chunker.settings || page.settings !== chunker.settings) {
        window.digestOverflowChecks = "unpatched";
        return;
      }
      this.mean = chunker.maxChars;
      delete chunker.settings.maxChars;
    }

    afterPageLayout(pageElement, page) {
      // Page.layout gave the page's Layout the mean (no mean yet on the first page: Paged.js's default).
      if (window.digestOverflowChecks === "unpatched" || this.mean === undefined) return;
      window.digestOverflowChecks = page.layoutMethod && page.layoutMethod.maxChars === this.mean ? "near the page end" : "unpatched";
    }
  }

  registerHandlers(BackToBack, ChecksNearPageEnd);
})();
