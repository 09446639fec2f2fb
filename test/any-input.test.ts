import { describe, expect, it } from "vitest";
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { Element, Root } from "hast";
import { visit } from "unist-util-visit";
import { loadIssue } from "../src/content/load-issue.js";
import { checkIssue } from "../src/index.js";
import { textOf as printedText } from "../src/content/glyphs.js";
import { encodeScene } from "../src/fuzz/png.js";
import { deflateSync } from "node:zlib";
import pngjs from "pngjs";
import { inspectPicture } from "../src/content/picture-check.js";

/**
 * Inputs that nobody on the project wrote (issue 18): each either prints its words
 * and pictures, or is refused at its own file and line. These read the issue as
 * `digest check` does; test/any-input.e2e.test.ts builds the ones that print.
 */
const minimal = join(import.meta.dirname, "fixtures", "minimal", "2025-q1");
const harbour = join(minimal, "images", "harbour.png");

/** A copy of the minimal issue with these files added (paths inside the issue folder). */
function issueWith(files: Record<string, string | Buffer>): string {
  const dir = join(mkdtempSync(join(tmpdir(), "digest-any-")), "2025-q1");
  cpSync(minimal, dir, { recursive: true });
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

const article = (title: string, body: string) => `---\ntitle: ${title}\ndate: 2025-01-20\n---\n\n${body}`;
const ARTICLE = "months/2025-01/02-odd.md";

function load(dir: string) {
  const result = loadIssue(dir, dir);
  const odd = result.issue?.months[0]!.articles.find((a) => a.file === ARTICLE);
  return { ...result, odd };
}

/** The words a body prints, without the soft hyphens put in for hyphenation. */
const textOf = (tree: Root) => printedText(tree).replace(/\u00AD/g, "").replace(/\s+/g, " ");

function elements(tree: Root, tag: string): Element[] {
  const found: Element[] = [];
  visit(tree, "element", (node: Element) => void (node.tagName === tag && found.push(node)));
  return found;
}

describe("pictures named in odd ways", () => {
  it("finds a picture whose name has a % in it (`100%.png`), and one escaped as a URL (`a%20b.png`)", () => {
    const dir = issueWith({ [ARTICLE]: article("Percent", "![Full](../../images/100%.png)\n\n![Spaced](../../images/a%20b.png)\n") });
    copyFileSync(harbour, join(dir, "images", "100%.png"));
    copyFileSync(harbour, join(dir, "images", "a b.png"));
    const { odd, problems } = load(dir);
    expect(problems.errorCount, problems.report()).toBe(0);
    expect(elements(odd!.body, "img").map((i) => i.properties.src)).toEqual([join(dir, "images", "100%.png"), join(dir, "images", "a b.png")]);
  });

  it("resolves reference-style pictures and links like inline ones, in every item of the flash briefing", () => {
    const dir = issueWith({
      [ARTICLE]: article("References", "Before.\n\n![Delegates at the table][photo]\n\nSee [the site][site].\n\n[photo]: ../../images/harbour.png \"Photo: Agency\"\n[site]: https://example.org\n"),
      "flash-briefing.md": "---\ntitle: Flash\n---\n\nFirst item ![x][pic].\n\n***\n\nSecond item, [a link][l].\n\n[pic]: images/harbour.png\n[l]: https://example.org/l\n",
    });
    const { issue, odd, problems } = load(dir);
    expect(problems.errorCount, problems.report()).toBe(0);
    const [img] = elements(odd!.body, "img");
    expect(img!.properties.src).toBe(join(dir, "images", "harbour.png"));
    // A picture alone in its paragraph is a figure, with its caption and credit, as an inline one is.
    expect(textOf(odd!.body)).toContain("Delegates at the table");
    expect(textOf(odd!.body)).toContain("Photo: Agency");
    expect(elements(odd!.body, "a").map((a) => a.properties.href)).toContain("https://example.org");
    const flash = issue!.flashBriefing!.items;
    expect(elements(flash[0]!.body, "img")[0]!.properties.src).toBe(join(dir, "images", "harbour.png"));
    expect(elements(flash[1]!.body, "a")[0]!.properties.href).toBe("https://example.org/l");
  });

  it("refuses a reference-style picture that is missing, at the reference's line", () => {
    const dir = issueWith({ [ARTICLE]: article("Missing", "Text.\n\n![Gone][photo]\n\n[photo]: ../../images/gone.png\n") });
    const { problems } = load(dir);
    const m = problems.list().find((p) => p.ruleId === "missing-picture");
    expect(m, problems.report()).toBeDefined();
    expect([m!.file, m!.line]).toEqual([ARTICLE, 8]);
  });

  it("refuses a picture with too few pixels for print at `check`, at its line (not a PDF that fails preflight)", () => {
    const dir = issueWith({ [ARTICLE]: article("Tiny", "Text.\n\n![Tiny](../../images/tiny.png)\n"), "images/tiny.png": encodeScene(10, 10, [0, 0, 0], [255, 255, 255]) });
    const { problems } = checkIssue(dir, dir);
    const m = problems.list().find((p) => p.ruleId === "picture-too-small");
    expect(m, problems.report()).toBeDefined();
    expect([m!.file, m!.line, m!.fatal]).toEqual([ARTICLE, 8, true]);
    expect(m!.reason).toMatch(/below 150 ppi.*Use a picture at least \d+ pixels wide/);
  });

  it("still only warns of a picture that prints between 150 and 300 ppi", () => {
    const dir = issueWith({ [ARTICLE]: article("Soft", "Text.\n\n![Soft](../../images/soft.png)\n"), "images/soft.png": encodeScene(600, 400, [0, 0, 0], [255, 255, 255]) });
    const { problems } = checkIssue(dir, dir);
    expect(problems.errorCount, problems.report()).toBe(0);
    expect(problems.list().map((p) => p.ruleId)).toContain("low-resolution-picture");
  });
});

describe("footnotes", () => {
  const body = "Founded in 1992.[^1] Renamed later.[^note]\n\n[^1]: In Almaty.\n[^note]: By the Council.\n";

  it("prints the notes at the body's end, numbered, without a heading and without ↩ links (no glyph error for them)", () => {
    const { odd, problems } = load(issueWith({ [ARTICLE]: article("Notes", body) }));
    expect(problems.errorCount, problems.report()).toBe(0);
    const [section] = elements(odd!.body, "section");
    expect(section!.properties.className).toContain("footnotes");
    expect(odd!.body.children.filter((c) => c.type === "element").at(-1)).toBe(section);
    expect(elements(section as unknown as Root, "h2")).toHaveLength(0);
    expect(textOf(section as unknown as Root)).not.toContain("↩");
    expect(textOf(section as unknown as Root)).toContain("In Almaty.");
    // The call links to its note, with ids of this article's own.
    const calls = elements(odd!.body, "a").filter((a) => a.properties.dataFootnoteRef !== undefined);
    expect(calls.map((a) => a.properties.href)).toEqual(["#fn-months-2025-01-02-odd-fn-1", "#fn-months-2025-01-02-odd-fn-note"]);
    // A note's place in the source, for layout problems found later.
    expect(section!.properties.dataSource).toBe(`${ARTICLE}:8:1`);
  });

  it("warns of a footnote that is never called, at its line", () => {
    const { problems } = load(issueWith({ [ARTICLE]: article("Unused", "Text.\n\n[^lost]: Nobody calls me.\n") }));
    const m = problems.list().find((p) => p.ruleId === "unused-footnote");
    expect([m?.line, m?.fatal]).toEqual([8, false]);
  });

  it("gives each flash-briefing item the notes it calls, wherever they are written", () => {
    const dir = issueWith({ "flash-briefing.md": "---\ntitle: Flash\n---\n\nOne.[^a]\n\n***\n\nTwo.[^b]\n\n[^a]: Note A.\n[^b]: Note B.\n" });
    const { issue, problems } = load(dir);
    expect(problems.errorCount, problems.report()).toBe(0);
    const [one, two] = issue!.flashBriefing!.items;
    expect(textOf(one!.body)).toContain("Note A.");
    expect(textOf(one!.body)).not.toContain("Note B.");
    expect(textOf(two!.body)).toContain("Note B.");
  });
});

describe("raw HTML", () => {
  const body = "First paragraph with <b>bold</b> text.\n\n<div>\nThe minister said the talks went well.\n</div>\n\n<!-- editor: check the quote -->\n\nLast paragraph.\n\n<table><tr><td>Cell one</td><td>Cell two</td></tr></table>\n";

  it("prints the text of each HTML block as plain text, and warns once a block at its own line", () => {
    const { odd, problems } = load(issueWith({ [ARTICLE]: article("HTML", body) }));
    expect(problems.errorCount, problems.report()).toBe(0);
    const text = textOf(odd!.body);
    for (const words of ["First paragraph with", "bold", "The minister said the talks went well.", "Last paragraph.", "Cell one", "Cell two"]) expect(text).toContain(words);
    // A comment is for the editors: not printed, and nothing to warn of.
    expect(text).not.toContain("editor:");
    const warnings = problems.list().filter((p) => p.ruleId === "raw-html");
    expect(warnings.map((w) => w.line).sort((a, b) => a! - b!)).toEqual([6, 8, 16]);
    expect(warnings[1]!.reason).toContain("`<div>`");
  });

  it("takes `<br>` for a line break, without a warning", () => {
    const { odd, problems } = load(issueWith({ [ARTICLE]: article("Breaks", "| A | B |\n| --- | --- |\n| one<br>two | three |\n") }));
    expect(problems.list().filter((p) => p.ruleId === "raw-html")).toEqual([]);
    expect(elements(odd!.body, "br")).toHaveLength(1);
  });

  it("refuses HTML that shows something other than text (a picture, a frame) at its line", () => {
    const { problems } = load(issueWith({ [ARTICLE]: article("Frame", "Text.\n\nWatch <iframe src=\"https://example.org/v\"></iframe> here.\n") }));
    const m = problems.list().find((p) => p.ruleId === "raw-html-content");
    expect([m?.line, m?.fatal]).toEqual([8, true]);
    expect(m!.reason).toContain("`<iframe>`");
  });
});

describe("files digest cannot read", () => {
  it("refuses a file larger than the file-size limit, saying which limit", () => {
    const { problems } = load(issueWith({ [ARTICLE]: article("Huge", "word ".repeat(500_000)) }));
    const m = problems.list().find((p) => p.ruleId === "file-too-large");
    expect(m?.file).toBe(ARTICLE);
    expect(m!.reason).toMatch(/more than the 2 MB digest reads in one file \(the file-size limit\)/);
  });

  it("refuses a file saved as UTF-16, and says to save it as UTF-8", () => {
    const { problems } = load(issueWith({ [ARTICLE]: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(article("UTF-16", "Text.\n"), "utf16le")]) }));
    const m = problems.list().find((p) => p.ruleId === "not-utf8");
    expect([m?.file, m?.line]).toEqual([ARTICLE, 1]);
    expect(m!.reason).toContain("Save the file as UTF-8");
  });

  it("reports bytes that are not UTF-8 once, as such, and not as a missing glyph U+FFFD", () => {
    const { problems } = load(issueWith({ [ARTICLE]: Buffer.from(article("Latin-1", "Caf\xe9 and cr\xe8me.\n"), "latin1") }));
    expect(problems.list().map((p) => p.ruleId)).toEqual(["not-utf8"]);
  });
});

