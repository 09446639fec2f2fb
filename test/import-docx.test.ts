import { beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Document, HeadingLevel, ImageRun, Packer, Paragraph } from "docx";
import { parse } from "yaml";
import { readDateline } from "../src/content/dateline.js";
import { splitFrontMatter } from "../src/content/front-matter.js";
import { images, normalise, pageText, info } from "./helpers/pdf.js";
import { samplePng, writeStoryDocx } from "./helpers/docx.js";

const root = join(import.meta.dirname, "..");
const digest = (args: string[], cwd: string) => {
  const r = spawnSync(process.execPath, [join(root, "bin", "digest.js"), ...args], { cwd, encoding: "utf8", timeout: 150_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

/** A project folder with a copy of the minimal issue (months 2025-01 and 2025-02, a spotlight folder). */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), "digest-import-"));
  cpSync(join(root, "test", "fixtures", "minimal", "2025-q1"), join(dir, "issues", "2025-q1"), { recursive: true });
  return dir;
}

const listing = (dir: string) => readdirSync(dir, { recursive: true }).map(String).sort();

describe("datelines", () => {
  it.each([
    ["4 July 2024 – Astana", { date: "2024-07-04", place: "Astana" }],
    ["ASTANA, 4 July 2024", { date: "2024-07-04", place: "Astana" }],
    ["4 July 2024, Astana, Kazakhstan", { date: "2024-07-04", place: "Astana, Kazakhstan" }],
    ["Nur-Sultan, Kazakhstan, July 4, 2024", { date: "2024-07-04", place: "Nur-Sultan, Kazakhstan" }],
    ["15–18 July 2024 – Astana", { date: "2024-07-15/2024-07-18", place: "Astana" }],
    ["30 July – 2 August 2024 – Baku", { date: "2024-07-30/2024-08-02", place: "Baku" }],
    ["4 July 2024", { date: "2024-07-04" }],
    ["ASTANA, 4 July 2024 – The Secretary General met the press.", { date: "2024-07-04", place: "Astana", rest: "The Secretary General met the press." }],
  ])("reads %j", (text, expected) => {
    expect(readDateline(text)).toEqual(expected);
  });

  it.each(["On 4 July 2024, the Secretary General met the press.", "31 June 2024 – Astana", "The talks in Astana went well", "4 July 2024 – the delegates met in Astana and agreed on a plan for the year"])(
    "leaves %j as text",
    (text) => expect(readDateline(text)).toBeUndefined(),
  );
});

