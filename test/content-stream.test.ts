import { describe, expect, it } from "vitest";
import { PDFArray, PDFDocument, PDFName, PDFRawStream, rgb } from "pdf-lib";
import { operations, streamText } from "../src/press/content-stream.js";
import { neutralsToGray, trueBlack } from "../src/press/true-black.js";

/** Content streams read as operations, and the true-black rewrite that relies on them. */
describe("reading a content stream", () => {
  it("gives each operator its operands, and strings, arrays and dictionaries as one operand each", () => {
    const text = "q 0.75 0 0 -0.75 10 20 cm\n/F1 9.5 Tf [(a) -20 (b)] TJ (1 1 1 rg) Tj /P <</MCID 3>> BDC EMC Q";
    const ops = [...operations(text)].map((o) => [o.operator, o.operands]);
    expect(ops).toEqual([
      ["q", []],
      ["cm", [0.75, 0, 0, -0.75, 10, 20]],
      ["Tf", ["/F1", 9.5]],
      ["TJ", ["[…]"]],
      ["Tj", ["(…)"]],
      ["BDC", ["/P", "<<…>>"]],
      ["EMC", []],
      ["Q", []],
    ]);
  });

  it("skips an inline image's data whole, whatever bytes it holds", () => {
    const text = "BI /W 2 /H 1 /CS /RGB /BPC 8 ID \x00rg Q\xff\x01 EI\n0.5 g";
    expect([...operations(text)].map((o) => o.operator)).toEqual(["BI", "g"]);
  });

  it("reports where each operation stands, so it can be replaced in place", () => {
    const text = "BT .102 .102 .102 rg ET";
    const op = [...operations(text)].find((o) => o.operator === "rg")!;
    expect(text.slice(op.start, op.end)).toBe(".102 .102 .102 rg");
  });
});

describe("true black", () => {
  it("writes neutral RGB fills and strokes as grey, and leaves colours and strings alone", () => {
    const text = ".102 .102 .102 RG .102 .102 .102 rg (0 0 0 rg) Tj .0588 .1843 .3412 rg 1 1 1 rg 0 0 0 rg";
    expect(neutralsToGray(text)).toBe("0.102 G 0.102 g (0 0 0 rg) Tj .0588 .1843 .3412 rg 1 g 0 g");
    expect(neutralsToGray(".0588 .1843 .3412 rg")).toBeUndefined();
  });

  it("rewrites the pages' content and the forms they draw, and nothing else", async () => {
    const doc = await PDFDocument.create();
    const page = doc.addPage([200, 200]);
    page.drawRectangle({ x: 10, y: 10, width: 50, height: 50, color: rgb(0.2, 0.2, 0.2) });
    page.drawRectangle({ x: 80, y: 10, width: 50, height: 50, color: rgb(0.06, 0.18, 0.34) });
    const form = doc.context.register(doc.context.stream("0.5 0.5 0.5 rg 0 0 10 10 re f", { Type: "XObject", Subtype: "Form", BBox: [0, 0, 10, 10] }));
    page.node.newXObject("Fm", form);
    const saved = await PDFDocument.load(await doc.save(), { updateMetadata: false });
    expect(trueBlack(saved)).toBe(2);
    const contents = saved.getPage(0).node.Contents();
    const pageText = (contents instanceof PDFArray ? contents.asArray() : [saved.getPage(0).node.get(PDFName.of("Contents"))])
      .map((ref) => streamText(saved.context.lookup(ref)) ?? "")
      .join("\n");
    expect(pageText).toMatch(/0\.2 g/);
    expect(pageText).toMatch(/0\.06 0\.18 0\.34 rg/);
    const formText = [...saved.context.enumerateIndirectObjects()]
      .map(([, o]) => o)
      .filter((o): o is PDFRawStream => o instanceof PDFRawStream && o.dict.get(PDFName.of("Subtype")) === PDFName.of("Form"))
      .map((o) => streamText(o));
    expect(formText).toEqual(["0.5 g 0 0 10 10 re f"]);
  });
});
