import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PDFDocument, PDFName, StandardFonts } from "pdf-lib";
import { loadIssue } from "../src/content/load-issue.js";
import { describeChar, hasGlyph, readFont, unicodeRange } from "../src/content/fonts.js";
import { fontFaceCss } from "../src/render/render-issue.js";
import { strayFonts } from "../src/press/font-origin.js";

/**
 * Every glyph from the issue's fonts: the fonts' character maps read by digest, the
 * check that finds, before Chromium starts, what no font can print, the issue's own
 * fonts as fallbacks, and the refusal of fonts Chromium cannot embed as TrueType.
 */
const root = join(import.meta.dirname, "..");
const cjk = join(root, "test", "fixtures", "cjk", "2024-q3");
const fonts = join(root, "fonts");

/** A copy of the CJK fixture issue whose issue.yml names `fontsYaml` (YAML lines) under `fonts:`. */
function cjkIssue(fontsYaml: string[]): string {
  const dir = join(mkdtempSync(join(tmpdir(), "digest-fonts-")), "2024-q3");
  cpSync(cjk, dir, { recursive: true });
  const yml = readFileSync(join(dir, "issue.yml"), "utf8").replace(/fonts:\n(  - .*\n)+/, fontsYaml.length ? `fonts:\n${fontsYaml.map((f) => `  - ${f}\n`).join("")}` : "");
  writeFileSync(join(dir, "issue.yml"), yml);
  return dir;
}

describe("a font's character map", () => {
  it("is read from the TrueType cmap: PT Serif has Latin and Cyrillic, not Chinese", () => {
    const serif = readFont(join(fonts, "PTSerif-Regular.ttf"));
    expect(serif.family).toBe("PT Serif");
    expect(serif.postscriptName).toBe("PTSerif-Regular");
    expect(serif.weight).toBe(400);
    expect(serif.italic).toBe(false);
    expect(serif.unembeddable).toBeUndefined();
    for (const c of "AzÆЖжёЁ«»„“—–€№") expect(hasGlyph(serif, c), describeChar(c)).toBe(true);
    expect(hasGlyph(serif, "李")).toBe(false);
    expect(readFont(join(fonts, "PTSans-BoldItalic.ttf"))).toMatchObject({ family: "PT Sans", weight: 700, italic: true });
  });

  it("counts spaces as printable with the font's space, and ignores soft hyphens and joiners", () => {
    const serif = readFont(join(fonts, "PTSerif-Regular.ttf"));
    // PT Serif has no narrow no-break space (French quotes), but Chromium sets it with the space.
    expect(serif.coverage.has(0x202f)).toBe(false);
    expect(hasGlyph(serif, "\u202F")).toBe(true);
    expect(hasGlyph(serif, "\u00AD")).toBe(true);
    expect(hasGlyph(serif, "\u200D")).toBe(true);
    // U+2010 is not a space: Chromium would take it from another font.
    expect(hasGlyph(serif, "\u2010")).toBe(false);
  });

  it("reads the CJK subset's four characters", () => {
    const subset = readFont(join(cjk, "fonts", "NotoSansCJKsc-Subset.ttf"));
    expect(subset.family).toBe("Noto Sans CJK SC Subset");
    expect([...subset.coverage].sort((a, b) => a - b)).toEqual([0x20, 0x6653, 0x674e, 0x6885, 0x738b]);
    expect(subset.unembeddable).toBeUndefined();
  });

  it("says why Chromium would print a font as Type 3: CFF outlines, a restricted licence", () => {
    expect(readFont(join(cjk, "fonts", "NotoSansCJKsc-Subset.otf")).unembeddable).toMatch(/PostScript \(CFF\).*Type 3/);
    expect(readFont(join(cjk, "fonts", "NotoSansCJKsc-Restricted.ttf")).unembeddable).toMatch(/licence does not allow embedding.*fsType 2/);
  });

  it("keeps what fontkit read by the file's SHA-1: the same info from the cache, read again when the entry is broken", () => {
    const dir = mkdtempSync(join(tmpdir(), "digest-fontcache-"));
    // A copy with a new modification time: not in this process's memory, but in the cache by its bytes.
    const copy = join(dir, "Copy.ttf");
    cpSync(join(fonts, "PTSans-Italic.ttf"), copy);
    const first = readFont(join(fonts, "PTSans-Italic.ttf"));
    const stored = join(root, "node_modules", ".cache", "digest", "fonts", `${createHash("sha1").update(readFileSync(copy)).digest("hex")}.json`);
    expect(existsSync(stored)).toBe(true);
    const cached = readFont(copy);
    expect({ ...cached, path: "" }).toEqual({ ...first, path: "" });
    expect(cached.path).toBe(copy);
    writeFileSync(stored, "{ broken");
    const copy2 = join(dir, "Copy2.ttf");
    cpSync(copy, copy2);
    expect({ ...readFont(copy2), path: "" }).toEqual({ ...first, path: "" });
    expect(JSON.parse(readFileSync(stored, "utf8")).family).toBe("PT Sans");
  });

  it("names characters as messages do, and writes unicode-range values", () => {
    expect(describeChar("李")).toBe("U+674E 李");
    expect(describeChar("\u202F")).toBe("U+202F");
    expect(unicodeRange([0x6885, 0x674e, 0x674f, 0x6750, 0x20])).toBe("U+20,U+674E-6750,U+6885");
  });
});

