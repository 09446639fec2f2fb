import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DigestError } from "../src/errors.js";
import { TEMPLATES_DIR } from "../src/paths.js";
import { importsOf, PRINT_STYLESHEET, stylesheetFiles } from "../src/render/stylesheets.js";

describe("stylesheetFiles", () => {
  const dir = mkdtempSync(join(tmpdir(), "digest-sheets-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("lists templates/css/print.css, then every sheet of templates/css/print/ it imports, in order", () => {
    const files = stylesheetFiles();
    const sheets = join(TEMPLATES_DIR, "css", "print");
    expect(files[0]).toBe(PRINT_STYLESHEET);
    expect(files.slice(1)).toEqual(
      ["grid", "full-bleed", "cover", "contents", "foreword", "articles", "flash", "ads", "house", "copyfit"].map((name) => join(sheets, `${name}.css`)),
    );
    // No sheet of the folder left out of the index (its rules would silently not apply).
    expect(readdirSync(sheets).map((f) => join(sheets, f)).sort()).toEqual(files.slice(1).sort());
    // The index holds only @import lines: Paged.js reads the imported sheets first, so a rule there would come after them all.
    const index = readFileSync(PRINT_STYLESHEET, "utf8").replace(/\/\*[\s\S]*?\*\//g, "");
    expect(index.replace(/@import "print\/[\w-]+\.css";/g, "").trim()).toBe("");
  });

  it("follows every form of @import, nested, each sheet once, and leaves out comments and remote sheets", () => {
    mkdirSync(join(dir, "sub"));
    const index = join(dir, "index.css");
    writeFileSync(
      index,
      [
        '/* @import "commented.css"; */',
        '@import url("a.css");',
        "@import 'sub/b.css' print;",
        '@import "https://example.com/remote.css";',
        "@import url(c%20d.css);",
      ].join("\n"),
    );
    writeFileSync(join(dir, "a.css"), "p { color: red }");
    writeFileSync(join(dir, "sub", "b.css"), '@import "../a.css";\n@import "e.css";\n.b { color: blue }');
    writeFileSync(join(dir, "sub", "e.css"), "");
    writeFileSync(join(dir, "c d.css"), "");
    expect(stylesheetFiles(index)).toEqual([index, join(dir, "a.css"), join(dir, "sub", "b.css"), join(dir, "sub", "e.css"), join(dir, "c d.css")]);
    expect(importsOf(".x { color: red }", index)).toEqual([]);
  });

  it("names the sheet that imports a missing one", () => {
    const index = join(dir, "broken.css");
    writeFileSync(index, '@import "missing.css";');
    expect(() => stylesheetFiles(index)).toThrow(DigestError);
    expect(() => stylesheetFiles(index)).toThrow(/broken\.css imports .*missing\.css, which cannot be read \(ENOENT\)/);
  });
});
