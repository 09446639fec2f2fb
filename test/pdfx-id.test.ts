import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PDFDocument, StandardFonts } from "pdf-lib";
import { convertToPdfx, trailerIdRange, withContentDerivedId } from "../src/press/pdfx.js";

/** A one-page PDF with a classic xref table and the given `/ID` array written as-is in its trailer. */
function pdfWithId(idArray: string): Buffer {
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
  ];
  let body = "%PDF-1.3\n";
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(body, "latin1"));
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body, "latin1");
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) body += `${String(off).padStart(10, "0")} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R\n/ID ${idArray}\n>>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, "latin1");
}

describe("the PDF/X edition's document ID", () => {
  // Ghostscript writes the ID in whichever form is shorter for its bytes: hex, or a literal string with escapes.
  const hex = "[<2D618AB5D2A38EF28149E4121F78EC91><2D618AB5D2A38EF28149E4121F78EC91>]";
  const literal = "[(\\216\\)x\\(\\\\ab]\x90\xff\\n\\r>cd)(\\216\\)x\\(\\\\ab]\x90\xff\\n\\r>cd)]";

  it("is found in the trailer in either form, escapes and brackets included", () => {
    for (const id of [hex, literal]) {
      const text = pdfWithId(id).toString("latin1");
      const range = trailerIdRange(text)!;
      expect(range).toBeDefined();
      expect(text.slice(range.start, range.end)).toBe(`/ID ${id}`);
    }
  });

  it("is rewritten from the content, the same whichever form Ghostscript chose, and the file still reads", () => {
    const dir = mkdtempSync(join(tmpdir(), "digest-id-"));
    const fixed = [hex, literal].map((id) => withContentDerivedId(pdfWithId(id)));
    expect(fixed[0]!.equals(fixed[1]!)).toBe(true);
    expect(fixed[0]!.toString("latin1")).toMatch(/\/ID \[<([0-9A-F]{32})><\1>\]/);
    // A different document gets a different ID.
    const other = withContentDerivedId(pdfWithId(hex).subarray(0).fill(0x20, 9, 10));
    expect(/\/ID \[<([0-9A-F]{32})>/.exec(other.toString("latin1"))![1]).not.toBe(/\/ID \[<([0-9A-F]{32})>/.exec(fixed[0]!.toString("latin1"))![1]);
    // poppler reads the rewritten file without repairing it.
    const path = join(dir, "fixed.pdf");
    writeFileSync(path, fixed[1]!);
    const out = execFileSync("pdfinfo", [path], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    expect(out).toMatch(/Pages:\s+1/);
  });

  it("leaves a file with no ID as it is", () => {
    const bytes = pdfWithId("[]").toString("latin1").replace("/ID []", "");
    const buf = Buffer.from(bytes, "latin1");
    expect(withContentDerivedId(buf).equals(buf)).toBe(true);
  });

  it("makes Ghostscript's output the same bytes whatever the output file is called", async () => {
    const dir = mkdtempSync(join(tmpdir(), "digest-id-gs-"));
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    doc.addPage([200, 200]).drawText("Same bytes", { x: 20, y: 100, size: 12, font });
    const input = join(dir, "in.pdf");
    writeFileSync(input, await doc.save());
    const date = new Date("2024-10-01T00:00:00Z");
    const outputs = ["a.pdf", "second-name.pdf", "c.pdf"].map((f) => join(dir, f));
    for (const output of outputs) await convertToPdfx(input, output, { title: "ID test", date });
    const [first, ...rest] = outputs.map((f) => readFileSync(f));
    for (const bytes of rest) expect(bytes.equals(first!)).toBe(true);
  });
});
