// Runs in Chromium, beside Paged.js (src/layout/scripts.ts gives the order of
// the page's scripts). It teaches Paged.js where a magazine's page breaks, which
// Paged.js alone leaves to a letter-by-letter measure:
//
// 1. Where a page breaks (PlaceBreaks): a headline is never stranded at a page
//    foot (the article moves to the next page when fewer than three lines of its
//    text would follow), a page never breaks mid-word nor ends in a hyphenated
//    word, and a paragraph keeps the lines its `orphans` and `widows` ask for
//    on each side of the break.
// 2. No line lost (KeepSpilledLines): a line Chromium pushes past the page foot
//    after Paged.js's cut goes to the next page.
/* global window, document, getComputedStyle, digestShared, NodeFilter, Range */
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
    afterParsed(parsed) {
      this.source = parsed;
    }

    onOverflow(found, rendered, bounds, layout) {
      if (!found) return undefined;
      // A picture that does not fit at the page foot floats to the next page's head (in-page/picture-floats.js).
      const overflow = window.digestFloatPicture(found, rendered, bounds, layout, this.source) || found;
      const between = breakBetweenWords(overflow) || overflow;
      const kept = twoLinesEachSide(between, bounds) || between;
      const chosen = noHyphenAtPageEnd(kept, bounds) || kept;
      // Last, once the other rules have placed the break: what they leave of an article under its headline.
      const headline = headlineWithText(chosen, rendered, bounds);
      if (headline) return headline;
      return chosen !== found ? chosen : undefined;
    }
  }

  /** A letter or digit (a soft hyphen stands inside a word); the boxes that hold running text. */
  const isLetter = (c) => c !== undefined && /[\p{L}\p{N}\u00AD]/u.test(c);
  const TEXT_BLOCK = "p, li, dd, dt, blockquote, figcaption, td, th";

  /** Whether the page's last line ends in a hyphenated word when the page breaks at this text offset: a word cut mid-way (Paged.js adds a hyphen, at a soft hyphen or not), or one with a hyphen of its own (`Under-|Secretary`). */
  function endsInHyphen(text, at) {
    if (text.nodeType !== 3 || at <= 0 || at > text.length) return false;
    const value = text.textContent;
    const before = value[at - 1];
    if (isLetter(before) && before !== "\u00AD") return at < value.length && isLetter(value[at]);
    return /[\u00AD\u2010-]/.test(before) && isLetter(value[at - 2]);
  }

  /** The box a character's glyph is drawn in (none for a soft hyphen inside a line): not the range's bounding box, which takes in the empty box at the end of the line before. */
  function glyphBox(range, node, i) {
    range.setStart(node, i);
    range.setEnd(node, i + 1);
    return Array.from(range.getClientRects()).find((r) => r.width > 0 && r.height > 0);
  }

  /** Whether a box is the first thing on its page (at the top of its first column): moving the break before it would leave the page empty. */
  function startsPage(el, bounds) {
    const first = el.getClientRects()[0];
    return !first || (first.top - bounds.top < 2 && first.left - bounds.left < 2);
  }

  /**
   * Where the line a position stands on starts: walking back through the text of
   * `block` from (text, at) until a character stands on another line (undefined on its first line).
   */
  function startOfLine(block, text, at, lineTop) {
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    walker.currentNode = text;
    const probe = document.createRange();
    let node = text;
    let i = at;
    while (node) {
      while (i > 0) {
        const r = glyphBox(probe, node, i - 1);
        if (r && Math.abs(r.top - lineTop) >= 2) return { node, offset: i };
        i--;
      }
      node = walker.previousNode();
      i = node ? node.length : 0;
    }
    return undefined;
  }

  /**
   * No word broken across the page turn: when the page's last line would end in
   * a hyphenated word, the break moves up a line (to where that line starts), as
   * twoLinesEachSide moves it for a widow; and again, should the line above end
   * in one too, up to three lines. The paragraph keeps its orphans (the CSS
   * `orphans`) on the page, or goes whole to the next one when it starts here;
   * a paragraph that runs on from the page before keeps its word split rather
   * than leave the page a widow. Between the columns of one page a hyphen is
   * allowed: only the break that ends the page is moved.
   */
  function noHyphenAtPageEnd(overflow, bounds) {
    let text = overflow.startContainer;
    let at = overflow.startOffset;
    if (!endsInHyphen(text, at)) return undefined;
    const block = text.parentElement && text.parentElement.closest(TEXT_BLOCK);
    if (!block || !block.contains(text)) return undefined;
    const style = getComputedStyle(block);
    const onPage = (t) => t.top < bounds.bottom && t.left < bounds.right;
    const head = document.createRange();
    head.setStart(block, 0);
    head.setEnd(text, at);
    const here = lineTops(head).filter(onPage);
    for (let moved = 1; moved <= 3 && here.length - moved >= 0; moved++) {
      const left = here.length - moved;
      const keep = block.dataset.splitFrom ? parseInt(style.widows, 10) || 1 : parseInt(style.orphans, 10) || 1;
      const range = document.createRange();
      range.setEnd(overflow.endContainer, overflow.endOffset);
      if (left < keep) {
        // Too few lines of it would stay: the paragraph goes whole to the next page, unless it runs on from the page before.
        if (block.dataset.splitFrom || startsPage(block, bounds)) return undefined;
        range.setStartBefore(block);
        return range;
      }
      const start = startOfLine(block, text, at, here[left].top);
      if (!start) return undefined;
      text = start.node;
      at = start.offset;
      if (endsInHyphen(text, at)) continue;
      range.setStart(text, at);
      return range;
    }
    return undefined;
  }

  /** A break inside a word, moved back to just after a soft hyphen or to the word's start; undefined when it is between words. */
  function breakBetweenWords(overflow) {
    const text = overflow.startContainer;
    const at = overflow.startOffset;
    if (text.nodeType !== 3 || at <= 0 || at >= text.length) return undefined;
    const value = text.textContent;
    if (!isLetter(value[at - 1]) || !isLetter(value[at])) return undefined;
    let start = at;
    while (start > 0 && isLetter(value[start - 1]) && value[start - 1] !== "\u00AD") start--;
    if (start === at) return undefined;
    const range = document.createRange();
    range.setStart(text, start);
    range.setEnd(overflow.endContainer, overflow.endOffset);
    return range;
  }

  /** The lines a range's text stands on, each once, in order: its boxes grouped by top and side-by-side runs (a line in the next column may share a top). */
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
   * A paragraph keeps the lines its stylesheet asks for on each side of a page
   * break: `orphans` at the foot of this page, `widows` at the head of the next
   * (read from the computed style, 2 in grid.css; a designer who sets 1 or 4 gets
   * that). A break that would leave fewer than `orphans` here moves before the
   * paragraph; one that would send fewer than `widows` to the next page moves
   * back as many lines as they lack, or, when that would leave fewer than
   * `orphans` here, before the paragraph.
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
    const style = getComputedStyle(p);
    const orphans = Math.max(1, parseInt(style.orphans, 10) || 1);
    const widows = Math.max(1, parseInt(style.widows, 10) || 1);
    // The lines the next page's part lacks, and what would be left here once they went over.
    const lacking = there.length ? Math.max(0, widows - there.length) : 0;
    const keep = here.length - lacking;
    const range = document.createRange();
    range.setEnd(overflow.endContainer, overflow.endOffset);
    if ((here.length < orphans || keep < orphans) && !p.dataset.splitFrom) {
      // The whole paragraph goes to the next page (unless nothing stands before it on this one).
      if (startsPage(p, bounds)) return undefined;
      range.setStartBefore(p);
      return range;
    }
    if (!lacking || keep < 1) return undefined;
    // Back to where the first of the lines that go over starts.
    let node = text;
    let offset = at;
    for (let i = here.length - 1; i >= keep; i--) {
      const start = startOfLine(p, node, offset, here[i].top);
      if (!start) return undefined;
      node = start.node;
      offset = start.offset;
    }
    range.setStart(node, offset);
    return range;
  }

  /**
   * The lines of an article's own running text that stand on this page before a
   * break: its body's paragraphs, list items and quotes (not the dateline, not a
   * caption), a table's row counting as a line. A picture is no line of text: a
   * headline with its lead picture and no text under it stands alone all the same.
   */
  function textLinesBefore(article, range, bounds) {
    const body = article.querySelector(".article-body");
    if (!body) return 0;
    const onPage = (t) => t.top < bounds.bottom && t.left < bounds.right;
    let lines = 0;
    for (const block of Array.from(body.querySelectorAll("p, li, tr"))) {
      if (block.matches(".dateline") || block.closest("figure") || (block.matches("li") && block.querySelector("p"))) continue;
      if (block.matches("p") && block.closest("td, th")) continue;
      const part = document.createRange();
      part.selectNodeContents(block);
      // Blocks come in the order of the text: the first at or after the break ends the count.
      if (part.compareBoundaryPoints(Range.START_TO_START, range) >= 0) break;
      if (block.contains(range.startContainer)) part.setEnd(range.startContainer, range.startOffset);
      if (block.matches("tr")) lines += Array.from(block.getClientRects()).some((r) => r.height && onPage(r)) ? 1 : 0;
      else lines += lineTops(part).filter(onPage).length;
      if (lines >= MIN_LINES_AFTER_HEADLINE) break; // enough: no need to count on
    }
    return lines;
  }

  /**
   * A headline never stands on a page without three lines of its article's text
   * under it, its pictures being no text: when the break (as the other rules
   * placed it) would leave fewer, the article moves to the next page, headline,
   * lead picture and all, and this page ends with what came before it. An
   * article that starts the page gains nothing by moving: copyfitting sets its
   * section's pictures smaller instead (src/layout/copyfit.ts).
   */
  function headlineWithText(overflow, rendered, bounds) {
    const start = elementOf(overflow.startContainer);
    const article = start && start.closest("article");
    if (!article || !rendered.contains(article)) return undefined;
    const head = article.querySelector(".article-head");
    if (!head) return undefined; // the article began on an earlier page
    if (textLinesBefore(article, overflow, bounds) >= MIN_LINES_AFTER_HEADLINE) return undefined;
    const lineHeight = parseFloat(getComputedStyle(article.querySelector(".article-body") || article).lineHeight) || 16;
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
      this.token = token;
      this.table = overflow && tableWidths(overflow.startContainer);
      return undefined;
    }

    afterOverflowRemoved(removed, rendered, layout) {
      const token = this.token;
      const table = this.table;
      this.token = undefined;
      this.table = undefined;
      if (!token || !token.node || !this.source) return;
      // A table cut at the page foot keeps the columns it was measured with (see tableWidths): its cells do not wrap again.
      if (table && rendered.contains(table.element)) fixColumns(table);
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
   * The columns of the table a page break cuts, as Paged.js measured them. With
   * automatic widths (`table-layout: auto`), once what goes to the next page is
   * taken out the columns share out the width again and the cells left wrap anew:
   * a cut cell's column grows narrower, the cell longer, and it runs past the foot.
   * No line is lost, but KeepSpilledLines took it for one and moved the break back
   * row after row, leaving the page half empty. The table keeps these widths on
   * this page instead (fixColumns); on the next page its rest has automatic widths.
   */
  function tableWidths(node) {
    const el = node && (node.nodeType === 1 ? node : node.parentElement);
    const table = el && el.closest("table");
    if (!table || getComputedStyle(table).tableLayout === "fixed") return undefined;
    const row = Array.from(table.rows).find((r) => r.cells.length && Array.from(r.cells).every((c) => c.colSpan === 1));
    if (!row) return undefined;
    return { element: table, widths: Array.from(row.cells).map((c) => c.getBoundingClientRect().width) };
  }

  /** Sets a table's columns to the widths measured (tableWidths): fixed layout, a `<col>` a column. */
  function fixColumns({ element, widths }) {
    for (const old of Array.from(element.querySelectorAll(":scope > colgroup[data-digest-fixed]"))) old.remove();
    const group = document.createElement("colgroup");
    group.setAttribute("data-digest-fixed", "");
    for (const width of widths) {
      const col = document.createElement("col");
      col.style.width = `${width}px`;
      group.append(col);
    }
    element.prepend(group);
    element.style.tableLayout = "fixed";
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
