// The layout cache keeps each unit's pages under a hash of everything its layout
// depends on: here, that a change to any of it lays the units out again (so that a
// cache can neither hide a regression nor serve pages laid out by an older digest),
// that nothing else does, and that it keeps only the most recently used units.
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { appendFileSync, copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { digestFingerprint, fontEnvironment, LAYOUT_CODE_DIR, LayoutCache, MAX_ENTRIES } from "../src/layout/cache.js";
import { digestVersion } from "../src/paths.js";
import { copyCheckout } from "./helpers/checkout.js";


/** An environment in which fontconfig finds no font (as in test/system-fonts.e2e.test.ts). */
function withoutSystemFonts(): NodeJS.ProcessEnv {
  const dir = mkdtempSync(join(tmpdir(), "digest-nofonts-"));
  mkdirSync(join(dir, "home"));
  writeFileSync(join(dir, "fonts.conf"), `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n  <cachedir>${join(dir, "cache")}</cachedir>\n</fontconfig>\n`);
  const home = join(dir, "home");
  return { ...process.env, FONTCONFIG_FILE: join(dir, "fonts.conf"), HOME: home, XDG_CACHE_HOME: home, XDG_CONFIG_HOME: home, XDG_DATA_HOME: home };
}

describe("the layout cache's keys", () => {
  /** A stylesheet, a font, a layout script and a picture, as files, and three units, the second showing the picture. */
  function setting() {
    const dir = mkdtempSync(join(tmpdir(), "digest-keys-"));
    const files = { css: join(dir, "print.css"), font: join(dir, "Serif.ttf"), script: join(dir, "handlers.js"), picture: join(dir, "photo.png") };
    writeFileSync(files.css, "p { margin: 0 }");
    writeFileSync(files.font, "a font's bytes");
    writeFileSync(files.script, "// a layout script");
    writeFileSync(files.picture, "a picture's bytes");
    const units = ["<section>cover</section>", `<section><img src="file://${files.picture}"></section>`, "<section>news</section>"];
    const inputs = { head: "<style>@page { size: A4 }</style>", browser: "Chrome/120", files: [files.css, files.font, files.script], digest: "digest 1 layout a", fonts: "fonts a" };
    // A cache object a build: it hashes each file once.
    const keys = (changes: Partial<typeof inputs> = {}) => new LayoutCache(join(dir, "cache")).keys(units, { ...inputs, ...changes });
    return { files, keys };
  }

  it("change, every unit's, with the stylesheet, a font or a layout script, and only the units showing a picture with the picture", () => {
    const { files, keys } = setting();
    const before = keys();
    expect(new Set(before).size).toBe(3);
    expect(keys()).toEqual(before);
    for (const file of [files.css, files.font, files.script]) {
      const bytes = readFileSync(file);
      writeFileSync(file, Buffer.concat([bytes, Buffer.from(" ")]));
      const after = keys();
      for (const [unit, key] of after.entries()) expect(key, `unit ${unit} after a change of ${file}`).not.toBe(before[unit]);
      writeFileSync(file, bytes);
      expect(keys()).toEqual(before);
    }
    writeFileSync(files.picture, "another picture");
    expect(keys().map((key, unit) => key !== before[unit])).toEqual([false, true, false]);
  });

  it("change with digest's version and layout code, the fonts' environment, Chromium and the document's head", () => {
    const { keys } = setting();
    const before = keys();
    for (const change of [{ digest: "digest 1 layout b" }, { digest: "digest 2 layout a" }, { fonts: "fonts b" }, { browser: "Chrome/121" }, { head: "<style>@page { size: A5 }</style>" }]) {
      const after = keys(change);
      for (const [unit, key] of after.entries()) expect(key, `unit ${unit} with ${JSON.stringify(change)}`).not.toBe(before[unit]);
    }
  });

  it("take digest's fingerprint and the fonts' environment themselves when the build does not give them", () => {
    const { keys } = setting();
    const given = keys({ digest: digestFingerprint(), fonts: fontEnvironment() });
    expect(keys({ digest: undefined, fonts: undefined })).toEqual(given);
    expect(keys({ digest: undefined, fonts: "other fonts" })).not.toEqual(given);
    expect(keys({ digest: "an older digest", fonts: undefined })).not.toEqual(given);
  });
});

describe("digest's fingerprint", () => {
  it("is its version and a hash of every file of its layout code, the in-page scripts among them", () => {
    expect(digestFingerprint()).toMatch(new RegExp(`^digest ${digestVersion().replace(/\./g, "\\.")} layout [0-9a-f]{64}$`));
    expect(digestFingerprint()).toBe(digestFingerprint());
    // A copy of src/layout: a change of one byte of any file in it, or one more file, changes the fingerprint.
    const code = join(mkdtempSync(join(tmpdir(), "digest-code-")), "layout");
    cpSync(LAYOUT_CODE_DIR, code, { recursive: true });
    const original = digestFingerprint(code);
    expect(original).toBe(digestFingerprint());
    for (const file of ["copyfit.ts", "paginate.ts", "units.ts", "binding.ts", "browser.ts", join("in-page", "break-rules.js"), join("in-page", "start.js"), join("in-page", "display-fit.js")]) {
      const path = join(code, file);
      const text = readFileSync(path, "utf8");
      writeFileSync(path, `${text}\n// changed\n`);
      expect(digestFingerprint(code), file).not.toBe(original);
      writeFileSync(path, text);
    }
    expect(digestFingerprint(code)).toBe(original);
    writeFileSync(join(code, "in-page", "new.js"), "");
    expect(digestFingerprint(code)).not.toBe(original);
  });
});

describe("the fonts' environment", () => {
  it("is the same from one build to the next, and another when fontconfig sees other fonts", () => {
    const here = fontEnvironment();
    expect(fontEnvironment()).toBe(here);
    expect(here).toMatch(/^[0-9a-f]{64}$/);
    expect(fontEnvironment(withoutSystemFonts())).not.toBe(here);
  });
});

describe("the layout cache's store", () => {
  const unit = (text: string) => ({ pages: [{ unit: 0, html: `<div>${text}</div>` }], variants: {} });

  it("keeps the most recently used units, MAX_ENTRIES of them (2000, as the README says), forgetting the least recently used", () => {
    expect(MAX_ENTRIES).toBe(2000);
    const dir = mkdtempSync(join(tmpdir(), "digest-evict-"));
    const cache = new LayoutCache(dir, 3);
    const at = (key: string, seconds: number) => utimesSync(join(dir, `${key}.json`), seconds, seconds);
    cache.put([{ key: "a", unit: unit("a") }]);
    at("a", 1_000);
    cache.put([{ key: "b", unit: unit("b") }]);
    at("b", 2_000);
    cache.put([{ key: "c", unit: unit("c") }]);
    at("c", 3_000);
    // Using a unit makes it the most recent: b is now the least recently used.
    expect(cache.get("a")?.pages[0]!.html).toBe("<div>a</div>");
    cache.put([{ key: "d", unit: unit("d") }]);
    expect(readdirSync(dir).sort()).toEqual(["a.json", "c.json", "d.json"]);
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("c")?.pages[0]!.html).toBe("<div>c</div>");
  });

  it("counts a damaged entry as none", () => {
    const dir = mkdtempSync(join(tmpdir(), "digest-damaged-"));
    const cache = new LayoutCache(dir);
    writeFileSync(join(dir, "half.json"), '{"pages": [{"unit": 0, "ht');
    writeFileSync(join(dir, "empty.json"), '{"pages": [], "variants": {}}');
    expect(cache.get("half")).toBeUndefined();
    expect(cache.get("empty")).toBeUndefined();
    expect(cache.get("missing")).toBeUndefined();
  });
});

