import { describe, expect, it } from "vitest";
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildIssue, ContentError } from "../src/index.js";
import { gridFor } from "../src/render/grid.js";
import { images, info, pageText } from "./helpers/pdf.js";
import { checkIssue } from "../src/index.js";
import { deflateSync } from "node:zlib";

/**
 * The same issue at every common trim size: long titles, long web and e-mail
 * addresses and long words build without false "too large" errors, display type
 * is scaled to fit instead of being cut off, and what truly cannot fit is a
 * located error.
 */
const minimal = join(import.meta.dirname, "fixtures", "minimal", "2025-q1");

const LONG_URL = "https://www.example-ministry.gov.kz/en/press-centre/news/2025/01/ministerial-conference-on-environmental-issues";
const LONG_MAIL = "international.cooperation.department@example-secretariat.org";
const LONG_TITLE = "The Harbour Bulletin of the Northern Shipbuilders";

/** A copy of the small fixture issue at `size`, with long addresses in an article and a long cover title. */
function issueAt(size: string, title = LONG_TITLE): string {
  const dir = join(mkdtempSync(join(tmpdir(), "digest-size-")), "2025-q1");
  cpSync(minimal, dir, { recursive: true });
  const yml = join(dir, "issue.yml");
  writeFileSync(yml, readFileSync(yml, "utf8").replace("title: Test Digest", `title: ${title}`).replace("size: A4", `size: "${size}"`));
  const article = join(dir, "months", "2025-01", "01-council-meets.md");
  writeFileSync(
    article,
    `${readFileSync(article, "utf8")}\nThe programme is at ${LONG_URL} and questions go to ${LONG_MAIL}. ` +
      "Delegates discussed Kazakhstan's intergovernmentalisation-of-transboundary-watercourses proposal at length.\n",
  );
  return dir;
}

describe("an issue at any page size", () => {
  for (const size of ["A4", "A5", "B5", "letter", "176mm 250mm"]) {
    it(`builds at ${size}: nothing cut off, addresses whole and unhyphenated, the cover title complete`, async () => {
      const dir = issueAt(size);
      const out = join(dir, "..", "out.pdf");
      const report = await buildIssue({ issue: dir, out, cwd: dir });
      // A build that succeeds has nothing cut off: clipped text is an error. The trim box is the size asked for.
      const box = /TrimBox:\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)/.exec(
        (await import("node:child_process")).execFileSync("pdfinfo", ["-box", "-f", "1", "-l", "1", out], { encoding: "utf8" }),
      )!;
      const grid = gridFor(gridWidth(size), gridHeight(size));
      expect(Number(box[3]) - Number(box[1])).toBeCloseTo((grid.trim.widthMm / 25.4) * 72, 0);
      // The whole cover title is printed on the cover, not cut off by the page.
      expect(pageText(out, 1)).toContain(LONG_TITLE);
      // The addresses are in the text whole: wrapped at their natural points, with no hyphen added.
      const page = report.pages["a-2025-01-council-meets"]!;
      const text = [page, page + 1, page + 2].map((p) => pageText(out, p).replace(/ /g, "")).join("");
      expect(text).toContain(LONG_URL);
      expect(text).toContain(LONG_MAIL);
      expect(info(out).Pages).toBe(String(report.pageCount));
    });
  }

  it("sets a one-column grid on A5 and two columns on A4, with a measure of 42 to 75 characters", () => {
    expect(gridFor(148, 210).columns.count).toBe(1);
    expect(gridFor(210, 297).columns.count).toBe(2);
    expect(gridFor(297, 420).columns.count).toBe(3);
    for (const [w, h] of [[148, 210], [176, 250], [210, 297], [215.9, 279.4], [297, 420], [105, 148], [120, 280]] as const) {
      const g = gridFor(w, h);
      expect(g.measure).toBeGreaterThanOrEqual(42);
      expect(g.measure).toBeLessThanOrEqual(75);
      expect(g.body.sizePt).toBeGreaterThanOrEqual(9.5);
      expect(g.body.sizePt).toBeLessThanOrEqual(10.5);
      expect(g.margins.innerMm).toBeGreaterThan(g.margins.outerMm);
    }
  });

  it("stops with a located error when a cover title cannot fit even at its smallest size", async () => {
    const dir = issueAt("A5", "Supercalifragilisticexpialidociousnewsletterofthenorth");
    const out = join(dir, "..", "out.pdf");
    const error = await buildIssue({ issue: dir, out, cwd: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContentError);
    const messages = (error as ContentError).problems.list().filter((m) => m.fatal);
    expect(messages).toHaveLength(1);
    expect(messages[0]!.file).toBe("issue.yml");
    expect(messages[0]!.line).toBe(1);
    expect(messages[0]!.ruleId).toBe("text-clipped");
    expect(messages[0]!.reason).toMatch(/^Cannot fit “Supercalifragilistic.*display type too large/);
    expect(existsSync(out)).toBe(false);
  });
});

/** A solid-colour PNG of the given size (8-bit RGB), made here so the test needs no picture files. */
function png(width: number, height: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3, 0x5a)]);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", ihdr), chunk("IDAT", deflateSync(raw)), chunk("IEND", Buffer.alloc(0))]);
}

describe("pictures", () => {
  it("are set by their shape, and one that prints below 300 ppi is a warning at its line with the ppi the PDF has", async () => {
    const dir = issueAt("A5");
    // Between the 150 ppi a printer accepts and the 300 it wants: a warning (below 150, an error: test/any-input.test.ts).
    writeFileSync(join(dir, "images", "small.png"), png(900, 600));
    writeFileSync(join(dir, "images", "wide.png"), png(3000, 1000));
    const article = join(dir, "months", "2025-02", "01-forum-in-baku.md");
    const before = readFileSync(article, "utf8").split("\n").length;
    writeFileSync(article, `${readFileSync(article, "utf8")}\n![A small picture](../../images/small.png)\n\n![A panorama](../../images/wide.png)\n`);
    const { problems } = checkIssue(dir, dir);
    const warnings = problems.list().filter((m) => m.ruleId === "low-resolution-picture");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.file).toBe("months/2025-02/01-forum-in-baku.md");
    expect(warnings[0]!.line).toBe(before + 1);
    const ppi = Number(/prints at (\d+) ppi/.exec(warnings[0]!.reason)![1]);
    // On A5 a picture fills the one text column: the PDF has it at the same resolution.
    const out = join(dir, "..", "pictures.pdf");
    await buildIssue({ issue: dir, out, cwd: dir });
    const small = images(out).find((i) => i.width === 900)!;
    expect(Math.abs(small.xppi - ppi)).toBeLessThanOrEqual(2);
    // The panorama is as wide as the text, the small landscape fills its column: both keep their shape.
    const wide = images(out).find((i) => i.width === 3000)!;
    expect(Math.abs(wide.xppi - wide.yppi)).toBeLessThanOrEqual(1);
    expect(Math.abs(small.xppi - small.yppi)).toBeLessThanOrEqual(1);
  });
});

const SIZES: Record<string, [number, number]> = { A4: [210, 297], A5: [148, 210], B5: [176, 250], letter: [215.9, 279.4] };
function gridWidth(size: string): number {
  return SIZES[size]?.[0] ?? Number(/^(\d+)mm/.exec(size)![1]);
}
function gridHeight(size: string): number {
  return SIZES[size]?.[1] ?? Number(/ (\d+)mm$/.exec(size)![1]);
}
