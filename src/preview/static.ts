import { createReadStream, realpathSync, statSync, type Stats } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, isAbsolute, join, relative, sep } from "node:path";
import { pictureType } from "../content/picture-type.js";

/** A folder the preview may serve files from, under `/assets/<name>/`. */
export interface AssetRoot {
  name: string;
  dir: string;
  /** Pictures may be named anything (load-issue checks their bytes), so this root sniffs files without a known extension. */
  sniff?: boolean;
}

/** What the pages may load from the roots: stylesheets, fonts and pictures. Scripts come only from fixed routes. */
const ASSET_TYPES: Record<string, string> = {
  ".css": "text/css; charset=utf-8",
  ".ttf": "font/ttf",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".svg": "image/svg+xml",
};

/** The content type of a script served from a fixed route. */
export const JS_TYPE = "text/javascript; charset=utf-8";

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel);
}

/** Maps an absolute path to its URL under the server, or to a URL that 404s when it is in no root (the page shows a broken picture, not a crash). */
export function assetUrlFor(roots: AssetRoot[]): (path: string) => string {
  return (path) => {
    // The most specific root first: the issue folder may sit inside another root's folder.
    const root = [...roots].sort((a, b) => b.dir.length - a.dir.length).find((r) => isInside(r.dir, path));
    if (!root) return "/assets/outside";
    return `/assets/${root.name}/${relative(root.dir, path).split(sep).map(encodeURIComponent).join("/")}`;
  };
}

/**
 * The file a `/assets/<root>/<path>` URL names, or undefined. Works on the raw request
 * path, segment by segment, so `..`, encoded `%2e%2e` or `%2f`, hidden files and
 * symbolic links that lead out of the root never reach the disk.
 */
export function resolveAsset(rawPath: string, roots: AssetRoot[]): { path: string; type: string; stats: Stats } | undefined {
  const parts = rawPath.split("/");
  if (parts[0] !== "" || parts[1] !== "assets") return undefined;
  const root = roots.find((r) => r.name === parts[2]);
  if (!root || parts.length < 4) return undefined;
  const segments: string[] = [];
  for (const raw of parts.slice(3)) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    if (!segment || segment.startsWith(".") || /[/\\\0]/.test(segment)) return undefined;
    segments.push(segment);
  }
  const path = join(root.dir, ...segments);
  try {
    if (!isInside(realpathSync(root.dir), realpathSync(path))) return undefined;
    const stats = statSync(path);
    if (!stats.isFile()) return undefined;
    const type = ASSET_TYPES[extname(path).toLowerCase()] ?? (root.sniff ? pictureType(path) : undefined);
    return type ? { path, type, stats } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Sends a file with an ETag and `no-cache`: a reload revalidates every font and
 * picture (a changed one shows at once) but unchanged ones cost a 304, not a download.
 */
export function sendFile(req: IncomingMessage, res: ServerResponse, file: { path: string; type: string; stats: Stats }): void {
  const etag = `"${file.stats.size.toString(16)}-${Math.floor(file.stats.mtimeMs).toString(16)}"`;
  const headers: Record<string, string | number> = {
    "Content-Type": file.type,
    "Cache-Control": "no-cache",
    ETag: etag,
    "X-Content-Type-Options": "nosniff",
  };
  // An SVG opened on its own would run its scripts on the preview's origin.
  if (file.type.startsWith("image/svg")) headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'";
  if (req.headers["if-none-match"] === etag) {
    res.writeHead(304, headers).end();
    return;
  }
  res.writeHead(200, { ...headers, "Content-Length": file.stats.size });
  if (req.method === "HEAD") {
    res.end();
    return;
  }
  createReadStream(file.path)
    .on("error", () => res.destroy())
    .pipe(res);
}
