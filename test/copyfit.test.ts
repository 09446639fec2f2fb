import { describe, expect, it } from "vitest";
import { chooseVariants, copyfitSettings, NEAR_EMPTY, type Judgement } from "../src/layout/copyfit.js";

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

  it("sinks a section's opening only when no other variant mends it, and never to leave it short", () => {
    const short = judged({ Foreword: [2, 0.12], April: [11, 0.15], "Flash Briefing": [2, 0.1] });
    const one = (name: string, variant: string, pages: number, fill: number) => ({ variants: new Map([[name, variant]]), judgement: judged({ [name]: [pages, fill] }) });
    const chosen = chooseVariants(short, [
      // The foreword: only the sink carries its last page past a quarter.
      one("Foreword", "loose", 2, 0.19),
      one("Foreword", "tight+long", 2, 0.09),
      one("Foreword", "sunk", 2, 0.4),
      // April: a line longer a page mends it, so the sink's fuller last page does not count.
      one("April", "tight+long", 10, 0.13),
      one("April", "long", 10, 0.39),
      one("April", "sunk", 10, 0.6),
      // The flash briefing: nothing mends it; a sink that leaves it short is not taken for being fuller.
      one("Flash Briefing", "loose", 2, 0.12),
      one("Flash Briefing", "sunk", 2, 0.25),
    ]);
    expect(Object.fromEntries(chosen)).toEqual({ Foreword: "sunk", April: "long", "Flash Briefing": "loose" });
  });

  it("mends a widow, an orphan or a stranded headline in a section that is not short, never by leaving a near-empty page", () => {
    /** A section's judgement with its faults (a widow weighs 2, a stranded headline 5). */
    const withFaults = (name: string, pages: number, fill: number, faults: number): Judgement => ({ score: faults, pages: undefined, sections: [{ name, pages, lastFill: fill, unit: 4, faults }], pageCount: pages }) as unknown as Judgement;
    const first: Judgement = { score: 7, sections: [...withFaults("May", 9, 0.6, 2).sections, ...withFaults("June", 8, 0.5, 5).sections, ...withFaults("July", 8, 0.7, 0).sections], pageCount: 25 };
    const chosen = chooseVariants(first, [
      // May: tight leaves its last page near-empty; loose takes the widow away.
      { variants: new Map([["May", "tight"]]), judgement: withFaults("May", 9, 0.1, 0) },
      { variants: new Map([["May", "loose"]]), judgement: withFaults("May", 9, 0.65, 0) },
      // June: nothing takes its stranded headline away: it keeps its first layout (and the warning).
      { variants: new Map([["June", "loose"]]), judgement: withFaults("June", 8, 0.55, 5) },
      // July has no fault and is not short: it is not touched, whatever a variant does.
      { variants: new Map([["July", "tight"]]), judgement: withFaults("July", 7, 0.9, 0) },
    ]);
    expect(Object.fromEntries(chosen)).toEqual({ May: "loose" });
  });

  it("is deterministic: the same judgements give the same choice and the same settings, in print order, whatever the order the sections are read in", () => {
    const a = copyfitSettings(chooseVariants(first, tried));
    expect(a).toBe("copyfit=Foreword:loose|April:tight|Flash%20Briefing:tight");
    // Read backwards (each section keeps its unit): the same settings, in the same order, with nothing sorted here.
    const reversed = { ...first, sections: [...first.sections].reverse() };
    expect(copyfitSettings(chooseVariants(reversed, tried))).toBe(a);
    // The layouts tried, in the other order too.
    expect(copyfitSettings(chooseVariants(reversed, [...tried].reverse()))).toBe(a);
    expect([...chooseVariants(reversed, tried).keys()]).toEqual(["Foreword", "April", "Flash Briefing"]);
  });

  it("takes the earlier variant of two that serve a section equally, whatever the order they were tried in", () => {
    const short = judged({ Foreword: [2, 0.12] });
    const same = (variant: string) => ({ variants: new Map([["Foreword", variant]]), judgement: judged({ Foreword: [2, 0.5] }) });
    expect(Object.fromEntries(chooseVariants(short, [same("tight"), same("loose")]))).toEqual({ Foreword: "tight" });
    expect(Object.fromEntries(chooseVariants(short, [same("loose"), same("tight")]))).toEqual({ Foreword: "tight" });
  });
});
