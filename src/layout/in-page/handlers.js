// Runs in Chromium, beside Paged.js: the document loads it right after the
// polyfill, before the layout starts (src/layout/scripts.ts gives the order).
// It teaches Paged.js what a magazine needs:
//
// 1. Where a page breaks (PlaceBreaks): a headline is never stranded at a page
//    foot (the article moves to the next page when fewer than three lines of its
//    text would follow), a page never breaks mid-word, and a paragraph keeps two
//    lines at least on each side of the break.
// 2. No line lost (KeepSpilledLines): a line Chromium pushes past the page foot
//    after Paged.js's cut goes to the next page.
// 3. Pages back to back in the PDF build (BackToBack), not one a frame; and
//    the check for a full page near the page's end, not after every paragraph
//    (ChecksNearPageEnd).
// 4. An ad placed `after:` an article is a page of its own that follows the page
//    where the article ends, not a break that leaves that page half empty: the
//    next article goes on filling the page, and continues after the ad.
// 5. After layout: the contents' page numbers, the layout's flaws for the build
//    to report (window.digestLayoutFlaws), and soft hyphens kept only at line ends.
// 6. Pages numbered again, and given their sides, when stages after layout take
//    pages out or splice pages in (PageSides, window.digestRenumberPages); pages
//    read as HTML and taken into another document of the issue
//    (window.digestReadPages, window.digestInsertPages).
/* global window, document, getComputedStyle */
(() => {
  const { Handler, registerHandlers } = window.Paged;

  /** How many lines of text must follow a headline on its page. */
  const MIN_LINES_AFTER_HEADLINE = 3;

  function elementOf(node) {
    return node && (node.nodeType === 1 ? node : node.parentElement);
  }

  /**
   * The top of an element's first box. While a page is being cut, what overflows it
   * sits at the top of the page's next column, so the bounding box would start there.
   */
  function firstTop(el) {
    const first = el.getClientRects()[0];
    return first ? first.top : el.getBoundingClientRect().top;
  }

  /**
   * Where a page breaks. Paged.js takes only the last answer of its onOverflow
   * hooks, each given Paged.js's own break, so both rules live in one handler:
   * a stranded headline moves to the next page with its article; otherwise a
   * break inside a word moves back to the word's last hyphenation point or its
   * start (Paged.js measures letter by letter and may cut "Secr|etary"); and a
   * paragraph keeps two lines at least on each side of the break (no orphan at
   * the page foot, no widow at the next page's head).
   */
  class PlaceBreaks extends Handler {
    onOverflow(overflow, rendered, bounds) {
      if (!overflow) return undefined;
      const between = breakBetweenWords(overflow) || overflow;
      return headlineWithText(overflow, rendered, bounds) || twoLinesEachSide(between, bounds) || (between !== overflow ? between : undefined);
    }
  }

  /** A break inside a word, moved back to just after a soft hyphen or to the word's start; undefined when it is between words. */
  function breakBetweenWords(overflow) {
    const text = overflow.startContainer;
    const at = overflow.startOffset;
    if (text.nodeType !== 3 || at <= 0 || at >= text.length) return undefined;
    const value = text.textContent;
    const isLetter = (c) => /[\p{L}\p{N}\u00AD]/u.test(c);
    if (!isLetter(value[at - 1]) || !isLetter(value[at])) return undefined;
    let start = at;
    while (start > 0 && isLetter(value[start - 1]) && value[start - 1] !== "\u00AD") start--;
    if (start === at) return undefined;
    const range = document.createRange();
    range.setStart(text, start);
    range.setEnd(overflow.endContainer, overflow.endOffset);
    return range;
  }

  /**
   * The lines a range's text stands on, each once, in order: its boxes grouped by
   * their top, and by side-by-side runs (a line in the next column may share a top).
   */
  function lineTops(range) {
    const lines = [];
    for (const r of Array.from(range.getClientRects())) {
      if (r.width < 1 || !r.height) continue;
      const line = lines.find((l) => Math.abs(l.top - r.top) < 2 && r.left <= l.right + 8 && r.right >= l.left - 8);
      if (line) {
        line.left = Math.min(line.left, r.left);
        line.right = Math.max(line.right, r.right);
      } else lines.push({ top: r.top, left: r.left, right: r.right });
    }
    return lines;
  }

  /**
   * A break inside a paragraph that would leave one line of it on this page (an
   * orphan) moves before the paragraph; one that would send one line alone to the
   * next page (a widow) moves back to the start of this page's last line of it,
   * or, when only two lines of it are here, before the paragraph.
   */
  function twoLinesEachSide(overflow, bounds) {
    const text = overflow.startContainer;
    const at = overflow.startOffset;
    if (text.nodeType !== 3 || at <= 0) return undefined;
    const p = text.parentElement && text.parentElement.closest("p, li");
    if (!p || !p.contains(text)) return undefined;
    const before = document.createRange();
    before.setStart(p, 0);
    before.setEnd(text, at);
    const after = document.createRange();
    after.setStart(text, at);
    after.setEndAfter(p.lastChild || p);
    const onPage = (t) => t.top < bounds.bottom && t.left < bounds.right;
    const here = lineTops(before).filter(onPage);
    // What stays on a line of this page (the space at the break) is no line of the next.
    const there = lineTops(after).filter((t) => !onPage(t));
    const range = document.createRange();
    // One line here, or one line there with only two here: the whole paragraph goes to the next page.
    if ((here.length === 1 || (there.length === 1 && here.length === 2)) && !p.dataset.splitFrom) {
      range.setStartBefore(p);
      range.setEnd(overflow.endContainer, overflow.endOffset);
      return range;
    }
    if (there.length !== 1 || here.length < 3) return undefined;
    // Back to where this page's last line of the paragraph starts, within the same text.
    const last = here[here.length - 1];
    const probe = document.createRange();
    let start = at;
    while (start > 0) {
      probe.setStart(text, start - 1);
      probe.setEnd(text, start);
      const r = probe.getBoundingClientRect();
      if (r.height && Math.abs(r.top - last.top) >= 2) break;
      start--;
    }
    if (start === 0 || start >= at) return undefined;
    range.setStart(text, start);
    range.setEnd(overflow.endContainer, overflow.endOffset);
    return range;
  }

  /** When fewer than three lines of an article's text would follow its headline on this page, the break moves before the article. */
  function headlineWithText(overflow, rendered, bounds) {
    const start = elementOf(overflow.startContainer);
    const article = start && start.closest("article");
    if (!article || !rendered.contains(article)) return undefined;
    const head = article.querySelector(".article-head");
    if (!head) return undefined; // the article began on an earlier page
    const body = article.querySelector(".article-body");
    // The lead picture, or the body, may be what overflows: then no text at all follows the headline here.
    const lineHeight = parseFloat(getComputedStyle(body || article).lineHeight) || 16;
    const overflowsAt = overflow.startContainer.nodeType === 1 && overflow.startContainer.childNodes[overflow.startOffset];
    const textHere = body && !(overflowsAt && (overflowsAt === body || overflowsAt.contains(body) || overflowsAt.classList?.contains("lead-picture")));
    const room = textHere ? bounds.bottom - firstTop(body) : 0;
    if (room >= MIN_LINES_AFTER_HEADLINE * lineHeight) return undefined;
    const block = article.closest(".article-slot") || article;
    // Nothing to gain when the article already starts the page. (The headline's top, not the
    // article's box: what overflows sits in the next column of the page, at its top.)
    if (firstTop(head) - bounds.top < 2 * lineHeight) return undefined;
    const range = document.createRange();
    range.setStartBefore(block);
    range.setEnd(overflow.endContainer, overflow.endOffset);
    return range;
  }

  /**
   * No line lost at a page break. Paged.js cuts the page where the content first
   * overflows, then removes the rest; but Chromium lays out what is left again, and
   * its own widows and orphans rules may then push a line or two of a column past
   * the page foot, where nothing prints it and the next page does not repeat it.
   * After each cut this looks again, and moves whatever still spills over to the
   * next page, by moving the break that Paged.js chose (Paged.js 0.4.3 offers no
   * hook to replace it at that point, so the token is updated in place).
   */
  class KeepSpilledLines extends Handler {
    afterParsed(parsed) {
      this.source = parsed;
    }

    onBreakToken(token) {
      this.token = token;
      return undefined;
    }

    afterOverflowRemoved(removed, rendered, layout) {
      const token = this.token;
      this.token = undefined;
      if (!token || !token.node || !this.source) return;
      for (let round = 0; round < 8; round++) {
        const spilled = layout.findOverflow(rendered, layout.bounds);
        if (!spilled) return;
        // Paged.js measures word by word and may land at the very end of the text; the spill is a whole line, so start at its first character.
        const first = firstSpilledCharacter(spilled.startContainer, layout.bounds);
        if (first !== undefined && first < spilled.startOffset) spilled.setStart(spilled.startContainer, first);
        const earlier = sameTextEarlier(token, spilled) || layout.createBreakToken(spilled, rendered, this.source);
        if (!earlier || !earlier.node) return;
        if (earlier.node === token.node && earlier.offset >= token.offset) return; // no progress: leave it to the layout checks
        token.node = earlier.node;
        token.offset = earlier.offset;
        const letter = earlier.offset && earlier.node.textContent ? earlier.node.textContent.charAt(earlier.offset) : undefined;
        layout.removeOverflow(spilled, letter);
      }
    }
  }

  /** The first character of a text node that lies past the page's foot or right edge (a spilled tail), by bisection. */
  function firstSpilledCharacter(text, bounds) {
    if (!text || text.nodeType !== 3 || !text.length) return undefined;
    const range = document.createRange();
    const outside = (i) => {
      range.setStart(text, i);
      range.setEnd(text, i + 1);
      const r = range.getBoundingClientRect();
      return r.left >= bounds.right - 1 || r.top >= bounds.bottom - 1;
    };
    if (!outside(text.length - 1)) return undefined;
    let lo = 0;
    let hi = text.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (outside(mid)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /**
   * When the spill starts in the text that the page break already split, the new
   * break is in the same source text, that many characters earlier. (Paged.js's own
   * mapping looks the rendered text up in the source, which fails once it has
   * added a hyphen to it.)
   */
  function sameTextEarlier(token, spilled) {
    const rendered = spilled.startContainer;
    if (rendered.nodeType !== 3 || token.node.nodeType !== 3 || !token.offset) return undefined;
    const text = rendered.textContent.replace(/\u2011$/, "");
    const source = token.node.textContent;
    if (spilled.startOffset > text.length || !source.slice(0, token.offset).endsWith(text)) return undefined;
    return { node: token.node, offset: token.offset - (text.length - spilled.startOffset) };
  }

  /**
   * Pages back to back. Paged.js 0.4.3 lays out one page per animation frame
   * (its Queue's `tick` is requestAnimationFrame), which costs a frame a page and
   * more when headless Chromium throttles frames. The PDF build asks for pages
   * back to back (`window.digestBackToBack`, set by src/layout/paginate.ts before
   * the document loads); the preview keeps the frames, so the browser stays
   * responsive. The patch sets `window.digestFramePacing` to say what it did, and
   * a test fails when a Paged.js upgrade takes away the queue it patches.
   */
  class BackToBack extends Handler {
    constructor(chunker, polisher, caller) {
      super(chunker, polisher, caller);
      if (!window.digestBackToBack) {
        window.digestFramePacing = "frames";
        return;
      }
      const queue = chunker && chunker.q;
      if (!queue || typeof queue.tick !== "function" || typeof queue.run !== "function") {
        window.digestFramePacing = "unpatched";
        return;
      }
      // A message to ourselves runs as soon as the page is free, without the 4 ms a nested setTimeout waits.
      const channel = new MessageChannel();
      const waiting = [];
      channel.port1.onmessage = () => waiting.shift()();
      queue.tick = (callback) => {
        waiting.push(callback);
        channel.port2.postMessage(0);
      };
      window.digestFramePacing = "back-to-back";
    }
  }

  /**
   * The check for a full page near its end, not after every paragraph. Paged.js
   * 0.4.3 (Layout.renderTo) appends a page's content node by node and, once
   * `maxChars` characters are on the page, forces a layout after every further
   * node to see whether the page overflows. It means `maxChars` to follow the
   * content: the chunker keeps the mean length of the last four pages
   * (Chunker.recoredCharLength). But Page.layout copies that mean into the
   * settings it shares with the chunker only while they have none, so the first
   * page's length (a cover's or an opener's: a few hundred characters) holds
   * for the whole document, and nearly every paragraph costs a forced layout:
   * 2839 checks in a 144-page issue, 2.5 s of Chromium's CPU. Clearing the
   * setting before each page lets Page.layout take the current mean, as Paged.js
   * intends: 669 checks, 1 s. No break moves: the check finds the first content
   * past the page's end whichever node it follows (both samples, the 144-page
   * issue and fuzz seeds 1 to 12 give the same bytes with it and without). It sets
   * `window.digestOverflowChecks` to say what it did, and a test fails when a
   * Paged.js upgrade moves what it patches.
   */
  class ChecksNearPageEnd extends Handler {
    beforePageLayout(page, content, breakToken, chunker) {
      if (!chunker || !chunker.settings || page.settings !== chunker.settings) {
        window.digestOverflowChecks = "unpatched";
        return;
      }
      this.mean = chunker.maxChars;
      delete chunker.settings.maxChars;
    }

    afterPageLayout(pageElement, page) {
      // Page.layout gave the page's Layout the mean (no mean yet on the first page: Paged.js's default).
      if (window.digestOverflowChecks === "unpatched" || this.mean === undefined) return;
      window.digestOverflowChecks = page.layoutMethod && page.layoutMethod.maxChars === this.mean ? "near the page end" : "unpatched";
    }
  }

  class AdsAfterArticles extends Handler {
    constructor(chunker, polisher, caller) {
      super(chunker, polisher, caller);
      /** anchor of the article → { article (in the source), ads (elements to print) } */
      this.pending = new Map();
    }

    beforeParsed(content) {
      for (const ad of Array.from(content.querySelectorAll("[data-after]"))) {
        const anchor = ad.getAttribute("data-after");
        const entry = this.pending.get(anchor) || { article: undefined, ads: [] };
        entry.ads.push(ad);
        this.pending.set(anchor, entry);
        ad.remove();
      }
    }

    afterParsed(parsed) {
      for (const [anchor, entry] of this.pending) {
        const heading = parsed.querySelector(`[id="${anchor}"]`);
        entry.article = heading ? heading.closest("article") : undefined;
      }
    }

    afterPageLayout(pageElement, page, breakToken, chunker) {
      for (const [anchor, entry] of this.pending) {
        if (!entry.article) continue;
        const ref = entry.article.getAttribute("data-ref");
        if (!pageElement.querySelector(`[data-ref="${ref}"]`)) continue;
        const next = breakToken && elementOf(breakToken.node);
        if (next && entry.article.contains(next)) continue; // the article goes on to the next page
        this.pending.delete(anchor);
        for (const ad of entry.ads) {
          const adPage = chunker.addPage(true);
          adPage.element.classList.add("pagedjs_named_page", "pagedjs_ad_page");
          // The ad's page belongs to the unit of the article's (PageSides has marked that page already).
          const unit = pageElement.getAttribute("data-page-unit");
          if (unit) adPage.element.setAttribute("data-page-unit", unit);
          adPage.area.appendChild(ad);
        }
      }
    }

    afterRendered() {
      // An ad whose article never showed up would be lost: say so.
      for (const anchor of this.pending.keys()) console.error(`digest: no page for the ads after ${anchor}`);
    }
  }

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

  /** Tells digest build how far the layout has got (its live page count). */
  class ReportProgress extends Handler {
    afterPageLayout() {
      if (typeof window.digestOnPage === "function") window.digestOnPage(document.querySelectorAll(".pagedjs_page").length);
    }
  }

  registerHandlers(BackToBack, ChecksNearPageEnd, PlaceBreaks, KeepSpilledLines, PageSides, AdsAfterArticles, PageNumbers, ReportProgress);

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
      found.push({ page, kind: "clipped", text: `${marker.text} ${words(li)}`.trim(), source: holder.getAttribute("data-source") || undefined, detail: "outside the safe area of the page" });
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

  /**
   * After layout: single lines of a paragraph left alone at the foot (orphan) or
   * head (widow) of a column, and headlines with fewer than three lines of their
   * text below them on the page. digest reports them; the tests require none.
   */
  /** Where an element comes from, `file:line:column`: its own, its block's, or the first one inside it (a headline's). */
  function sourceOf(el) {
    const holder = el.closest("[data-source]") || el.querySelector("[data-source]") || (el.closest("article") && el.closest("article").querySelector("[data-source]"));
    return (holder && holder.getAttribute("data-source")) || undefined;
  }

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

// ---------------------------------------------------------------------------
// The text layer: a soft hyphen only where a line breaks.
//
// digest puts a soft hyphen (U+00AD) at every hyphenation point of the running
// text (headless Chromium has no hyphenation dictionaries), and Chromium writes
// every one of them into the PDF's text: copying, searching and screen readers
// meet "Dis­tin­guished col­leagues". Once the pages are laid out, only the soft
// hyphens where a line does break are needed (Chromium prints a hyphen there);
// this removes the others, in the PDF and the preview alike.
//
// Removing them moves nothing: body text wraps greedily (each line ends at the
// last break opportunity that fits), so taking away opportunities the lines did
// not use changes no line, and a soft hyphen that does not break has no width.
// It runs after every other handler's afterRendered (PageNumbers writes the
// contents' numbers there), when nothing moves any more.
/* global window, document, NodeFilter */
(() => {
  const { Handler, registerHandlers } = window.Paged;
  const SOFT_HYPHEN = "\u00AD";

  /** The boxes with a width that the characters from `start` to `end` of `node` have as laid out. */
  function boxes(range, node, start, end) {
    range.setStart(node, start);
    range.setEnd(node, end);
    return Array.from(range.getClientRects()).filter((box) => box.width > 0);
  }

  /**
   * Whether a line breaks at the soft hyphen at `offset`. Chromium then draws a
   * hyphen for it, so it has a box with a width, and the next character stands on
   * another line (its range also has the hyphen's box, at the end of this line).
   * A soft hyphen inside a line has an empty box, except inside a ligature ("f­i"
   * is set as one glyph): then the next character is right beside it.
   */
  function breaksAt(range, node, offset) {
    const [hyphen] = boxes(range, node, offset, offset + 1);
    if (!hyphen) return false;
    if (offset + 1 >= node.data.length) return true; // the word goes on in another node: keep it
    return boxes(range, node, offset + 1, offset + 2).some((box) => Math.abs(box.top - hyphen.top) >= hyphen.height / 2 || box.left < hyphen.left);
  }

  class SoftHyphensAtLineEnds extends Handler {
    afterRendered() {
      const root = document.querySelector(".pagedjs_pages");
      if (!root) return;
      const range = document.createRange();
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
        acceptNode: (n) => (n.data.includes(SOFT_HYPHEN) ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_SKIP),
      });
      // Every position is read first, in one layout; then the text is written, once per node.
      const edits = [];
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        let text = "";
        for (let i = 0; i < node.data.length; i++) {
          if (node.data[i] !== SOFT_HYPHEN || breaksAt(range, node, i)) text += node.data[i];
        }
        if (text !== node.data) edits.push([node, text]);
      }
      for (const [node, text] of edits) node.data = text;
    }
  }

  registerHandlers(SoftHyphensAtLineEnds);
})();