describe("digest import", () => {
  let dir: string;
  let docx: string;
  let result: ReturnType<typeof digest>;
  const month = () => join(dir, "issues", "2025-q1", "months", "2025-02");
  beforeAll(async () => {
    dir = project();
    docx = join(dir, "seminar.docx");
    await writeStoryDocx(docx, { dateline: "4 February 2025 – Baku, Azerbaijan", underline: true });
    result = digest(["import", "seminar.docx", "2025-q1/months/2025-02"], dir);
  });

  it("writes the next numbered article, title and dateline in its front matter", () => {
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Wrote issues/2025-q1/months/2025-02/02-cica-hosts-seminar-on-smart-agriculture.md");
    const split = splitFrontMatter(readFileSync(join(month(), "02-cica-hosts-seminar-on-smart-agriculture.md"), "utf8"));
    expect(parse(split.frontMatter!)).toEqual({ title: "CICA Hosts Seminar on Smart Agriculture", date: "2025-02-04", place: "Baku, Azerbaijan" });
    // The dateline is in the front matter, not repeated in the text; nor is the title.
    expect(split.body).not.toContain("4 February 2025");
    expect(split.body).not.toContain("# CICA Hosts");
  });

  it("keeps bold, italics, the link, both lists, the table and the picture with its alt text as caption", () => {
    const body = splitFrontMatter(readFileSync(join(month(), "02-cica-hosts-seminar-on-smart-agriculture.md"), "utf8")).body;
    expect(body).toContain("**experts from twelve Member States**");
    expect(body).toContain("*precision farming*");
    expect(body).toContain("[the CICA website](https://www.s-cica.org/)");
    expect(body).toMatch(/^- sharing data on soil and weather\n- joint training of agronomists\n- a working group on irrigation$/m);
    expect(body).toMatch(/^1\. Draft the terms of reference\n2\. Meet again in December$/m);
    expect(body).toMatch(/^\| \*\*Country\*\* +\| \*\*Delegates\*\* \|\n\| -+ \| -+ \|\n\| Kazakhstan +\| 14 +\|\n\| Mongolia +\| 6 +\|$/m);
    expect(body).toMatch(/^!\[Experimental fields near Astana\]\(\.\.\/\.\.\/images\/cica-hosts-seminar-on-smart-agriculture-1\.png\)$/m);
    const picture = join(dir, "issues", "2025-q1", "images", "cica-hosts-seminar-on-smart-agriculture-1.png");
    expect(readFileSync(picture).equals(samplePng(2000, 1334))).toBe(true);
  });

  it("says what it could not keep", () => {
    expect(result.stderr).toContain("Could not keep everything of seminar.docx");
    expect(result.stderr).toContain("Underlined text (1 place) is printed without the underline");
  });

  it("passes digest check, and builds into pages with the text, the table, the list and the picture", () => {
    const check = digest(["check", "2025-q1"], dir);
    expect(check.stdout).toContain("2025-q1: ready to build (4 articles)");
    expect(check.code).toBe(0);
    const build = digest(["build", "2025-q1", "--no-cache"], dir);
    expect(build.stderr).not.toContain("error");
    expect(build.code).toBe(0);
    const pdf = join(dir, "out", "2025-q1.pdf");
    const pages = Number(info(pdf).Pages);
    // The page the article starts on (the contents page names it too, without its text).
    const page = Array.from({ length: pages }, (_, i) => i + 1).find((p) => normalise(pageText(pdf, p)).includes("CICA Hosts Seminar on Smart Agriculture 4 FEBRUARY"))!;
    expect(page).toBeGreaterThan(0);
    const text = normalise([page, page + 1].filter((p) => p <= pages).map((p) => pageText(pdf, p)).join(" "));
    for (const words of ["4 FEBRUARY 2025 – BAKU, AZERBAIJAN", "experts from twelve Member States", "sharing data on soil and weather", "Draft the terms of reference", "Kazakhstan 14", "Experimental fields near Astana"]) {
      expect(text).toContain(words);
    }
    // The picture is printed, at 2000 × 1334 pixels, on the article's pages.
    expect(images(pdf).some((i) => i.width === 2000 && i.height === 1334 && (i.page === page || i.page === page + 1))).toBe(true);
  });

  it("refuses a dateline outside the month folder, and writes nothing", async () => {
    const before = listing(join(dir, "issues"));
    const wrong = join(dir, "march.docx");
    await writeStoryDocx(wrong, { title: "A Meeting in March", dateline: "ASTANA, 3 March 2025" });
    const r = digest(["import", wrong, "2025-q1/2025-02"], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Expected a date in February (the month folder `2025-02`), not 2025-03-03 (the document's dateline)");
    expect(listing(join(dir, "issues"))).toEqual(before);
  });

  it("says what is wrong with the file or the place", () => {
    writeFileSync(join(dir, "notes.docx"), "plain text, not a Word document");
    const notWord = digest(["import", "notes.docx", "2025-q1/2025-02"], dir);
    expect(notWord.code).toBe(1);
    expect(notWord.stderr).toContain("Cannot read notes.docx: it is not a Word document (.docx)");
    const outside = digest(["import", "seminar.docx", "2025-q1/2025-05"], dir);
    expect(outside.stderr).toContain("Month `2025-05` is outside the issue's quarter (2025-01, 2025-02, 2025-03)");
    const where = digest(["import", "seminar.docx", "2025-q1"], dir);
    expect(where.stderr).toContain("Expected the issue and a month or the spotlight, not `2025-q1`");
    const missing = digest(["import", "nowhere.docx", "2025-q1/spotlight"], dir);
    expect(missing.stderr).toContain("No such file");
    for (const r of [notWord, outside, where, missing]) {
      expect(r.code).toBe(1);
      expect(r.stderr).not.toMatch(/^\s+at /m);
    }
  });

  it("imports into the spotlight, a run-in dateline kept as the first sentence, a picture without alt text and one it cannot print", async () => {
    const spotlight = project();
    // A 2 × 2 BMP: Word keeps it, digest cannot print it.
    const bmp = Buffer.alloc(70);
    bmp.write("BM", 0, "latin1");
    bmp.writeUInt32LE(70, 2);
    bmp.writeUInt32LE(54, 10);
    bmp.writeUInt32LE(40, 14);
    bmp.writeInt32LE(2, 18);
    bmp.writeInt32LE(2, 22);
    bmp.writeUInt16LE(1, 26);
    bmp.writeUInt16LE(24, 28);
    bmp.writeUInt32LE(16, 34);
    const doc = new Document({
      sections: [
        {
          children: [
            new Paragraph({ text: "BAKU, 12 March 2025 – The harbour opened its second terminal on Wednesday." }),
            new Paragraph({ children: [new ImageRun({ type: "png", data: samplePng(1200, 800), transformation: { width: 300, height: 200 } })] }),
            new Paragraph({ children: [new ImageRun({ type: "bmp", data: bmp, transformation: { width: 20, height: 20 } })] }),
          ],
        },
      ],
    });
    writeFileSync(join(spotlight, "harbour_terminal.docx"), await Packer.toBuffer(doc));
    const r = digest(["import", "harbour_terminal.docx", "issues/2025-q1/spotlight"], spotlight);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Wrote issues/2025-q1/spotlight/02-harbour-terminal.md");
    expect(r.stderr).toContain("The document has no heading: the title is its file name, “harbour terminal”");
    expect(r.stderr).toContain("A picture has no alt text in Word, so no caption");
    expect(r.stderr).toContain("Cannot keep a picture stored as image/bmp");
    const text = readFileSync(join(spotlight, "issues", "2025-q1", "spotlight", "02-harbour-terminal.md"), "utf8");
    const split = splitFrontMatter(text);
    expect(parse(split.frontMatter!)).toEqual({ title: "harbour terminal", date: "2025-03-12", place: "Baku" });
    expect(split.body.trim()).toBe("The harbour opened its second terminal on Wednesday.\n\n![](../images/harbour-terminal-1.png)");
    expect(existsSync(join(spotlight, "issues", "2025-q1", "images", "harbour-terminal-1.png"))).toBe(true);
    expect(digest(["check", "2025-q1"], spotlight).code).toBe(0);
  });

  it("refuses a document with no text and no pictures, saying so, and writes nothing; a document of pictures alone is imported with a note", async () => {
    const dir = project();
    const month = join(dir, "issues", "2025-q1", "months", "2025-02");
    const before = listing(join(dir, "issues"));
    writeFileSync(join(dir, "empty.docx"), await Packer.toBuffer(new Document({ sections: [{ children: [] }] })));
    writeFileSync(join(dir, "heading-only.docx"), await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph({ text: "A Title and Nothing Else", heading: HeadingLevel.HEADING_1 })] }] })));
    for (const [file, message] of [
      ["empty.docx", "Cannot import empty.docx: it has no text and no pictures"],
      ["heading-only.docx", "Cannot import heading-only.docx: it has no text under its heading and no pictures"],
    ] as const) {
      const r = digest(["import", file, "2025-q1/2025-02"], dir);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain(message);
      expect(r.stderr).toContain("Text in text boxes or shapes is not read");
    }
    expect(listing(join(dir, "issues"))).toEqual(before);
    const pictures = new Document({ sections: [{ children: [new Paragraph({ text: "Harbour in Pictures", heading: HeadingLevel.HEADING_1 }), new Paragraph({ children: [new ImageRun({ type: "png", data: samplePng(1200, 800), transformation: { width: 300, height: 200 } })] })] }] });
    writeFileSync(join(dir, "pictures.docx"), await Packer.toBuffer(pictures));
    const r = digest(["import", "pictures.docx", "2025-q1/2025-02"], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("The document has no text, only pictures");
    expect(readdirSync(month).some((f) => f.endsWith("harbour-in-pictures.md"))).toBe(true);
  });
});