describe("builds with the layout cache, in a copy of digest", () => {
  it("lay every unit out again after a change of stylesheet, font, layout script, digest's code or version, or the fonts' environment", () => {
    const copy = copyCheckout("digest-cache-");
    const issue = join(copy, "test", "fixtures", "minimal", "2025-q1");
    const out = mkdtempSync(join(tmpdir(), "digest-cache-out-"));
    let n = 0;
    /** Builds the small issue with the copy's digest; its units as the build's JSON report gives them, and its PDF's bytes. */
    const build = (env: NodeJS.ProcessEnv = process.env) => {
      const pdf = join(out, `${++n}.pdf`);
      const r = spawnSync(process.execPath, [join(copy, "bin", "digest.js"), "build", issue, "--out", pdf, "--format", "json"], {
        cwd: copy,
        env: { ...env, SOURCE_DATE_EPOCH: "1727740800" },
        encoding: "utf8",
        timeout: 240_000,
      });
      expect(r.status, r.stderr).toBe(0);
      const report = JSON.parse(r.stdout) as { units: { total: number; cached: number } };
      return { ...report.units, pdf: readFileSync(pdf) };
    };
    const first = build();
    expect(first.cached).toBe(0);
    expect(first.total).toBeGreaterThan(5);
    // Nothing changed: every unit but the one a document is needed for, the same bytes.
    const again = build();
    expect(again.cached).toBe(first.total - 1);
    expect(again.pdf.equals(first.pdf)).toBe(true);

    /** After each change, every unit is laid out again. */
    const relaidAfter = (what: string, change: () => void, env?: NodeJS.ProcessEnv) => {
      change();
      const built = build(env);
      expect(built.cached, `units taken from the cache after ${what}`).toBe(0);
      return built;
    };
    // A stylesheet's comment changes no page: laid out again all the same, and the same bytes.
    expect(relaidAfter("a change of the cover's stylesheet (a sheet print.css imports)", () => appendFileSync(join(copy, "templates", "css", "print", "cover.css"), "\n/* changed */\n")).pdf.equals(first.pdf)).toBe(true);
    // A new version of a font (one the issue does not print with).
    relaidAfter("a change of a font", () => copyFileSync(join(copy, "fonts", "PTMono-Regular.ttf"), join(copy, "fonts", "PTMono-Bold.ttf")));
    expect(relaidAfter("a change of a layout script", () => appendFileSync(join(copy, "src", "layout", "in-page", "break-rules.js"), "\n// changed\n")).pdf.equals(first.pdf)).toBe(true);
    expect(relaidAfter("a change of digest's layout code", () => appendFileSync(join(copy, "src", "layout", "copyfit.ts"), "\n// changed\n")).pdf.equals(first.pdf)).toBe(true);
    relaidAfter("an upgrade of digest", () => {
      const manifest = join(copy, "package.json");
      writeFileSync(manifest, readFileSync(manifest, "utf8").replace(/"version": "[^"]+"/, '"version": "99.0.0"'));
    });
    relaidAfter("a change of the fonts' environment", () => {}, withoutSystemFonts());
    // Back in the first environment, with digest as it now is: taken from the cache again.
    expect(build().cached).toBe(first.total - 1);
  }, 300_000);
});
