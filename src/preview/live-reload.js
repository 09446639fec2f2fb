// Runs in the page `digest preview` serves: reloads it when the server says a file
// changed, and puts the reader back where they were once Paged.js has laid out the
// pages again (the browser's own scroll restoration fires before Paged.js has made
// the pages, and lands somewhere else).
/* global window, document, location, history, sessionStorage, EventSource */
(() => {
  const KEY = "digest-preview-scroll";
  const script = document.currentScript;
  // The version the server rendered this page from: it tells the stream what we have seen.
  const version = (script && new URL(script.src).searchParams.get("v")) || "";

  const saved = Number(sessionStorage.getItem(KEY)) || 0;
  sessionStorage.removeItem(KEY);
  if ("scrollRestoration" in history) history.scrollRestoration = "manual";
  // Back to the reader's place as soon as the pages reach it, not after the last one: once only,
  // so a reader who scrolls while the rest is laid out is left alone.
  let restored = saved <= 0;
  const restore = (final) => {
    if (restored || (!final && document.documentElement.scrollHeight < saved + window.innerHeight)) return;
    restored = true;
    window.scrollTo(0, saved);
  };
  // The polyfill (loaded before us) announces each page and the end; the error page has no Paged.js.
  const paged = window.PagedPolyfill;
  if (paged && typeof paged.on === "function") {
    let framed = false;
    paged.on("page", () => {
      // Pages on a grey desk, so their edges show. Added only now: Paged.js has already taken the
      // document's stylesheets for the print layout, and a margin around a page changes nothing inside it.
      if (!framed) {
        framed = true;
        const style = document.createElement("style");
        style.textContent =
          "@media screen{html{background:#7a7a7a}.pagedjs_pages{padding:16px 0}" +
          ".pagedjs_page{margin:0 auto 16px;background:#fff;box-shadow:0 2px 10px rgba(0,0,0,.45)}}";
        document.head.appendChild(style);
      }
      restore(false);
    });
    paged.on("rendered", () => restore(true));
  } else {
    window.addEventListener("load", () => restore(true));
  }

  let reloading = false;
  const events = new EventSource(`/events?v=${encodeURIComponent(version)}`);
  events.addEventListener("message", (event) => {
    if (event.data !== "reload" || reloading) return;
    reloading = true;
    sessionStorage.setItem(KEY, String(window.scrollY));
    events.close();
    location.reload();
  });
})();
