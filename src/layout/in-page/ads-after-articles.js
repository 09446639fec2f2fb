// Runs in Chromium, beside Paged.js (src/layout/scripts.ts gives the order of
// the page's scripts). It teaches Paged.js an ad placed `after:` an article: a
// page of its own that follows the page where the article ends, not a break that
// leaves that page half empty (which is all a CSS page break can do): the next
// article goes on filling the page, and continues after the ad.
/* global window, console, digestShared */
(() => {
  const { Handler, registerHandlers } = window.Paged;
  const { elementOf } = digestShared;

  class AdsAfterArticles extends Handler {
    constructor(chunker, polisher, caller) {
      super(chunker, polisher, caller);
      /** anchor of the article → { article (in the source), ads (elements to print) } */
      this.pending = new Map();
    }

    beforeParsed(content) {
      for (const ad of Array.from(content.querySelectorAll("[data-after]"))) {
        const anchor = ad.getAttribute("data-after");
        const entry = this.pending.get(anchor) || { article: undefined, ads: [] };
        entry.ads.push(ad);
        this.pending.set(anchor, entry);
        ad.remove();
      }
    }

    afterParsed(parsed) {
      for (const [anchor, entry] of this.pending) {
        const heading = parsed.querySelector(`[id="${anchor}"]`);
        entry.article = heading ? heading.closest("article") : undefined;
      }
    }

    afterPageLayout(pageElement, page, breakToken, chunker) {
      for (const [anchor, entry] of this.pending) {
        if (!entry.article) continue;
        const ref = entry.article.getAttribute("data-ref");
        if (!pageElement.querySelector(`[data-ref="${ref}"]`)) continue;
        const next = breakToken && elementOf(breakToken.node);
        if (next && entry.article.contains(next)) continue; // the article goes on to the next page
        this.pending.delete(anchor);
        for (const ad of entry.ads) {
          const adPage = chunker.addPage(true);
          adPage.element.classList.add("pagedjs_named_page", "pagedjs_ad_page");
          // The ad's page belongs to the unit of the article's (PageSides has marked that page already).
          const unit = pageElement.getAttribute("data-page-unit");
          if (unit) adPage.element.setAttribute("data-page-unit", unit);
          adPage.area.appendChild(ad);
        }
      }
    }

    afterRendered() {
      // An ad whose article never showed up would be lost: say so.
      for (const anchor of this.pending.keys()) console.error(`digest: no page for the ads after ${anchor}`);
    }
  }

  registerHandlers(AdsAfterArticles);
})();
