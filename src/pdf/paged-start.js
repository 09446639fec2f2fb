// Loaded just before Paged.js's polyfill, in the PDF build and the preview alike.
// Before Paged.js starts, display type is fitted to the page (display-fit.js);
// when Paged.js has laid out every page it says so, so that whoever drives the
// page can wait for that instead of guessing.
/* global window, document, Event */
window.PagedConfig = {
  before: async () => {
    if (typeof window.digestFitDisplay === "function") await window.digestFitDisplay();
  },
  after: (flow) => {
    window.digestLaidOut = { pages: flow.total };
    document.dispatchEvent(new Event("digest:laid-out"));
  },
};