describe("pictures decoded, not sniffed", () => {
  /** A PNG of the given kind, every row filtered with `filter` (0–4), its bytes a pattern. */
  function png(width: number, height: number, depth: number, type: number, interlace: boolean, filter = 0): Buffer {
    const channels = ({ 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as Record<number, number>)[type]!;
    const rowBytes = (w: number) => Math.ceil((w * channels * depth) / 8);
    const passes = interlace
      ? [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]].map(([x0, y0, dx, dy]) => [Math.ceil((width - x0!) / dx!), Math.ceil((height - y0!) / dy!)]).filter(([w, h]) => w! > 0 && h! > 0)
      : [[width, height]];
    const rows: Buffer[] = [];
    for (const [w, h] of passes) for (let y = 0; y < h!; y++) rows.push(Buffer.concat([Buffer.from([filter]), Buffer.alloc(rowBytes(w!), (y * 37) & 0xff)]));
    const chunk = (tag: string, data: Buffer) => {
      const body = Buffer.concat([Buffer.from(tag, "latin1"), data]);
      const length = Buffer.alloc(4);
      length.writeUInt32BE(data.length);
      const crc = Buffer.alloc(4);
      crc.writeUInt32BE(crc32(body));
      return Buffer.concat([length, body, crc]);
    };
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(width, 0);
    ihdr.writeUInt32BE(height, 4);
    ihdr.set([depth, type, 0, 0, interlace ? 1 : 0], 8);
    const palette = type === 3 ? [chunk("PLTE", Buffer.alloc(3 * (1 << depth), 0x80))] : [];
    return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", ihdr), ...palette, chunk("IDAT", deflateSync(Buffer.concat(rows))), chunk("IEND", Buffer.alloc(0))]);
  }
  function crc32(data: Buffer): number {
    let c = 0xffffffff;
    for (const byte of data) {
      c ^= byte;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    }
    return (c ^ 0xffffffff) >>> 0;
  }
  const write = (name: string, bytes: Buffer) => {
    const path = join(mkdtempSync(join(tmpdir(), "digest-png-")), name);
    writeFileSync(path, bytes);
    return path;
  };

  it.each([
    [2, 8, false],
    [2, 8, true],
    [6, 16, true],
    [0, 1, true],
    [3, 4, false],
    [4, 8, true],
  ])("accepts a sound PNG of colour type %i at %i bits (interlaced: %s), as pngjs reads it", (type, depth, interlace) => {
    const bytes = png(37, 23, depth, type, interlace);
    expect(() => pngjs.PNG.sync.read(bytes)).not.toThrow();
    expect(inspectPicture(write("ok.png", bytes), "ok.png")).toEqual({ size: { width: 37, height: 23 } });
  });

  it("refuses a PNG cut short, one that fails a checksum, one with a row filter PNG has not, and says what is wrong", () => {
    const sound = png(64, 48, 8, 2, false);
    const cut = inspectPicture(write("cut.png", sound.subarray(0, sound.length - 30)), "cut.png");
    expect(cut.problem?.reason).toMatch(/^Cannot print `cut\.png`: it is damaged or cut short \(it ends inside its IDAT chunk\)/);
    const flipped = Buffer.from(sound);
    flipped.writeUInt8(flipped[sound.length - 20]! ^ 0xff, sound.length - 20);
    expect(inspectPicture(write("crc.png", flipped), "crc.png").problem?.reason).toContain("fails its checksum");
    expect(inspectPicture(write("filter.png", png(64, 48, 8, 2, false, 9)), "filter.png").problem?.reason).toContain("row 1 of its image data is damaged");
    for (const verdict of [cut]) expect(verdict.problem?.ruleId).toBe("damaged-picture");
  });

  it("decodes a JPEG whole: one cut short is refused", async () => {
    const jpeg = (await import("jpeg-js")).default;
    const data = Buffer.alloc(64 * 48 * 4, 0x90);
    const bytes = jpeg.encode({ width: 64, height: 48, data }, 90).data;
    expect(inspectPicture(write("ok.jpg", bytes), "ok.jpg")).toEqual({ size: { width: 64, height: 48 } });
    expect(inspectPicture(write("cut.jpg", bytes.subarray(0, Math.floor(bytes.length * 0.8))), "cut.jpg").problem?.ruleId).toBe("damaged-picture");
  });

  it("decodes a GIF whole, and checks a WebP's container: either cut short is refused", async () => {
    const omggif = (await import("omggif")).default;
    const buffer = Buffer.alloc(4096);
    const writer = new omggif.GifWriter(buffer, 32, 24, { palette: [0x000000, 0xff0000, 0x00ff00, 0x0000ff] });
    writer.addFrame(0, 0, 32, 24, Array.from({ length: 32 * 24 }, (_, i) => i % 4));
    const gif = buffer.subarray(0, writer.end());
    expect(inspectPicture(write("ok.gif", gif), "ok.gif")).toEqual({ size: { width: 32, height: 24 } });
    expect(inspectPicture(write("cut.gif", gif.subarray(0, Math.floor(gif.length / 2))), "cut.gif").problem?.ruleId).toBe("damaged-picture");
    // A WebP whose RIFF header announces more bytes than the file has.
    const webp = Buffer.alloc(40);
    webp.write("RIFF", 0, "latin1");
    webp.writeUInt32LE(4000, 4);
    webp.write("WEBPVP8L", 8, "latin1");
    webp.writeUInt32LE(20, 16);
    webp.set([0x2f, 0x1f, 0xc0, 0x17, 0x00], 20);
    expect(inspectPicture(write("cut.webp", webp), "cut.webp").problem?.reason).toContain("it holds 40 of the 4008 bytes its header announces");
  });
});
