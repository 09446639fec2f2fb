// Runs in Chromium, beside Paged.js (src/layout/scripts.ts gives the order of
// the page's scripts). Paged.js says nothing until every page is laid out; this
// tells digest build its live page count as it goes (ReportProgress, through
// window.digestOnPage), for the terminal.
/* global window, document */
(() => {
  const { Handler, registerHandlers } = window.Paged;

  /** Tells digest build how far the layout has got (its live page count). */
  class ReportProgress extends Handler {
    afterPageLayout() {
      if (typeof window.digestOnPage === "function") window.digestOnPage(document.querySelectorAll(".pagedjs_page").length);
    }
  }

  registerHandlers(ReportProgress);
})();
