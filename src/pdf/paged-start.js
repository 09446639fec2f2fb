// Loaded just before Paged.js's polyfill, in the PDF build and the preview alike.
// Before Paged.js starts: the copyfitting variants named in the URL's fragment
// (`#copyfit=September:tight|Flash%20Briefing:tight+long`, set by src/pdf/copyfit.ts)
// are put on their sections as classes (`copyfit-tight`, `copyfit-loose`, `copyfit-long`), and
// display type is fitted to the page (display-fit.js). When
// Paged.js has laid out every page it says so, so that whoever drives the page
// can wait for that instead of guessing.
/* global window, document, Event, location */
window.PagedConfig = {
  before: async () => {
    const settings = /(?:^|&)copyfit=([^&]*)/.exec(location.hash.slice(1));
    if (settings) {
      const variants = new Map(
        settings[1].split("|").map((entry) => {
          const [name, how] = entry.split(":");
          return [decodeURIComponent(name), how.split("+")];
        }),
      );
      for (const section of Array.from(document.querySelectorAll("[data-section]"))) {
        for (const how of variants.get(section.getAttribute("data-section")) || []) section.classList.add(`copyfit-${how}`);
      }
    }
    if (typeof window.digestFitDisplay === "function") await window.digestFitDisplay();
  },
  after: (flow) => {
    window.digestLaidOut = { pages: flow.total };
    document.dispatchEvent(new Event("digest:laid-out"));
  },
};
