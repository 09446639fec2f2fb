// Copyfitting to the page count (src/layout/page-count.ts), without Chromium: the
// sections' judgements and the layouts of their variants are made up here, and
// the choice must depend on them alone, never on how many layouts run at once
// nor on the order the sections are read in.
import { describe, expect, it } from "vitest";
import { chooseChanges, shareOut, type LayOutSection, type PlannedSection } from "../src/layout/page-count.js";
import type { Judgement, SectionFit } from "../src/layout/copyfit.js";
import { Random } from "../src/fuzz/random.js";

/** A section as judged: its pages and its last page's fill; the unit is its place in print order. */
const section = (name: string, unit: number, pages: number, lastFill: number, sinkable = false): SectionFit => ({ name, unit, pages, lastFill, faults: 0, sinkable, linesPerPage: 120 });
const judged = (sections: SectionFit[]): Judgement => ({ score: 0, sections, pageCount: sections.reduce((n, s) => n + s.pages, 0) + 8 });

/** What each section comes to in each variant: pages and last page's fill ("" where the variant does not change it). */
type Outcomes = Record<string, Record<string, [number, number]>>;

/**
 * Layouts that answer after a delay drawn from `seed`, as renderers working at once finish in any order;
 * every layout asked for is counted.
 */
function layouts(first: Judgement, outcomes: Outcomes, seed: number): { layOut: LayOutSection; asked: string[] } {
  const r = new Random(seed);
  const asked: string[] = [];
  const layOut: LayOutSection = async (s, variant) => {
    asked.push(`${s.name}:${variant}`);
    await new Promise((done) => setTimeout(done, r.int(0, 6)));
    const base = first.sections.find((x) => x.name === s.name)!;
    const [pages, lastFill] = outcomes[s.name]?.[variant] ?? [base.pages, base.lastFill];
    return { fit: { ...base, pages, lastFill }, pages: [{ unit: base.unit, html: `${s.name} ${variant}` }] };
  };
  return { layOut, asked };
}

/** The changes chosen, as `section:variant:pages`, in the order they were taken. */
const said = (chosen: Awaited<ReturnType<typeof chooseChanges>>["chosen"]) => chosen.map((t) => `${t.section.name}:${t.variant}:${t.fit.pages - t.section.pages}`);

describe("copyfitting to the binding's multiple", () => {
  // 45 pages (37 of sections and 8 others): one too many for saddle-stitch.
  const first = judged([section("Foreword", 2, 2, 0.4, true), section("July", 5, 9, 0.5), section("August", 6, 11, 0.06), section("September", 7, 13, 0.9), section("Flash Briefing", 8, 2, 0.5, true)]);
  const outcomes: Outcomes = {
    // August's last page holds a few lines: tighter and a line longer a page pulls them back; tighter alone does not.
    August: { tight: [11, 0.02], "tight+long": [10, 0.97], "tight+long+small": [10, 0.9] },
    July: { "tight+long+small": [9, 0.3] },
    // September's last page is full: looser and a line shorter a page carries it on to a fourteenth.
    September: { loose: [14, 0.1], "loose+short": [14, 0.33] },
  };

  it("sets the section that can lose a page tighter, with the mildest variant that does it: 45 → 44 pages, no filler", async () => {
    const { layOut, asked } = layouts(first, outcomes, 1);
    const { chosen, reach } = await chooseChanges(first, 45, { binding: "saddle-stitch", fill: "house" }, 1, layOut, 1);
    expect(said(chosen)).toEqual(["August:tight+long:-1"]);
    expect(reach).toBe(44);
    // The strongest first (a section it does not move is not tried further), then the milder ones in order.
    expect(asked).toEqual(["August:tight+long+small", "August:tight", "August:tight+long"]);
  });

  it("gains pages by setting sections looser when none can lose one, and leaves the fillers the rest", async () => {
    // 46 pages: two too many, and nothing can lose two; September gains one, the house page takes the other.
    const { layOut } = layouts(first, { ...outcomes, August: {} }, 2);
    const { chosen, reach } = await chooseChanges(first, 46, { binding: "saddle-stitch", fill: "house" }, 1, layOut, 1);
    expect(said(chosen)).toEqual(["September:loose+short:1"]);
    expect(reach).toBe(47);
  });

  it("is deterministic: the same layouts give the same changes whatever the number of layouts at once and whatever the order the sections are read in", async () => {
    const runs: string[][] = [];
    for (const jobs of [1, 2, 4]) {
      for (const order of [first, { ...first, sections: [...first.sections].reverse() }]) {
        for (const seed of [3, 4]) {
          const { layOut } = layouts(order, outcomes, seed * jobs);
          // A budget of 48: three to gain, with two filler pages at hand.
          const { chosen } = await chooseChanges(order, 45, { binding: "saddle-stitch", fill: "house", count: 48 }, 2, layOut, jobs);
          runs.push(said(chosen));
        }
      }
    }
    expect(runs[0]).toEqual(["September:loose+short:1"]);
    for (const run of runs) expect(run).toEqual(runs[0]);
  });
});

describe("a page budget", () => {
  it("is refused when the layouts cannot reach it: no change taken, and how far copyfitting could bring it", async () => {
    const first = judged([section("July", 5, 9, 0.5), section("September", 7, 13, 0.9)]);
    const { layOut } = layouts(first, { September: { "loose+short": [14, 0.33] } }, 5);
    // 30 pages, a budget of 36 and one filler: five to gain, one is all copyfitting finds.
    const { chosen, reach } = await chooseChanges(first, 30, { binding: "saddle-stitch", fill: "house", count: 36 }, 1, layOut, 2);
    expect(chosen).toEqual([]);
    expect(reach).toBe(31);
    // With notes pages asked for, they take what copyfitting cannot.
    const notes = await chooseChanges(first, 30, { binding: "saddle-stitch", fill: "notes", count: 36 }, 1, layouts(first, { September: { "loose+short": [14, 0.33] } }, 5).layOut, 2);
    expect(said(notes.chosen)).toEqual(["September:loose+short:1"]);
  });
});

describe("a page budget's shares", () => {
  const planned = (name: string, pages: number, lastFill: number): PlannedSection => ({ name, firstPage: 0, pages, lastFill, linesPerPage: 120 });

  it("shares the pages the count leaves the text among the sections by their length, in whole pages, and says how far over each runs", () => {
    const shared = shareOut([planned("July", 3, 0.45), planned("August", 4, 0.38), planned("September", 7, 0.87)], 5);
    expect(shared.map((s) => s.share)).toEqual([1, 1, 3]);
    expect(shared.reduce((n, s) => n + s.share!, 0)).toBe(5);
    expect(shared.map((s) => s.over)).toEqual([1.5, 2.4, 3.9]);
    // Under when the count leaves more than the text takes.
    expect(shareOut([planned("July", 3, 0.4)], 4)[0]!.over).toBe(-1.6);
  });
});
