// Runs in Chromium, beside Paged.js (src/layout/scripts.ts gives the order of
// the page's scripts), before break-rules.js, whose PlaceBreaks calls it. A
// picture of an article's text that does not fit at the foot of its page floats
// to the top of the next one, as in a magazine, instead of pushing the text after
// it away and leaving the foot of the page empty: the text that follows it in the
// article fills the page, and the picture stands at the next page's head. It
// registers no handler: it sets window.digestFloatPicture.
/* global window, getComputedStyle */
(() => {
  /** Running text a float may give way to: paragraphs, lists and quotes, not a heading (it belongs to what follows it), a table or another picture. */
  const TEXT = "p, ul, ol, blockquote";
  /** The most blocks of text pulled before a picture: a float moves by a page, not more. */
  const MOST = 8;

  /** The lowest box of an element on the page (what stands above the picture). */
  function bottomOf(el, bounds) {
    let bottom;
    for (const r of Array.from(el.getClientRects())) if (r.height && r.left < bounds.right && r.top < bounds.bottom) bottom = Math.max(bottom ?? -Infinity, r.bottom);
    return bottom;
  }

  /**
   * When Paged.js finds the page full at a picture of an article's body (not its
   * lead picture) and three lines of text or more would still fit under what
   * stands above it, the blocks of text that follow the picture in the article
   * come before it (in the source Paged.js lays out from, and on this page),
   * one after another until the page is full: the picture then opens the next
   * page. Returns where the page now breaks, for the break rules to place;
   * undefined when the picture does not float.
   */
  window.digestFloatPicture = (overflow, rendered, bounds, layout, source) => {
    if (!source || !layout || overflow.startContainer.nodeType !== 1) return undefined;
    const figure = overflow.startContainer.childNodes[overflow.startOffset];
    if (!figure || figure.nodeType !== 1 || !figure.matches("figure") || figure.classList.contains("lead-picture")) return undefined;
    const body = figure.parentElement;
    // A section copyfitting sets `anchored` keeps its pictures where they are written.
    if (!body || !body.matches(".article-body") || !figure.dataset.ref || figure.closest(".copyfit-anchored")) return undefined;
    const before = figure.previousElementSibling;
    const lineHeight = parseFloat(getComputedStyle(body).lineHeight) || 16;
    const above = before && bottomOf(before, bounds);
    if (above === undefined || bounds.bottom - above < 3 * lineHeight) return undefined;
    const original = source.querySelector(`[data-ref="${figure.dataset.ref}"]`);
    if (!original) return undefined;
    let moved = 0;
    for (let next = original.nextElementSibling; next && next.matches(TEXT) && moved < MOST; next = original.nextElementSibling) {
      // The text goes before the picture in the source (the next page starts after what this one holds) and here.
      next.after(original);
      figure.before(next.cloneNode(true));
      moved++;
      const again = layout.findOverflow(rendered, bounds);
      if (!again) return undefined;
      const at = again.startContainer.nodeType === 1 ? again.startContainer.childNodes[again.startOffset] : undefined;
      // The page is full within the text pulled up: it breaks there, and the picture opens the next page.
      if (at !== figure) return again;
    }
    return moved ? layout.findOverflow(rendered, bounds) : undefined;
  };
})();
