import type { LaidOutDocument, LayoutStage } from "./paginate.js";

/** What filling the binding did: which optional pages were kept, and how many pages are still missing. */
export interface BindingFill {
  /** The filler pages printed, in order: an ad's file (`ads/house-subscribe.md`), or `house` for the house page. */
  used: string[];
  /** Pages the binding still needs after every filler: blank pages go before the back cover. */
  missing: number;
  /** The page numbers of the filler pages printed. */
  pages: number[];
}

/** Pages a binding takes in: saddle-stitch a multiple of 4, perfect binding an even count. */
export function bindingUnit(binding: "saddle-stitch" | "perfect"): number {
  return binding === "saddle-stitch" ? 4 : 2;
}

/**
 * The stage that fills the binding. The document is laid out with every filler
 * page in it (the `placement: filler` ads, then the house page, before the inside
 * back cover); here, with the page count known, the first ones the binding needs
 * are kept and the rest removed. They all follow the last page of text,
 * so no page number, contents entry or link before them moves.
 */
export function fillBinding(binding: "saddle-stitch" | "perfect", result: BindingFill): LayoutStage {
  return async ({ page }: LaidOutDocument) => {
    const done = await page.evaluate(async (unit: number) => {
      const pages = Array.from(document.querySelectorAll<HTMLElement>(".pagedjs_page"));
      const fillers = pages.filter((p) => p.querySelector("[data-filler]"));
      const without = pages.length - fillers.length;
      const needed = (unit - (without % unit)) % unit;
      const used = fillers.slice(0, needed);
      for (const p of fillers.slice(needed)) p.remove();
      // The pages after the removed ones (the covers) take their new numbers and sides.
      await (window as unknown as { digestRenumberPages(): Promise<void> }).digestRenumberPages();
      return {
        used: used.map((p) => p.querySelector("[data-filler]")!.getAttribute("data-filler")!),
        missing: needed - used.length,
        pages: used.map((p) => Number(p.dataset.pageNumber)),
      };
    }, bindingUnit(binding));
    result.used = done.used;
    result.missing = done.missing;
    result.pages = done.pages;
  };
}
