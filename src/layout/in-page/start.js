// Loaded just before Paged.js's polyfill, in the PDF build and the preview alike.
// Before Paged.js starts:
// - each child of the body (the cover, the contents, a section, an ad…) is
//   marked as a unit of layout (`data-unit="3"`): every unit starts on a page of
//   its own, so the pages of a unit can be told apart and laid out on their own;
// - with `#units=3` or `#units=0,1,2` in the URL's fragment (src/layout/units.ts),
//   every other unit is taken out (a document of these units alone has none), so
//   that these units alone are laid out;
// - the copyfitting variants named in the fragment
//   (`#copyfit=September:tight|Flash%20Briefing:tight+long`, set by src/layout/copyfit.ts)
//   are put on their sections as classes (`copyfit-tight`, `copyfit-long`, `copyfit-sunk`, …);
// - display type is fitted to the page (display-fit.js).
// When Paged.js has laid out every page it says so, so that whoever drives the
// page can wait for that instead of guessing.
/* global window, document, Event, location */
window.PagedConfig = {
  before: async () => {
    const fragment = location.hash.slice(1);
    const units = Array.from(document.body.children);
    // The renderer numbers the units (a document of some units alone names them as the whole one does); else, their order.
    units.forEach((unit, i) => unit.hasAttribute("data-unit") || unit.setAttribute("data-unit", String(i)));
    const alone = /(?:^|&)units=([\d,]+)/.exec(fragment);
    if (alone) {
      const kept = alone[1].split(",");
      for (const unit of units) if (!kept.includes(unit.getAttribute("data-unit"))) unit.remove();
      const here = new Set(units.map((unit) => unit.getAttribute("data-unit")));
      const missing = kept.filter((unit) => !here.has(unit));
      if (missing.length) throw new Error(`digest: the document has no unit ${missing.join(", ")}`);
    }
    const settings = /(?:^|&)copyfit=([^&]*)/.exec(fragment);
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
