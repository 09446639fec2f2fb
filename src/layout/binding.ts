import type { LaidOutDocument, LayoutStage } from "./paginate.js";

/** What filling the binding did: which optional pages were kept, and how many pages are still missing. */
export interface BindingFill {
  /** The filler pages printed, in order: an ad's file (`ads/house-subscribe.md`), `house` for the house page, `notes` for a notes page. */
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
 * page in it (the `placement: filler` ads, then the house page, then, with
 * `page.fill: notes`, a notes page, before the inside back cover); here, with the
 * page count known (and fitted, src/layout/page-count.ts), the first ones the
 * binding, or the page budget, needs are kept and the rest removed; a notes page
 * is printed as many times as needed. They all follow the last page of
 * text, so no page number, contents entry or link before them moves.
 */
export function fillBinding(binding: "saddle-stitch" | "perfect", result: BindingFill, count?: () => number | undefined): LayoutStage {
  return async ({ page }: LaidOutDocument) => {
    const done = await page.evaluate(
      async (unit: number, target: number | null) => {
        const pages = Array.from(document.querySelectorAll<HTMLElement>(".pagedjs_page"));
        const fillers = pages.filter((p) => p.querySelector("[data-filler]"));
        const without = pages.length - fillers.length;
        const needed = target === null ? (unit - (without % unit)) % unit : Math.max(0, target - without);
        const used = fillers.slice(0, needed);
        for (const p of fillers.slice(needed)) p.remove();
        // Notes pages, when the issue asks for them, as many as still needed: copies of the one laid out.
        const notes = fillers.find((p) => p.querySelector("[data-filler='notes']"));
        while (notes && used.length < needed) {
          const copy = notes.cloneNode(true) as HTMLElement;
          used[used.length - 1]!.after(copy);
          used.push(copy);
        }
        // The pages after the removed ones (the covers) take their new numbers and sides.
        await (window as unknown as { digestRenumberPages(): Promise<void> }).digestRenumberPages();
        return {
          used: used.map((p) => p.querySelector("[data-filler]")!.getAttribute("data-filler")!),
          missing: needed - used.length,
          pages: used.map((p) => Number(p.dataset.pageNumber)),
        };
      },
      bindingUnit(binding),
      count?.() ?? null,
    );
    result.used = done.used;
    result.missing = done.missing;
    result.pages = done.pages;
  };
}
