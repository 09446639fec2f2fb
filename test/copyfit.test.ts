import { describe, expect, it } from "vitest";
import { chooseVariants, copyfitSettings, NEAR_EMPTY, type Judgement } from "../src/pdf/copyfit.js";

/** A layout's judgement with these sections: name → [pages, fill of the last page]. */
function judged(sections: Record<string, [number, number]>, score = 0): Judgement {
  const list = Object.entries(sections).map(([name, [pages, lastFill]], unit) => ({ name, pages, lastFill, unit, faults: 0 }));
  return { score, sections: list, pageCount: list.reduce((n, s) => n + s.pages, 0) };
}

describe("copyfitting's choice", () => {
  const first = judged({ Foreword: [2, 0.21], April: [11, 0.15], May: [10, 0.6], "Flash Briefing": [2, 0.1] });
  /** Every section of a layout set in one variant. */
  const all = (variant: string, judgement: Judgement) => ({ variants: new Map(judgement.sections.map((s) => [s.name, variant])), judgement });
  const tried = [
    all("tight", judged({ Foreword: [2, 0.15], April: [10, 0.95], May: [10, 0.55], "Flash Briefing": [1, 0.97] })),
    all("loose", judged({ Foreword: [2, 0.3], April: [11, 0.2], May: [10, 0.7], "Flash Briefing": [2, 0.2] })),
  ];

  it("gives each short section the variant that serves it: fewer pages when it pulls the last lines back, else a last page filled past a quarter", () => {
    const chosen = chooseVariants(first, tried);
    expect(Object.fromEntries(chosen)).toEqual({ Foreword: "loose", April: "tight", "Flash Briefing": "tight" });
    // A section that was not short is never touched.
    expect(chosen.has("May")).toBe(false);
    expect(first.sections.find((s) => s.name === "May")!.lastFill).toBeGreaterThan(NEAR_EMPTY);
  });

  it("keeps the first layout of a section that no variant improves", () => {
    const worse = [all("tight", judged({ Foreword: [3, 0.1] }))];
    expect(chooseVariants(judged({ Foreword: [2, 0.2] }), worse).size).toBe(0);
  });

  it("is deterministic: the same judgements give the same choice and the same settings, whatever the order the sections are read in", () => {
    const a = copyfitSettings(chooseVariants(first, tried));
    const reversed = { ...first, sections: [...first.sections].reverse() };
    const b = copyfitSettings(new Map([...chooseVariants(reversed, tried)].sort()));
    expect(copyfitSettings(new Map([...chooseVariants(first, tried)].sort()))).toBe(b);
    expect(a).toBe(copyfitSettings(chooseVariants(first, tried)));
    expect(a).toBe("copyfit=Foreword:loose|April:tight|Flash%20Briefing:tight");
  });
});
