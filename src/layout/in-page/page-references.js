// Runs in Chromium, beside Paged.js (src/layout/scripts.ts gives the order of
// the page's scripts). It teaches Paged.js the page references of the contents
// and the month openers (an article's page number beside its title), written
// once, when every page is laid out: Paged.js's own way, target-counter(), lays
// out the whole document again for each number.
/* global window, document */
(() => {
  const { Handler, registerHandlers } = window.Paged;

  /**
   * Page numbers for the contents and the month openers, filled in once every page
   * is laid out: an element with `data-page-of="<id>"` gets the number of the page
   * where that id stands. (Paged.js's own target-counter() forces a layout of the
   * whole document for each number, which makes long issues slow.) The numbers
   * stand in fixed-width boxes, so writing them moves nothing else.
   */
  class PageNumbers extends Handler {
    afterRendered() {
      window.digestNumberPages();
    }
  }

  /** Writes the page numbers; called again when pages laid out on their own are spliced in (src/layout/units.ts). */
  window.digestNumberPages = () => {
    for (const holder of Array.from(document.querySelectorAll("[data-page-of]"))) {
      const target = document.getElementById(holder.getAttribute("data-page-of"));
      const page = target && target.closest(".pagedjs_page");
      holder.textContent = page ? page.dataset.pageNumber : "?";
    }
  };

  registerHandlers(PageNumbers);
})();
