import { randomBytes } from "node:crypto";
import { statSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { basename } from "node:path";
import { locateIssue } from "../index.js";
import { loadIssue } from "../content/load-issue.js";
import { renderIssue } from "../render/render-issue.js";
import { DigestError } from "../errors.js";
import { DISPLAY_FIT, PAGED_HANDLERS, PAGED_START, pagedPolyfillPath } from "../layout/scripts.js";
import { FONTS_DIR, LIVE_RELOAD, TEMPLATES_DIR } from "../paths.js";
import { shippedFontsRoot } from "../content/fallbacks.js";
import { assetUrlFor, JS_TYPE, resolveAsset, sendFile, type AssetRoot } from "./static.js";
import { watchFolders, type WatchTarget } from "./watch.js";
import { failurePage, problemsPage } from "./error-page.js";

export interface PreviewOptions {
  /** An issue name under `issues/`, or a path to an issue folder. */
  issue: string;
  /** Default 4173; 0 takes any free port. */
  port?: number;
  cwd?: string;
  /** Lines for the terminal: where it serves, what changed, the content's problems. */
  log?: (line: string) => void;
}

export interface PreviewServer {
  url: string;
  close(): Promise<void>;
}

const DEFAULT_PORT = 4173;
/** Proxies and browsers drop an idle stream: a comment now and then keeps it open. */
const KEEP_ALIVE_MS = 15_000;


/** Fixed routes for the scripts: the only JavaScript the preview serves. digest's handlers each have their own, by file name, in their order. */
const SCRIPT_ROUTES = { start: "/paged/paged-start.js", fit: "/paged/display-fit.js", polyfill: "/paged/paged.polyfill.js", handlers: PAGED_HANDLERS.map((path) => `/paged/${basename(path)}`), liveReload: "/live-reload.js" };

/** Serves the paginated issue on 127.0.0.1 with Paged.js in the browser and reloads it when a file changes. */
export async function startPreview(options: PreviewOptions): Promise<PreviewServer> {
  const cwd = options.cwd ?? process.cwd();
  const log = options.log ?? (() => {});
  const dir = locateIssue(options.issue, cwd);
  const issueId = basename(dir);
  const scriptFiles: Record<string, string> = {
    [SCRIPT_ROUTES.start]: PAGED_START,
    [SCRIPT_ROUTES.fit]: DISPLAY_FIT,
    [SCRIPT_ROUTES.polyfill]: pagedPolyfillPath(),
    ...Object.fromEntries(SCRIPT_ROUTES.handlers.map((route, i) => [route, PAGED_HANDLERS[i]!])),
    [SCRIPT_ROUTES.liveReload]: LIVE_RELOAD,
  };
  const roots: AssetRoot[] = [
    { name: "fonts", dir: FONTS_DIR },
    // The Noto fallbacks digest ships (node_modules/@fontsource), for what PT lacks.
    { name: "shipped-fonts", dir: shippedFontsRoot() },
    { name: "templates", dir: TEMPLATES_DIR },
    { name: "issue", dir, sniff: true },
  ];
  const assetUrl = assetUrlFor(roots);

  // A page knows the version it was rendered from; when it (re)connects to /events with an
  // older one (a save while it loaded, or a restarted server), it is told to reload at once.
  const instance = randomBytes(4).toString("hex");
  let version = 0;
  const token = () => `${instance}.${version}`;
  const clients = new Set<ServerResponse>();
  let lastReport = "";

  function render(): string {
    // The same scripts as the PDF build, in the same order (display fitting and Paged.js before the handlers that register with it), then live reload.
    const liveReload = `${SCRIPT_ROUTES.liveReload}?v=${token()}`;
    const scripts = [SCRIPT_ROUTES.start, SCRIPT_ROUTES.fit, SCRIPT_ROUTES.polyfill, ...SCRIPT_ROUTES.handlers, liveReload];
    try {
      const { issue, problems } = loadIssue(dir, cwd);
      const report = problems.count ? problems.report() : "";
      // Each open page asks for the document on every reload: say the same problems once.
      if (report !== lastReport) {
        if (report) log(report);
        lastReport = report;
      }
      if (!issue || problems.errorCount) return problemsPage(issueId, problems, [liveReload]);
      return renderIssue(issue, { assetUrl, scripts });
    } catch (error) {
      lastReport = "";
      log(`Cannot render ${issueId}: ${(error as Error)?.stack ?? String(error)}`);
      return failurePage(issueId, error, [liveReload]);
    }
  }

  function events(req: IncomingMessage, res: ServerResponse, query: URLSearchParams): void {
    res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-store", Connection: "keep-alive" });
    // Reconnect quickly after a restart of digest preview.
    res.write("retry: 1000\n\n");
    const seen = query.get("v");
    if (seen && seen !== token()) res.write("data: reload\n\n");
    clients.add(res);
    req.on("close", () => clients.delete(res));
  }

  let port = options.port ?? DEFAULT_PORT;
  const server = createServer((req, res) => {
    const [rawPath = "/", rawQuery = ""] = (req.url ?? "/").split("?", 2);
    // Only our own pages may talk to us: a web page that rebinds its name to 127.0.0.1 has another Host.
    const own = [`127.0.0.1:${port}`, `localhost:${port}`, ...(port === 80 ? ["127.0.0.1", "localhost"] : [])];
    if (!own.includes(req.headers.host ?? "")) {
      res.writeHead(403, { "Content-Type": "text/plain; charset=utf-8" }).end("Forbidden\n");
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { Allow: "GET, HEAD", "Content-Type": "text/plain; charset=utf-8" }).end("Method not allowed\n");
      return;
    }
    if (rawPath === "/") {
      const html = render();
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store", "Content-Length": Buffer.byteLength(html) });
      res.end(req.method === "HEAD" ? undefined : html);
      return;
    }
    if (rawPath === "/events") {
      events(req, res, new URLSearchParams(rawQuery));
      return;
    }
    const script = scriptFiles[rawPath];
    const file = script !== undefined ? fileOf(script, JS_TYPE) : resolveAsset(rawPath, roots);
    if (!file) {
      res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" }).end("Not found\n");
      return;
    }
    sendFile(req, res, file);
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        error.code === "EADDRINUSE"
          ? new DigestError(`Cannot serve on port ${port}: it is in use`, "Stop what uses it, or pass another port with --port <n> (0 takes any free port).")
          : new DigestError(`Cannot serve on 127.0.0.1:${port}: ${error.message}`, "Pass another port with --port <n>."),
      );
    };
    server.once("error", onError);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", onError);
      resolve();
    });
  });
  const address = server.address();
  if (address && typeof address === "object") port = address.port;
  const url = `http://127.0.0.1:${port}/`;

  const targets: WatchTarget[] = [
    { dir, label: "" },
    { dir: TEMPLATES_DIR, label: "templates" },
    { dir: FONTS_DIR, label: "fonts" },
  ];
  const watcher = watchFolders(
    targets,
    (names) => {
      version++;
      const shown = names.length > 3 ? `${names.slice(0, 3).join(", ")} and ${names.length - 3} more` : names.join(", ");
      log(`Changed ${shown}: reloading`);
      // React templates are modules, imported once per process: only their CSS shows without a restart.
      const code = names.filter((n) => n.startsWith("templates/") && /\.(tsx?|jsx?)$/.test(n));
      if (code.length) log(`${code.join(", ")}: template code is loaded once; restart digest preview to see it`);
      for (const client of clients) client.write("data: reload\n\n");
    },
    { onError: (target, error) => log(`Stopped watching ${target.label || issueId}: ${error.message}; restart digest preview to watch it again`) },
  );
  const keepAlive = setInterval(() => {
    for (const client of clients) client.write(": keep-alive\n\n");
  }, KEEP_ALIVE_MS);
  keepAlive.unref();

  log(`Serving ${issueId} at ${url}`);

  let closing: Promise<void> | undefined;
  return {
    url,
    close() {
      closing ??= new Promise<void>((resolve) => {
        watcher.close();
        clearInterval(keepAlive);
        for (const client of clients) client.end();
        clients.clear();
        // Keep-alive sockets (and the event streams) would hold close() open forever.
        server.closeAllConnections();
        server.close(() => resolve());
      });
      return closing;
    },
  };
}

function fileOf(path: string, type: string) {
  try {
    const stats = statSync(path);
    return stats.isFile() ? { path, type, stats } : undefined;
  } catch {
    return undefined;
  }
}
