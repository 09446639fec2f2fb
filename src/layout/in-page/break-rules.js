// Runs in Chromium, beside Paged.js (src/layout/scripts.ts gives the order of
// the page's scripts). It teaches Paged.js where a magazine's page breaks, which
// Paged.js alone leaves to a letter-by-letter measure:
//
// 1. Where a page breaks (PlaceBreaks): a headline is never stranded at a page
//    foot (the article moves to the next page when fewer than three lines of its
//    text would follow), a page never breaks mid-word, and a paragraph keeps two
//    lines at least on each side of the break.
// 2. No line lost (KeepSpilledLines): a line Chromium pushes past the page foot
//    after Paged.js's cut goes to the next page.
/* global window, document, getComputedStyle, digestShared */
(() => {
  const { Handler, registerHandlers } = window.Paged;
  const { elementOf } = digestShared;

  /** How many lines of text must follow a headline on its page. */
  const MIN_LINES_AFTER_HEADLINE = 3;

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

  /** Characters between any two of which a line may break (Chinese, Japanese, Korean: UAX 14's ideographic classes), as Chromium's line breaker does. */
  const BREAKS_BETWEEN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Bopomofo}\p{Script=Hangul}\u3000-\u303F\u30FC\uFF00-\uFFEF]/u;

  /**
   * A break inside a word, moved back to just after a soft hyphen or to the word's
   * start; undefined when it is between words, or where a line may break anyway:
   * - between two characters of Chinese, Japanese or Korean, which are written without
   *   spaces: the whole run would be taken for one word, and moving the break to its
   *   start (a paragraph's, several pages back) left Paged.js unable to lay it out;
   * - inside a run that has no break opportunity and that Chromium already wrapped
   *   over lines (a 3,000-character hash, `overflow-wrap` breaking it): Paged.js's break
   *   is at the start of the first line past the page, a forced break like those
   *   lines', where moving it to the run's start would move every line of it.
   */
  function breakBetweenWords(overflow) {
    const text = overflow.startContainer;
    const at = overflow.startOffset;
    if (text.nodeType !== 3 || at <= 0 || at >= text.length) return undefined;
    const value = text.textContent;
    if (BREAKS_BETWEEN.test(value[at - 1]) || BREAKS_BETWEEN.test(value[at])) return undefined;
    const isLetter = (c) => /[\p{L}\p{N}\u00AD]/u.test(c);
    if (!isLetter(value[at - 1]) || !isLetter(value[at])) return undefined;
    let start = at;
    while (start > 0 && isLetter(value[start - 1]) && value[start - 1] !== "\u00AD") start--;
    if (start === at) return undefined;
    if (wrappedWithin(text, start, at)) return undefined;
    const range = document.createRange();
    range.setStart(text, start);
    range.setEnd(overflow.endContainer, overflow.endOffset);
    return range;
  }

  /** Whether Chromium wrapped a run over lines: its first and last characters stand on different lines (a run of one or two characters never counts). */
  function wrappedWithin(text, start, end) {
    if (end - start < 3) return false;
    const box = (i) => {
      const r = document.createRange();
      r.setStart(text, i);
      r.setEnd(text, i + 1);
      return Array.from(r.getClientRects()).find((b) => b.width > 0 && b.height > 0);
    };
    const first = box(start);
    const last = box(end - 1);
    return Boolean(first && last && (Math.abs(first.top - last.top) >= 2 || last.left < first.left));
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

    onBreakToken(token, overflow) {
      repeatedTextOffset(token, overflow);
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

  /**
   * A break in a text that repeats itself, at the right place. Paged.js 0.4.3 finds a
   * rendered text in its source with `indexOf`, the first place the rendered text
   * occurs; but on a page after the text's first the rendered text is the source's
   * tail, and in a text that repeats (a run of brackets, `([{<([{<…`, a chain of one
   * sentence) that tail occurs earlier too: the break went back there and the next
   * page printed again what this one had. The tail's place is the source's length
   * less its own; the token is set to it, in place, when the two differ.
   */
  function repeatedTextOffset(token, overflow) {
    if (!token || !overflow || !token.node || token.node.nodeType !== 3) return;
    const rendered = overflow.startContainer;
    if (!rendered || rendered.nodeType !== 3) return;
    const source = token.node.textContent;
    const tail = rendered.textContent;
    if (!tail || !source.endsWith(tail)) return;
    const offset = source.length - tail.length + overflow.startOffset;
    if (offset !== token.offset && source.indexOf(tail) !== source.length - tail.length) token.offset = offset;
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

  registerHandlers(PlaceBreaks, KeepSpilledLines);
})();
