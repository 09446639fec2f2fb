import { describe, expect, it } from "vitest";
import type { Element, Root } from "hast";
import { addressPieces, breakLongAddresses } from "../src/content/break-points.js";

describe("long addresses", () => {
  it("are cut into pieces after / and @ and before . and -, never inside //", () => {
    expect(addressPieces("https://www.example.org/ministerial-conference/2024?lang=en#top")).toEqual([
      "https://",
      "www",
      ".example",
      ".org/",
      "ministerial",
      "-conference/",
      "2024?",
      "lang=",
      "en",
      "#top",
    ]);
    expect(addressPieces("s-cica@s-cica.org")).toEqual(["s", "-cica@", "s", "-cica", ".org"]);
    expect(addressPieces("a.b").join("")).toBe("a.b");
  });

  it("wrap between their pieces, set ragged-right; short ones, plain words and code are left alone", () => {
    const tree: Root = {
      type: "root",
      children: [
        { type: "element", tagName: "p", properties: {}, children: [{ type: "text", value: "See https://www.example.org/press-centre/news for more, or mail info@ex.org." }] },
        { type: "element", tagName: "p", properties: {}, children: [{ type: "text", value: "Intergovernmentalisation is a long word." }] },
        { type: "element", tagName: "pre", properties: {}, children: [{ type: "element", tagName: "code", properties: {}, children: [{ type: "text", value: "https://www.example.org/press-centre/news" }] }] },
      ],
    };
    breakLongAddresses(tree);
    const [first, second, code] = tree.children as Element[];
    expect(first!.properties.className).toEqual(["with-address"]);
    const pieces = first!.children.filter((c) => c.type === "element" && c.tagName === "span").map((c) => ((c as Element).children[0] as { value: string }).value);
    expect(pieces.join("")).toBe("https://www.example.org/press-centre/news");
    expect(first!.children.filter((c) => c.type === "element" && c.tagName === "wbr")).toHaveLength(pieces.length - 1);
    // The short e-mail address stays as typed, in the text around it.
    const text = first!.children.filter((c) => c.type === "text").map((c) => (c as { value: string }).value).join("|");
    expect(text).toBe("See | for more, or mail info@ex.org.");
    expect(second!.children).toHaveLength(1);
    expect(second!.properties.className).toBeUndefined();
    expect((code!.children[0] as Element).children).toHaveLength(1);
  });
});
