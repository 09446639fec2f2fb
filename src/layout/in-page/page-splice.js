// Runs in Chromium, beside Paged.js (src/layout/scripts.ts gives the order of
// the page's scripts). Paged.js numbers and sides its pages once, as it lays them
// out; digest's stages after layout (copyfitting, filling the binding) take pages
// out and splice in pages laid out on their own, so this teaches Paged.js to:
//
// 1. mark each page with the unit of layout it belongs to (PageSides);
// 2. number the pages again and give them their sides (window.digestRenumberPages,
//    set by PageSides);
// 3. read pages as HTML and take them into another document of the issue
//    (window.digestReadPages, window.digestInsertPages; src/layout/units.ts).
/* global window, document */
(() => {
  const { Handler, registerHandlers } = window.Paged;

  /**
   * Pages numbered again after layout, when stages take pages out or splice in
   * pages laid out on their own (src/layout/binding.ts, src/layout/units.ts):
   * each page's number and id, and its side. A page that changes sides has its
   * margin boxes (running head, folio) marked and sized again by Paged.js's own
   * page finishing (its AtPage handler's finalizePage hook, Paged.js 0.4.3: the
   * only handler that has one); the text area has the same width on either
   * side, since the grid mirrors the margins. Then the page numbers are written.
   */
  class PageSides extends Handler {
    /** Each page says which unit it belongs to (`data-page-unit`): the unit it starts with, else the page before's (an ad placed after an article). */
    afterPageLayout(pageElement) {
      const own = pageElement.querySelector("[data-unit]");
      const before = pageElement.previousElementSibling;
      const unit = own ? own.getAttribute("data-unit") : before && before.getAttribute("data-page-unit");
      if (unit) pageElement.setAttribute("data-page-unit", unit);
    }

    constructor(chunker, polisher, caller) {
      super(chunker, polisher, caller);
      window.digestRenumberPages = async () => {
        const pages = Array.from(document.querySelectorAll(".pagedjs_page"));
        for (const [i, page] of pages.entries()) {
          page.dataset.pageNumber = String(i + 1);
          page.id = `page-${i + 1}`;
          // Paged.js: the first page is a right-hand page.
          const right = i % 2 === 0;
          if (page.classList.contains("pagedjs_right_page") === right && page.classList.contains("pagedjs_first_page") === (i === 0)) continue;
          page.classList.toggle("pagedjs_first_page", i === 0);
          page.classList.toggle("pagedjs_right_page", right);
          page.classList.toggle("pagedjs_left_page", !right);
          for (const box of Array.from(page.querySelectorAll(".pagedjs_margin"))) {
            box.classList.remove("hasContent");
            box.style.removeProperty("white-space");
          }
          for (const group of Array.from(page.querySelectorAll(".pagedjs_margin-top, .pagedjs_margin-bottom, .pagedjs_margin-left, .pagedjs_margin-right"))) {
            group.style.removeProperty("grid-template-columns");
            group.style.removeProperty("grid-template-rows");
          }
          await chunker.hooks.finalizePage.trigger(page, { element: page }, undefined, chunker);
        }
        document.querySelector(".pagedjs_pages").style.setProperty("--pagedjs-page-count", String(pages.length));
        window.digestNumberPages();
      };
    }
  }

  // Pages laid out in another document (a worker's, or an earlier build's) and
  // taken into this one (src/layout/units.ts): read as HTML that any
  // document of the issue can take in, and put in their place in print order.

  /**
   * The ids Paged.js makes up, in each document, for the sibling rules it rewrites
   * as attribute rules (`p + p` becomes `[data-following*='following-<uuid>']`), in
   * the order of the rules, which every document of the issue shares.
   */
  const RULE_ID = /(?:following|nth-of-type)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
  function ruleIds() {
    const ids = [];
    for (const sheet of Array.from(document.styleSheets)) {
      for (const rule of Array.from(sheet.cssRules)) for (const [id] of rule.cssText.matchAll(RULE_ID)) if (!ids.includes(id)) ids.push(id);
    }
    return ids;
  }

  /** Whether a running head's string is empty (Paged.js writes it with an opening quote). */
  const isEmptyString = (value) => value.replace(/["\\\s]/g, "") === "";

  /**
   * The pages (of these units only, when given) as `{ unit, html }`: the running
   * heads' strings closed (Paged.js leaves off the closing quote, `"Flash Briefing`,
   * harmless in a property, but read back from the style attribute the string
   * would run on over the next ones), and the sibling rules named by their order.
   */
  window.digestReadPages = (units) => {
    const ids = ruleIds();
    return Array.from(document.querySelectorAll(".pagedjs_page"))
      .filter((p) => !units || units.includes(Number(p.getAttribute("data-page-unit"))))
      .map((p) => {
        const copy = p.cloneNode(true);
        for (const [, name] of (p.getAttribute("style") || "").matchAll(/(--pagedjs-string-[\w-]+)\s*:/g)) {
          const value = p.style.getPropertyValue(name);
          if (value.startsWith('"') && (value.length === 1 || !value.endsWith('"') || value.endsWith('\\"'))) copy.style.setProperty(name, `${value}"`);
        }
        return { unit: Number(p.getAttribute("data-page-unit")), html: copy.outerHTML.replace(RULE_ID, (id) => `digest-rule-${ids.indexOf(id)}`) };
      });
  };

  /**
   * Puts pages read by digestReadPages into this document, each unit's in its
   * place in print order: in place of the unit's pages when it has some, else
   * before the first page of a later unit. Then carries the running heads'
   * strings on to every page that sets none of its own (the issue's name is set
   * on the cover only), and numbers every page again.
   */
  window.digestInsertPages = async (pages) => {
    const ids = ruleIds();
    const units = [...new Set(pages.map((p) => p.unit))].sort((a, b) => a - b);
    for (const unit of units) {
      const all = Array.from(document.querySelectorAll(".pagedjs_page"));
      const old = all.filter((p) => Number(p.getAttribute("data-page-unit")) === unit);
      const next = old[0] || all.find((p) => Number(p.getAttribute("data-page-unit")) > unit);
      const template = document.createElement("template");
      template.innerHTML = pages
        .filter((p) => p.unit === unit)
        .map((p) => p.html)
        .join("")
        .replace(/digest-rule-(\d+)/g, (_, i) => ids[Number(i)] || "digest-rule-missing");
      const fresh = Array.from(template.content.children);
      if (next) next.before(...fresh);
      else document.querySelector(".pagedjs_pages").append(...fresh);
      for (const p of old) p.remove();
    }
    const all = Array.from(document.querySelectorAll(".pagedjs_page"));
    const names = new Set(all.flatMap((p) => Array.from((p.getAttribute("style") || "").matchAll(/--pagedjs-string-last-([\w-]+)\s*:/g), (m) => m[1])));
    for (const name of names) {
      for (let i = 1; i < all.length; i++) {
        if (!isEmptyString(all[i].style.getPropertyValue(`--pagedjs-string-first-${name}`))) continue;
        const carried = all[i - 1].style.getPropertyValue(`--pagedjs-string-last-${name}`);
        if (isEmptyString(carried)) continue;
        for (const which of ["first", "last", "start", "first-except"]) all[i].style.setProperty(`--pagedjs-string-${which}-${name}`, carried);
      }
    }
    await window.digestRenumberPages();
  };

  registerHandlers(PageSides);
})();
