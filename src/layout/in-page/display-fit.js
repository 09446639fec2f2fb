// Runs in Chromium before Paged.js lays out the pages (paged-start.js calls it), in
// the PDF build and the preview alike. Display type is set large, and an issue's
// title, month name or ad headline can be any length: here each box marked
// `data-fit` is scaled down, within bounds, until it fits its page at this page
// size. The stylesheet multiplies the box's type sizes by `--fit`.
//
//   data-fit="box"    the box has a fixed height (a full page): its content must not overflow it
//   data-fit="lines"  the text must not run wider than its box, in at most data-fit-lines lines
//   data-fit-min      the smallest scale allowed (default 0.5)
//   data-fit-overflow what to do when even the smallest scale does not fit a box:
//                     "flow" lets it run on to the next page (a long contents list), at the
//                     smallest scale; "shorten" drops the last items of its list (`ol[data-fit-shorten-more]`)
//                     until it fits, ending with that attribute's line, `{n}` replaced by how many
//                     were left out (a month opener that cannot list every article); otherwise it is a failure
//   data-source       where the text comes from, for the error when even the smallest scale fails
//
// What cannot fit is recorded in window.digestFitFailures; layout-flaws.js reports it
// with the other layout flaws, and the build stops with a located error.
/* global window, document, getComputedStyle */
(() => {
  /** Whether any block inside `el` (or `el` itself) holds a word wider than it. Ornaments (aria-hidden, absolute) and clipped boxes are left out. */
  function tooWide(el, self) {
    for (const box of self ? [el, ...el.querySelectorAll("*")] : Array.from(el.querySelectorAll("*"))) {
      if (box.closest("[aria-hidden]")) continue;
      const style = getComputedStyle(box);
      if (style.display === "inline" || style.position === "absolute" || style.overflowX !== "visible") continue;
      if (box.scrollWidth > box.clientWidth + 0.5) return true;
    }
    return false;
  }

  /** Whether the box's content stays inside it: no word wider than its column, nothing past its padding. */
  function fits(el) {
    const style = getComputedStyle(el);
    if (el.getAttribute("data-fit") === "box") {
      if (tooWide(el, false)) return false;
      const r = el.getBoundingClientRect();
      const top = r.top + parseFloat(style.paddingTop) - 0.5;
      const bottom = r.bottom - parseFloat(style.paddingBottom) + 0.5;
      for (const child of Array.from(el.children)) {
        if (getComputedStyle(child).position === "absolute") continue;
        const c = child.getBoundingClientRect();
        if (c.height && (c.top < top || c.bottom > bottom)) return false;
      }
      return true;
    }
    if (tooWide(el, true)) return false;
    const lines = Number(el.getAttribute("data-fit-lines") || "0");
    if (!lines) return true;
    const lineHeight = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.2;
    return el.getBoundingClientRect().height <= lines * lineHeight + 1;
  }

  /** The largest scale between the minimum and 1 at which the box fits (a bisection: the test is monotone). */
  function fitOne(el) {
    const min = Number(el.getAttribute("data-fit-min") || "0.5");
    el.style.setProperty("--fit", "1");
    if (fits(el)) return true;
    el.style.setProperty("--fit", String(min));
    if (!fits(el)) return false;
    let lo = min;
    let hi = 1;
    for (let step = 0; step < 8; step++) {
      const mid = (lo + hi) / 2;
      el.style.setProperty("--fit", mid.toFixed(4));
      if (fits(el)) lo = mid;
      else hi = mid;
    }
    el.style.setProperty("--fit", lo.toFixed(4));
    return true;
  }

  /** A box that may flow on, or lose the tail of its list, when it cannot fit: true once that is done and it fits. */
  function overflowAllowed(el) {
    const how = el.getAttribute("data-fit-overflow");
    if (how === "flow") {
      el.setAttribute("data-fit-flows", "");
      return true;
    }
    const list = how === "shorten" && el.querySelector("[data-fit-shorten-more]");
    if (!list) return false;
    const items = Array.from(list.children);
    const more = document.createElement("li");
    more.className = "fit-more";
    const keep = (n) => {
      items.forEach((item, i) => (item.style.display = i < n ? "" : "none"));
      more.textContent = list.getAttribute("data-fit-shorten-more").replace("{n}", String(items.length - n));
      if (!more.parentNode) list.appendChild(more);
      return fits(el);
    };
    // The most items that fit, with the last line: a bisection, for lists of any length.
    let lo = 0;
    let hi = items.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (keep(mid)) lo = mid;
      else hi = mid - 1;
    }
    if (!keep(lo)) return false;
    // Hidden items are removed, so that Paged.js does not lay them out.
    items.slice(lo).forEach((item) => item.remove());
    return true;
  }

  window.digestFitFailures = [];

  /** Scales every display box; inner boxes first, so that a page's box fits around its already fitted title. */
  window.digestFitDisplay = async () => {
    document.body.getBoundingClientRect();
    await document.fonts.ready;
    const boxes = Array.from(document.querySelectorAll("[data-fit]")).reverse();
    for (const el of boxes) {
      if (!fitOne(el) && !overflowAllowed(el)) {
        window.digestFitFailures.push({
          source: el.getAttribute("data-source") || undefined,
          text: (el.textContent || "").replace(/\u00AD/g, "").trim().split(/\s+/).slice(0, 8).join(" "),
        });
      }
    }
  };
})();
