// Loaded just before Paged.js's polyfill, in the PDF build and the preview alike.
// Before Paged.js starts: the copyfitting variants named in the URL's fragment
// (`#copyfit=September|Flash%20Briefing`, set by src/pdf/copyfit.ts) are put on
// their sections, and display type is fitted to the page (display-fit.js). When
// Paged.js has laid out every page it says so, so that whoever drives the page
// can wait for that instead of guessing.
/* global window, document, Event, location */
window.PagedConfig = {
  before: async () => {
    const tighten = /(?:^|&)copyfit=([^&]*)/.exec(location.hash.slice(1));
    if (tighten) {
      const names = tighten[1].split("|").map(decodeURIComponent);
      for (const section of Array.from(document.querySelectorAll("[data-section]"))) {
        if (names.includes(section.getAttribute("data-section"))) section.classList.add("copyfit-tight");
      }
    }
    if (typeof window.digestFitDisplay === "function") await window.digestFitDisplay();
  },
  after: (flow) => {
    window.digestLaidOut = { pages: flow.total };
    document.dispatchEvent(new Event("digest:laid-out"));
  },
};