describe("digest check finds characters no font of the issue has", () => {
  /** A copy of the CJK fixture without `fonts:`, with 李 replaced by a Linear B syllable (U+10000), which neither PT nor the shipped fonts have. */
  function linearBIssue(): string {
    const dir = cjkIssue([]);
    for (const file of ["issue.yml", "months/2024-07/01-li-xiaomei-visits.md"]) writeFileSync(join(dir, file), readFileSync(join(dir, file), "utf8").replaceAll("李", "\u{10000}"));
    return dir;
  }

  it("prints a Chinese name from the fonts digest ships when the issue names none", () => {
    const dir = cjkIssue([]);
    const { issue, problems } = loadIssue(dir, dir);
    expect(problems.report()).toBe("");
    const shipped = issue!.meta.shipped;
    expect(new Set(shipped.map((f) => `${f.role} ${f.family}`))).toEqual(new Set(["serif Noto Serif SC", "sans Noto Sans SC"]));
    // Every character the typefaces lack, in both roles, and nothing else.
    for (const role of ["serif", "sans"]) {
      expect(shipped.filter((f) => f.role === role).flatMap((f) => f.chars).sort((a, b) => a - b)).toEqual([0x6653, 0x674e, 0x6885, 0x738b]);
    }
  });

  it("refuses a character no font has, neither PT nor the shipped ones, with a located error, before Chromium starts", () => {
    const dir = linearBIssue();
    const { issue, problems } = loadIssue(dir, dir);
    expect(issue).toBeUndefined();
    const missing = problems.list().filter((m) => m.ruleId === "missing-glyph");
    expect(missing.map((m) => m.reason.split(".")[0]).sort()).toEqual([
      // The headline's first, then the cover's (issue.yml), each once a file with the count of the rest.
      "U+10000 \u{10000} has no glyph in PT Serif, PT Sans, PT Mono or the Noto fonts digest ships",
      "U+10000 \u{10000} has no glyph in PT Serif, PT Sans, PT Mono or the Noto fonts digest ships (here and in 1 more place in months/2024-07/01-li-xiaomei-visits",
    ]);
    const li = missing.find((m) => m.file === "months/2024-07/01-li-xiaomei-visits.md")!;
    // At the character's first place in the file: the title, line 2.
    expect([li.line, li.column]).toEqual([2, 36]);
    const cover = missing.find((m) => m.file === "issue.yml")!;
    expect([cover.line, cover.column]).toEqual([6, 19]);
  });

  it("prints the error as file:line:column with the character, and exits 1", () => {
    const dir = linearBIssue();
    const r = spawnSync(process.execPath, [join(root, "bin", "digest.js"), "check", dir], { cwd: dir, encoding: "utf8" });
    expect(r.status).toBe(1);
    expect(r.stderr + r.stdout).toMatch(/months\/2024-07\/01-li-xiaomei-visits\.md\n\s*2:36\s+error\s+U\+10000 \u{10000} has no glyph in PT Serif/u);
    expect(r.stderr + r.stdout).toContain("missing-glyph");
  });

  it("passes with a CJK font named under `fonts:`", () => {
    const { issue, problems } = loadIssue(cjk, cjk);
    expect(problems.report()).toBe("");
    expect(issue!.meta.fonts.map((f) => f.family)).toEqual(["Noto Sans CJK SC Subset"]);
  });

  it("finds a font under `fonts/` in digest's own fonts folder when the issue has none there", () => {
    const dir = cjkIssue(["fonts/NotoSansCJKsc-Subset.ttf", "fonts/PTSans-Regular.ttf"]);
    const { issue, problems } = loadIssue(dir, dir);
    expect(problems.report()).toBe("");
    expect(issue!.meta.fonts.map((f) => f.path)).toEqual([join(dir, "fonts", "NotoSansCJKsc-Subset.ttf"), join(fonts, "PTSans-Regular.ttf")]);
  });

  it.each([
    ["fonts/NotoSansCJKsc-Subset.otf", "unembeddable-font", "Cannot embed the font `fonts/NotoSansCJKsc-Subset.otf` (Noto Sans CJK SC Subset): its outlines are PostScript (CFF), which Chromium prints as a Type 3 font"],
    ["fonts/NotoSansCJKsc-Restricted.ttf", "unembeddable-font", "its licence does not allow embedding (OS/2 fsType 2: restricted licence embedding)"],
    ["fonts/Missing.ttf", "missing-font", "Cannot find the font `fonts/Missing.ttf`"],
    ["../../../../fonts/PTSerif-Regular.ttf", "font-outside-issue", "it is outside the issue folder and fonts/"],
    ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "font-outside-issue", "expected a path inside the issue folder or fonts/"],
    ["fonts/LICENSE.txt", "unreadable-font", "Cannot read `LICENSE.txt`: it is not a TrueType or OpenType font"],
  ])("refuses `%s` at its line in issue.yml (%s)", (entry, rule, message) => {
    const dir = cjkIssue([entry]);
    const { issue, problems } = loadIssue(dir, dir);
    expect(issue).toBeUndefined();
    const found = problems.list().find((m) => m.ruleId === rule);
    expect(found, problems.report()).toBeDefined();
    expect(found!.fatal).toBe(true);
    expect(found!.file).toBe("issue.yml");
    expect([found!.line, found!.column]).toEqual([5, 5]);
    expect(found!.reason).toContain(message);
    // The characters it was to print are not reported as well: the font is the problem.
    expect(problems.list().some((m) => m.ruleId === "missing-glyph")).toBe(false);
  });
});

