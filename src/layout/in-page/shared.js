// Loaded after Paged.js and before digest's handlers (src/layout/scripts.ts gives
// the order): the helpers that more than one handler needs, in one place. A
// classic script's top-level `const` is seen by the scripts loaded after it but,
// unlike a top-level function, is not set on window: the handlers take what they
// need from `digestShared`, and window holds only what the handlers set on it.
/* exported digestShared */
const digestShared = Object.freeze({
  /** The element a node is, or the one a text node stands in. */
  elementOf(node) {
    return node && (node.nodeType === 1 ? node : node.parentElement);
  },
});
