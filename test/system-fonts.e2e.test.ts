import { describe, expect, it } from "vitest";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fonts, printedText } from "./helpers/pdf.js";

/**
 * No system font is used: the PDF is byte for byte the same when Chromium can see
 * no font of the machine at all (fontconfig with no font folders, an empty cache,
 * no user fonts), for an issue that needs a CJK font of its own, for one with names
 * in every script of the region (from the Noto fonts digest ships) and for the
 * Russian edition.
 */
const root = join(import.meta.dirname, "..");
const cjk = join(root, "test", "fixtures", "cjk", "2024-q3");
const scripts = join(root, "test", "fixtures", "scripts", "2024-q3");

/** An environment in which fontconfig, and so Chromium, finds no font: a config without `<dir>`, a fresh cache, an empty home. */
function withoutSystemFonts(): NodeJS.ProcessEnv {
  const dir = mkdtempSync(join(tmpdir(), "digest-nofonts-"));
  mkdirSync(join(dir, "home"));
  writeFileSync(
    join(dir, "fonts.conf"),
    `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n  <cachedir>${join(dir, "cache")}</cachedir>\n</fontconfig>\n`,
  );
  const home = join(dir, "home");
  return { ...process.env, FONTCONFIG_FILE: join(dir, "fonts.conf"), HOME: home, XDG_CACHE_HOME: home, XDG_CONFIG_HOME: home, XDG_DATA_HOME: home };
}

/** Builds an issue with the CLI in an environment; returns the PDF's path. */
function build(issue: string, env: NodeJS.ProcessEnv): string {
  const out = join(mkdtempSync(join(tmpdir(), "digest-fontbuild-")), "issue.pdf");
  const r = spawnSync(process.execPath, [join(root, "bin", "digest.js"), "-q", "build", issue, "--no-cache", "--out", out], {
    cwd: root,
    env: { ...env, SOURCE_DATE_EPOCH: "1727740800" },
    encoding: "utf8",
    timeout: 240_000,
  });
  expect(r.status, r.stderr).toBe(0);
  return out;
}

const fontNames = (pdf: string) => fonts(pdf).map((f) => f.name.replace(/^[A-Z]{6}\+/, ""));

describe("every glyph from the issue's fonts", () => {
  it("removes the machine's fonts from the search in the test's environment (and the machine has some)", () => {
    expect(execFileSync("fc-list", { encoding: "utf8" }).trim()).not.toBe("");
    expect(execFileSync("fc-list", { encoding: "utf8", env: withoutSystemFonts() }).trim()).toBe("");
  });

  it("prints a Chinese name from the CJK font the issue names, every font embedded and the issue's own, the same without system fonts", () => {
    const normal = build(cjk, process.env);
    const rows = fonts(normal);
    for (const f of rows) {
      expect(f.embedded, f.name).toBe(true);
      expect(f.type, f.name).toBe("CID TrueType");
    }
    expect(new Set(fontNames(normal))).toEqual(new Set(["PTSerif-Regular", "PTSerif-Bold", "PTSerif-Italic", "PTSans-Regular", "PTSans-Bold", "PTMono-Regular", "NotoSansCJKsc-Subset"]));
    const article = Array.from({ length: 8 }, (_, i) => printedText(normal, i + 1)).find((t) => t.includes("met the Secretary General"))!;
    expect(article).toContain("Li Xiaomei (李晓梅) Visits the Secretariat");
    expect(article).toContain("Wang (王)");
    // `fonts:` is code, in PT Mono: the browser's own monospace would be a font of the machine.
    expect(article).toContain("under fonts:");

    const isolated = build(cjk, withoutSystemFonts());
    expect(readFileSync(isolated).equals(readFileSync(normal)), "the PDF built without system fonts differs").toBe(true);
  });

  it("prints every script of the region from PT and the shipped Noto fonts, the same without system fonts", () => {
    const normal = build(scripts, process.env);
    const rows = fonts(normal);
    for (const f of rows) {
      expect(f.embedded, f.name).toBe(true);
      expect(f.type, f.name).toBe("CID TrueType");
    }
    expect(fontNames(normal).every((name) => /^(PT(Serif|Sans|Mono)|Noto(Serif|Sans|Naskh))/.test(name)), fontNames(normal).join(", ")).toBe(true);
    const isolated = build(scripts, withoutSystemFonts());
    expect(readFileSync(isolated).equals(readFileSync(normal)), "the PDF built without system fonts differs").toBe(true);
  });

  it("builds the Russian edition byte for byte the same without system fonts", () => {
    const normal = build("2024-q3-ru", process.env);
    expect(fontNames(normal).every((name) => /^PT(Serif|Sans|Mono)-/.test(name)), fontNames(normal).join(", ")).toBe(true);
    const isolated = build("2024-q3-ru", withoutSystemFonts());
    expect(readFileSync(isolated).equals(readFileSync(normal)), "the PDF built without system fonts differs").toBe(true);
  });
});