describe("the issue's fonts in the document", () => {
  it("join each typeface's family as faces limited to the characters they add, each face with a URL of its own", () => {
    const { issue } = loadIssue(cjk, cjk);
    const css = fontFaceCss(undefined, issue!.meta.fonts);
    const fallbacks = css.split("\n").filter((rule) => rule.includes("NotoSansCJKsc-Subset.ttf"));
    // One for each face of PT Serif, PT Sans and PT Mono: regular, italic, bold, bold italic (PT Mono: two).
    expect(fallbacks).toHaveLength(10);
    for (const rule of fallbacks) expect(rule).toContain("unicode-range:U+6653,U+674E,U+6885,U+738B;");
    expect(new Set(fallbacks.map((r) => /url\("([^"]+)"\)/.exec(r)![1])).size).toBe(10);
    expect(fallbacks.filter((r) => /font-family:"PT Sans";.*font-weight:700;font-style:italic/.test(r))).toHaveLength(1);
    // After the typefaces: faces declared later are tried first.
    const rules = css.split("\n");
    expect(rules.findIndex((r) => r.includes("NotoSansCJKsc"))).toBe(rules.length - 10);
  });
});

describe("the shipped fallbacks in the document", () => {
  it("come after the typefaces, in each face's weight and style, limited to what the issue prints, scaled to PT's x-height", () => {
    const dir = cjkIssue([]);
    const { issue } = loadIssue(dir, dir);
    const css = fontFaceCss(undefined, [], issue!.meta.shipped);
    const rules = css.split("\n");
    const shipped = rules.filter((r) => r.includes("@fontsource"));
    // After the typefaces: faces declared later are tried first.
    expect(rules.slice(0, 10).some((r) => r.includes("@fontsource"))).toBe(false);
    expect(rules.slice(10).every((r) => r.includes("@fontsource"))).toBe(true);
    // PT Serif's four faces from Noto Serif SC (no italics: the upright), PT Sans's four and PT Mono's two from Noto Sans SC,
    // each the four characters in all, over the slices of the font that have them.
    const faces = new Map<string, string[]>();
    for (const r of shipped) {
      const key = /font-family:"([^"]+)";.*font-weight:(\d+);font-style:(\w+)/.exec(r)!.slice(1).join(" ");
      faces.set(key, [...(faces.get(key) ?? []), ...(/unicode-range:([^;]+);/.exec(r)![1]!.split(","))]);
    }
    expect(faces.size).toBe(10);
    for (const chars of faces.values()) expect(chars.sort()).toEqual(["U+6653", "U+674E", "U+6885", "U+738B"]);
    const serifBold = shipped.filter((r) => /font-family:"PT Serif";.*font-weight:700;font-style:normal/.test(r));
    for (const r of serifBold) {
      expect(r).toMatch(/noto-serif-sc-\d+-700-normal\.woff2\?face=PTSerif-Bold\.ttf"\) format\("woff2"\)/);
      expect(r).toContain("size-adjust:93.3%");
    }
    for (const r of shipped.filter((r) => /font-family:"PT Sans";.*font-weight:400;font-style:italic/.test(r))) expect(r).toMatch(/noto-sans-sc-\d+-400-normal\.woff2/);
  });

  it("are none for a Latin and Cyrillic issue: its rules are the typefaces' alone, as before", () => {
    const sample = join(root, "issues", "2024-q3");
    const { issue } = loadIssue(sample, sample);
    expect(issue!.meta.shipped).toEqual([]);
    expect(fontFaceCss(undefined, issue!.meta.fonts, issue!.meta.shipped)).toBe(fontFaceCss(undefined, issue!.meta.fonts));
    expect(fontFaceCss().split("\n")).toHaveLength(10);
  });

  it("accept a WOFF and a WOFF2 under `fonts:` as the issue's own, ahead of the shipped ones", () => {
    const dir = cjkIssue(["fonts/Greek.woff", "fonts/Greek.woff2"]);
    const files = join(root, "node_modules", "@fontsource", "noto-serif", "files");
    cpSync(join(files, "noto-serif-greek-400-normal.woff2"), join(dir, "fonts", "Greek.woff2"));
    // The WOFF (1.0) build is pruned after install: make one from the TrueType subset's tables.
    writeFileSync(join(dir, "fonts", "Greek.woff"), woffOf(readFileSync(join(cjk, "fonts", "NotoSansCJKsc-Subset.ttf"))));
    writeFileSync(join(dir, "months", "2024-07", "01-li-xiaomei-visits.md"), readFileSync(join(dir, "months", "2024-07", "01-li-xiaomei-visits.md"), "utf8") + "\nGreek: Ελλάδα.\n");
    const { issue, problems } = loadIssue(dir, dir);
    expect(problems.report()).toBe("");
    expect(issue!.meta.fonts.map((f) => f.format)).toEqual(["woff", "woff2"]);
    // The Chinese from the WOFF, the Greek from the WOFF2: nothing left for the shipped fonts.
    expect(issue!.meta.shipped).toEqual([]);
    const css = fontFaceCss(undefined, issue!.meta.fonts, issue!.meta.shipped);
    expect(css).toMatch(/Greek\.woff\?face=PTSerif-Regular\.ttf"\) format\("woff"\)/);
    expect(css).toMatch(/Greek\.woff2\?face=PTSerif-Regular\.ttf"\) format\("woff2"\)/);
  });
});

/** A WOFF 1.0 file of an sfnt's tables, uncompressed (the format allows it). */
function woffOf(sfnt: Buffer): Buffer {
  const count = sfnt.readUInt16BE(4);
  const header = Buffer.alloc(44);
  const dir = Buffer.alloc(count * 20);
  const bodies: Buffer[] = [];
  let offset = 44 + count * 20;
  for (let i = 0; i < count; i++) {
    const at = 12 + i * 16;
    const [tag, checksum, from, length] = [sfnt.readUInt32BE(at), sfnt.readUInt32BE(at + 4), sfnt.readUInt32BE(at + 8), sfnt.readUInt32BE(at + 12)];
    dir.writeUInt32BE(tag, i * 20);
    dir.writeUInt32BE(offset, i * 20 + 4);
    dir.writeUInt32BE(length, i * 20 + 8);
    dir.writeUInt32BE(length, i * 20 + 12);
    dir.writeUInt32BE(checksum, i * 20 + 16);
    const body = Buffer.alloc((length + 3) & ~3);
    sfnt.copy(body, 0, from, from + length);
    bodies.push(body);
    offset += body.length;
  }
  header.write("wOFF", 0, "latin1");
  header.writeUInt32BE(sfnt.readUInt32BE(0), 4);
  header.writeUInt32BE(offset, 8);
  header.writeUInt16BE(count, 12);
  header.writeUInt32BE(sfnt.length, 16);
  return Buffer.concat([header, dir, ...bodies]);
}

describe("fonts Chromium took from the machine", () => {
  it("are found in the PDF by name, with the pages that use them and the characters they print", async () => {
    const doc = await PDFDocument.create();
    doc.addPage();
    const page = doc.addPage();
    // A font as Chromium writes it: a subset tag, and a ToUnicode map of its glyphs.
    const cmap = doc.context.flateStream("/CIDInit /ProcSet findresource begin\nbegincmap\n2 beginbfchar\n<0003> <2010>\n<0004> <674E>\nendbfchar\n1 beginbfrange\n<0005> <0006> <0041>\nendbfrange\nendcmap\n");
    const stray = doc.context.register(doc.context.obj({ Type: "Font", Subtype: "Type0", BaseFont: "BAAAAA+DejaVuSerif", ToUnicode: doc.context.register(cmap) }));
    const own = doc.context.register(doc.context.obj({ Type: "Font", Subtype: "Type0", BaseFont: "AAAAAA+PTSerif-Regular" }));
    page.node.setFontDictionary(PDFName.of("F1"), own);
    page.node.setFontDictionary(PDFName.of("F2"), stray);
    doc.getPages()[0]!.node.setFontDictionary(PDFName.of("F1"), own);
    const helvetica = await doc.embedFont(StandardFonts.Helvetica);
    doc.addPage().drawText("x", { font: helvetica });
    const reloaded = await PDFDocument.load(await doc.save());
    expect(strayFonts(reloaded, new Set(["PTSerif-Regular"]))).toEqual([
      { name: "DejaVuSerif", pages: [2], chars: ["A", "B", "\u2010", "李"] },
      { name: "Helvetica", pages: [3], chars: [] },
    ]);
    expect(strayFonts(reloaded, new Set(["PTSerif-Regular", "DejaVuSerif", "Helvetica"]))).toEqual([]);
  });
});
