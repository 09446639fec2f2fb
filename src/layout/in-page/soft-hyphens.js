// Runs in Chromium, beside Paged.js (src/layout/scripts.ts gives the order of
// the page's scripts; this handler registers last). It teaches Paged.js to clean
// up the text layer: a soft hyphen only where a line breaks.
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
