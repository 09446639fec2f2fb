import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { findBrowser, launchBrowser, type BrowserSession } from "../src/layout/browser.js";
import { fonts } from "./helpers/pdf.js";
import { readFont } from "../src/content/fonts.js";
import { shippedFacesFor } from "../src/content/fallbacks.js";

/**
 * What this Chromium really embeds, for each kind of font `fonts:` may name: the
 * verdicts of src/content/fonts.ts (a CFF-outlined OpenType font is refused, a WOFF2
 * with TrueType outlines accepted) stand on this, and this test fails should a
 * Chromium upgrade change it (then the verdicts must be read again).
 */
const root = join(import.meta.dirname, "..");
const cjkFonts = join(root, "test", "fixtures", "cjk", "2024-q3", "fonts");

let session: BrowserSession;
beforeAll(async () => {
  session = await launchBrowser(findBrowser());
}, 60_000);
afterAll(async () => {
  await session?.close();
});

/** Prints 李晓梅 in a font file with Chromium; returns the PDF's path. */
async function printWith(font: string, format: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "digest-embed-"));
  const html = join(dir, "page.html");
  writeFileSync(html, `<!DOCTYPE html><meta charset="utf-8"><style>@font-face{font-family:T;src:url("${pathToFileURL(font).href}") format("${format}")}body{font:20pt T}</style><p>李晓梅</p>`);
  const page = await session.browser.newPage();
  await page.goto(pathToFileURL(html).href, { waitUntil: "load" });
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  const pdf = join(dir, "page.pdf");
  await page.pdf({ path: pdf, width: "100mm", height: "50mm" });
  await page.close();
  return pdf;
}

describe("what Chromium embeds", () => {
  it("prints an OpenType font with CFF outlines as Type 3: digest refuses it", async () => {
    const otf = join(cjkFonts, "NotoSansCJKsc-Subset.otf");
    expect(readFont(otf).unembeddable).toMatch(/CFF/);
    expect(readFont(otf).unembeddableHint).toMatch(/fontforge/);
    expect(fonts(await printWith(otf, "opentype")).map((f) => f.type)).toEqual(["Type 3"]);
  });

  it("embeds the same glyphs with TrueType outlines as CID TrueType", async () => {
    const ttf = join(cjkFonts, "NotoSansCJKsc-Subset.ttf");
    expect(readFont(ttf).unembeddable).toBeUndefined();
    expect(fonts(await printWith(ttf, "truetype"))).toMatchObject([{ type: "CID TrueType", embedded: true }]);
  });

  it("embeds a shipped WOFF2 slice (TrueType outlines) as CID TrueType", async () => {
    const [face] = shippedFacesFor(["李"]).filter((f) => f.role === "serif");
    const woff2 = face!.file(400, false);
    expect(readFont(woff2).format).toBe("woff2");
    expect(readFont(woff2).unembeddable).toBeUndefined();
    expect(fonts(await printWith(woff2, "woff2"))).toMatchObject([{ type: "CID TrueType", embedded: true }]);
  });
});
