import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { DigestError } from "../errors.js";
import { PACKAGE_ROOT, TEMPLATES_DIR } from "../paths.js";

/**
 * The one stylesheet the document links: an index of `@import` lines, the
 * rules being in the sheets of templates/css/print/. Its URL is part of the document,
 * and so of what gives the PDFs their bytes.
 */
export const PRINT_STYLESHEET = join(TEMPLATES_DIR, "css", "print.css");

/** `@import "x.css";`, `@import 'x.css' print;`, `@import url(x.css);` or `@import url("x.css");`: the URL is group 2 or 3. */
const IMPORT = /@import\s+(?:(["'])(.*?)\1|url\(\s*["']?([^"')]*?)["']?\s*\))/g;

/** The files a stylesheet's `@import` rules name, in their order, as paths (the URLs resolved against the sheet's own); remote URLs are no files and are left out. */
export function importsOf(css: string, sheet: string): string[] {
  const text = css.replace(/\/\*[\s\S]*?\*\//g, "");
  const paths: string[] = [];
  for (const match of text.matchAll(IMPORT)) {
    const url = new URL((match[2] ?? match[3] ?? "").trim(), pathToFileURL(sheet));
    if (url.protocol === "file:") paths.push(fileURLToPath(url));
  }
  return paths;
}

/**
 * The print stylesheet and every sheet it imports, in order: each sheet followed by
 * the ones it imports (and the ones they import), each once. What the layout
 * depends on of the designer's CSS, for the layout cache's key.
 */
export function stylesheetFiles(index: string = PRINT_STYLESHEET): string[] {
  const files: string[] = [];
  const visit = (sheet: string, importedBy?: string) => {
    if (files.includes(sheet)) return;
    let css: string;
    try {
      css = readFileSync(sheet, "utf8");
    } catch (error) {
      const name = (path: string) => relative(PACKAGE_ROOT, path);
      throw new DigestError(
        importedBy ? `${name(importedBy)} imports ${name(sheet)}, which cannot be read (${(error as NodeJS.ErrnoException).code})` : `Cannot read the stylesheet ${name(sheet)}`,
        "Check the sheet's name in the @import line, or remove the line.",
      );
    }
    files.push(sheet);
    for (const imported of importsOf(css, sheet)) visit(imported, sheet);
  };
  visit(index);
  return files;
}
