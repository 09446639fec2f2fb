import { writeFileSync } from "node:fs";
import { PNG } from "pngjs";
import {
  AlignmentType, Document, ExternalHyperlink, HeadingLevel, ImageRun, LevelFormat, Packer, Paragraph, Table, TableCell, TableRow, TextRun,
  UnderlineType,
} from "docx";

/** A small PNG: a blue field with a red square, `width` × `height` pixels. */
export function samplePng(width = 600, height = 400): Buffer {
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const inSquare = x > width / 3 && x < (2 * width) / 3 && y > height / 3 && y < (2 * height) / 3;
      png.data[i] = inSquare ? 200 : 30;
      png.data[i + 1] = inSquare ? 30 : 80;
      png.data[i + 2] = inSquare ? 30 : 160;
      png.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}

export interface StoryOptions {
  title?: string;
  /** The first paragraph, e.g. "4 September 2024 – Astana, Kazakhstan". */
  dateline?: string;
  /** Alt text of the picture (Word's "description"). */
  alt?: string;
  /** Add underlined text, which Markdown cannot keep. */
  underline?: boolean;
}

/**
 * Writes a Word document as an editor would send one: a heading, a dateline, bold and
 * italic text, a link, a bulleted and a numbered list, a table and a picture with alt text.
 */
export async function writeStoryDocx(path: string, options: StoryOptions = {}): Promise<void> {
  const doc = new Document({
    numbering: {
      config: [{ reference: "steps", levels: [{ level: 0, format: LevelFormat.DECIMAL, text: "%1.", alignment: AlignmentType.START }] }],
    },
    sections: [
      {
        children: [
          new Paragraph({ text: options.title ?? "CICA Hosts Seminar on Smart Agriculture", heading: HeadingLevel.HEADING_1 }),
          ...(options.dateline === "" ? [] : [new Paragraph({ text: options.dateline ?? "4 September 2024 – Astana, Kazakhstan" })]),
          new Paragraph({
            children: [
              new TextRun("The seminar brought together "),
              new TextRun({ text: "experts from twelve Member States", bold: true }),
              new TextRun(" to discuss "),
              new TextRun({ text: "precision farming", italics: true }),
              new TextRun(" and water use. Read more on "),
              new ExternalHyperlink({ link: "https://www.s-cica.org/", children: [new TextRun({ text: "the CICA website", style: "Hyperlink" })] }),
              new TextRun("."),
              ...(options.underline ? [new TextRun({ text: " A note underlined for emphasis.", underline: { type: UnderlineType.SINGLE } })] : []),
            ],
          }),
          new Paragraph({ text: "The participants agreed on three points:" }),
          new Paragraph({ text: "sharing data on soil and weather", bullet: { level: 0 } }),
          new Paragraph({ text: "joint training of agronomists", bullet: { level: 0 } }),
          new Paragraph({ text: "a working group on irrigation", bullet: { level: 0 } }),
          new Paragraph({ text: "The next steps are:" }),
          new Paragraph({ text: "Draft the terms of reference", numbering: { reference: "steps", level: 0 } }),
          new Paragraph({ text: "Meet again in December", numbering: { reference: "steps", level: 0 } }),
          new Table({
            rows: [
              new TableRow({ tableHeader: true, children: ["Country", "Delegates"].map((t) => new TableCell({ children: [new Paragraph({ children: [new TextRun({ text: t, bold: true })] })] })) }),
              new TableRow({ children: ["Kazakhstan", "14"].map((t) => new TableCell({ children: [new Paragraph(t)] })) }),
              new TableRow({ children: ["Mongolia", "6"].map((t) => new TableCell({ children: [new Paragraph(t)] })) }),
            ],
          }),
          new Paragraph({
            children: [
              new ImageRun({
                type: "png",
                data: samplePng(2000, 1334),
                transformation: { width: 300, height: 200 },
                altText: { name: "field", title: "Field", description: options.alt ?? "Experimental fields near Astana" },
              }),
            ],
          }),
          new Paragraph({ text: "The seminar closed with a visit to the experimental fields." }),
        ],
      },
    ],
  });
  writeFileSync(path, await Packer.toBuffer(doc));
}
