// Runs in Chromium, beside Paged.js (src/layout/scripts.ts gives the order of
// the page's scripts). Paged.js does not judge its pages; once they are laid out,
// window.digestLayoutFlaws finds what a printer would send back: widows, orphans,
// stranded headlines, blocks too wide or too tall, text outside the safe area,
// and display type that could not fit (display-fit.js). digest build reports
// them and copyfitting weighs them (src/layout/copyfit.ts). It registers no handler.
/* global window, document, getComputedStyle, NodeFilter */
(() => {
  /** Printers keep text this far inside the trim: the cut may wander by a millimetre or two. */
  const SAFE_MM = 3;
  const PX_PER_MM = 96 / 25.4;

  /**
   * Text that runs outside the safe area of its page (3 mm inside the trim), or
   * past the foot of its column into space that never prints: it would be cut off.
   * Boxes that lie wholly inside the safe area are passed over with their text.
   */
  function clippedText(pageEl, page, words) {
    const box = pageEl.querySelector(".pagedjs_pagebox") || pageEl;
    const trim = box.getBoundingClientRect();
    const inset = SAFE_MM * PX_PER_MM;
    const safe = { left: trim.left + inset - 0.5, right: trim.right - inset + 0.5, top: trim.top + inset - 0.5, bottom: trim.bottom - inset + 0.5 };
    const inside = (r) => r.left >= safe.left && r.right <= safe.right && r.top >= safe.top && r.bottom <= safe.bottom;
    const found = [];
    const seen = new Set();
    const walker = document.createTreeWalker(box, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
      acceptNode(node) {
        if (node.nodeType === 3) return node.textContent.trim() ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT;
        const r = node.getBoundingClientRect();
        // Wholly inside, or a box with nothing laid out: nothing below it can be outside (overflow is caught by its text).
        if (r.width && r.height && inside(r) && node.scrollWidth <= node.clientWidth + 1 && node.scrollHeight <= node.clientHeight + 1) return NodeFilter.FILTER_REJECT;
        return NodeFilter.FILTER_SKIP;
      },
    });
    const range = document.createRange();
    // The numbers of ordered lists: a ::marker has no box to measure, so its width is measured as text, beside its item.
    for (const li of Array.from(box.querySelectorAll("ol > li"))) {
      const marker = markerBox(li);
      if (!marker || inside(marker.rect)) continue;
      const holder = li.closest("[data-source]") || li;
      if (seen.has(holder)) continue;
      seen.add(holder);
      found.push({ page, kind: "clipped", text: `${marker.text} ${words(li)}`.trim(), source: holder.getAttribute("data-source") || undefined, detail: "a list number outside the safe area of the page" });
    }
    for (let text = walker.nextNode(); text; text = walker.nextNode()) {
      range.selectNodeContents(text);
      const outside = Array.from(range.getClientRects()).some((r) => r.width > 0.5 && r.height > 0.5 && !inside(r));
      if (!outside) continue;
      const holder = text.parentElement.closest("[data-source]") || text.parentElement;
      if (seen.has(holder)) continue;
      seen.add(holder);
      found.push({ page, kind: "clipped", text: words(holder), source: holder.getAttribute("data-source") || undefined, detail: "outside the safe area of the page" });
    }
    return found;
  }

  let measure;
  /** The number an ordered list gives its item, as the browser counts (start, value, reversed). */
  function ordinalOf(li) {
    const list = li.parentElement;
    const items = Array.from(list.children).filter((c) => c.tagName === "LI");
    const step = list.reversed ? -1 : 1;
    let n = list.hasAttribute("start") ? list.start : list.reversed ? items.length : 1;
    for (const item of items) {
      if (item.hasAttribute("value")) n = item.value;
      if (item === li) return n;
      n += step;
    }
    return n;
  }

  /** Where an ordered list's number stands, outside its item's start edge, and its text ("123456789."); none for other markers. */
  function markerBox(li) {
    const style = getComputedStyle(li);
    if (style.display !== "list-item" || style.listStylePosition !== "outside" || !/^decimal/.test(style.listStyleType)) return undefined;
    const r = li.getBoundingClientRect();
    if (!r.height) return undefined;
    const text = `${ordinalOf(li)}.`;
    measure = measure || document.createElement("canvas").getContext("2d");
    measure.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const width = measure.measureText(`${text} `).width;
    const rtl = style.direction === "rtl";
    const left = rtl ? r.right : r.left - width;
    return { text, rect: { left, right: left + width, top: r.top, bottom: r.top + parseFloat(style.lineHeight || "0") || r.bottom } };
  }

  /** Where an element comes from, `file:line:column`: its own, its block's, or the first one inside it (a headline's). */
  function sourceOf(el) {
    const holder = el.closest("[data-source]") || el.querySelector("[data-source]") || (el.closest("article") && el.closest("article").querySelector("[data-source]"));
    return (holder && holder.getAttribute("data-source")) || undefined;
  }

  /**
   * After layout: single lines of a paragraph left alone at the foot (orphan) or
   * head (widow) of a column, and headlines with fewer than three lines of their
   * text below them on the page. digest reports them; the tests require none.
   */
  window.digestLayoutFlaws = () => {
    const flaws = (window.digestFitFailures || []).map((f) => ({ page: 0, kind: "clipped", text: f.text, source: f.source, detail: "display type too large for the page" }));
    const words = (el) => (el.textContent || "").replace(/\u00AD/g, "").trim().split(/\s+/).slice(0, 8).join(" ");
    for (const pageEl of Array.from(document.querySelectorAll(".pagedjs_page"))) {
      const page = Number(pageEl.dataset.pageNumber);
      const area = pageEl.querySelector(".pagedjs_page_content").getBoundingClientRect();
      for (const p of Array.from(pageEl.querySelectorAll(".article-body p, .foreword-body p, .flash-item p"))) {
        const lineHeight = parseFloat(getComputedStyle(p).lineHeight);
        const fragments = Array.from(p.getClientRects()).filter((r) => r.height > 0 && r.left < area.right);
        if (!fragments.length || !lineHeight) continue;
        const lines = fragments.map((r) => Math.round(r.height / lineHeight));
        const startsHere = !p.dataset.splitFrom;
        const endsHere = !p.dataset.splitTo;
        const pieces = fragments.length + (startsHere ? 0 : 1) + (endsHere ? 0 : 1);
        if (pieces < 2) continue;
        const source = sourceOf(p);
        if (startsHere && lines[0] === 1) flaws.push({ page, kind: "orphan", text: words(p), source });
        if (endsHere && lines[lines.length - 1] === 1) flaws.push({ page, kind: "widow", text: words(p), source });
      }
      // A table, picture or code block taller than the page or wider than its column:
      // Paged.js leaves it cut off at the page edge, or printed over the next column.
      // (Running text always wraps, so it is never "too wide".)
      for (const block of Array.from(pageEl.querySelectorAll("[data-source]"))) {
        if (!block.matches("table, figure, pre, img, p:has(> img)")) continue;
        const r = block.getBoundingClientRect();
        if (!r.height || r.top >= area.bottom) continue;
        const columns = block.parentElement && getComputedStyle(block.parentElement);
        const count = (columns && parseInt(columns.columnCount, 10)) || 1;
        const gap = (columns && parseFloat(columns.columnGap)) || 0;
        const columnWidth = count > 1 ? (block.parentElement.clientWidth - gap * (count - 1)) / count : area.width;
        const source = block.getAttribute("data-source");
        // A block that runs on from one column to the next has one box in each: judge each box.
        const widest = Math.max(...Array.from(block.getClientRects()).map((box) => box.width));
        const spans = getComputedStyle(block).columnSpan === "all";
        if ((!spans && widest > columnWidth + 2) || block.scrollWidth > block.clientWidth + 2) {
          flaws.push({ page, kind: "overflow", text: words(block), source, detail: "wider than its column" });
        } else if (r.bottom > area.bottom + 2) {
          flaws.push({ page, kind: "overflow", text: words(block), source, detail: "taller than the page" });
        }
      }
      flaws.push(...clippedText(pageEl, page, words));
      for (const head of Array.from(pageEl.querySelectorAll(".article-head"))) {
        const article = head.closest("article");
        const body = article && article.querySelector(".article-body");
        // A headline with none of its text on the page (a lead picture at most) is stranded too.
        const lineHeight = parseFloat(getComputedStyle(body || head).lineHeight);
        if (!body || area.bottom - body.getBoundingClientRect().top < 3 * lineHeight - 1) {
          flaws.push({ page, kind: "stranded-headline", text: words(head), source: sourceOf(head) });
        }
      }
    }
    return flaws;
  };
})();
