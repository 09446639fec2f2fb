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

  /**
   * A word broken across the page turn: the page's last line ends in a hyphen,
   * a soft hyphen's (Paged.js adds U+2011 to a word it cuts) or the word's own
   * (`Under-|Secretary`). The text that runs on to the next page is in the
   * innermost box Paged.js marks as split (`data-split-to`); its last text is
   * the page's last line. Between the columns of one page a hyphen is allowed.
   */
  function pageFinalHyphen(pageEl) {
    const split = Array.from(pageEl.querySelectorAll(".pagedjs_page_content [data-split-to]")).filter((el) => !el.querySelector("[data-split-to]"));
    for (const block of split) {
      const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
      let last;
      for (let t = walker.nextNode(); t; t = walker.nextNode()) if (t.textContent.trim()) last = t;
      if (!last) continue;
      const text = last.textContent;
      if (!/\p{L}[\u00AD\u2010\u2011-]+$/u.test(text)) continue;
      const word = text.replace(/\u00AD/g, "").split(/\s+/).pop();
      return { block, word };
    }
    return undefined;
  }

  /** The lines of an article's running text on its page: its body's paragraphs, list items and quotes (not the dateline, not captions), a table's row counting as a line. */
  function textLinesOnPage(article, area) {
    const body = article.querySelector(".article-body");
    if (!body) return 0;
    let lines = 0;
    for (const block of Array.from(body.querySelectorAll("p, li, tr"))) {
      if (block.matches(".dateline") || block.closest("figure") || (block.matches("li") && block.querySelector("p"))) continue;
      if (block.matches("p") && block.closest("td, th")) continue;
      const lineHeight = parseFloat(getComputedStyle(block).lineHeight) || 1;
      const boxes = Array.from(block.getClientRects()).filter((r) => r.height > 0 && r.left < area.right && r.bottom <= area.bottom + 1);
      lines += block.matches("tr") ? Math.min(1, boxes.length) : boxes.reduce((n, r) => n + Math.max(1, Math.round(r.height / lineHeight)), 0);
      if (lines >= 3) break; // enough to know
    }
    return lines;
  }

  /** Where an element comes from, `file:line:column`: its own, its block's, or the first one inside it (a headline's). */
  function sourceOf(el) {
    const holder = el.closest("[data-source]") || el.querySelector("[data-source]") || (el.closest("article") && el.closest("article").querySelector("[data-source]"));
    return (holder && holder.getAttribute("data-source")) || undefined;
  }

  /**
   * After layout: lines of a paragraph left at the foot (orphan) or head (widow)
   * of a column, fewer than its `orphans` and `widows` ask for, and headlines with fewer than three lines of their
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
        // Fewer lines than the stylesheet's `orphans` and `widows` ask for (2 in grid.css), at a page's or a column's break.
        const style = getComputedStyle(p);
        const orphans = Math.max(1, parseInt(style.orphans, 10) || 1);
        const widows = Math.max(1, parseInt(style.widows, 10) || 1);
        if (startsHere && lines[0] < orphans) flaws.push({ page, kind: "orphan", text: words(p), source });
        if (endsHere && lines[lines.length - 1] < widows) flaws.push({ page, kind: "widow", text: words(p), source });
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
      const hyphen = pageFinalHyphen(pageEl);
      if (hyphen) flaws.push({ page, kind: "page-final-hyphen", text: hyphen.word, source: sourceOf(hyphen.block) });
      for (const head of Array.from(pageEl.querySelectorAll(".article-head"))) {
        const article = head.closest("article");
        // An article that ends on this page may be short; one that runs on needs three lines of its text under its headline here (a lead picture is no text).
        if (!article || !article.dataset.splitTo) continue;
        if (textLinesOnPage(article, area) < 3) flaws.push({ page, kind: "stranded-headline", text: words(head), source: sourceOf(head) });
      }
    }
    return flaws;
  };
})();
