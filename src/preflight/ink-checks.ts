// The checks of what prints on the plates: total ink, small text on several
// plates, hairlines, and annotations that have no place on paper.
import { PDFDict, PDFDocument, type PDFObject } from "pdf-lib";
import { isNeutral, platesOf, type Colour, type PageMarks } from "./page-marks.js";
import { check, name, plural, unique, type PreflightCheck } from "./check.js";

export function checkInkCoverage(coverage: number[] | Error | undefined, limit: number, skipped: string): PreflightCheck {
  const title = `Total area coverage ≤ ${limit} %`;
  if (!coverage) return check("ink-coverage", title, "pass", skipped);
  // A check that could not run is not a pass: said, and the rest of the report stands.
  if (coverage instanceof Error) return check("ink-coverage", title, "warn", `not measured: ${coverage.message}`);
  if (!coverage.length) return check("ink-coverage", title, "pass", "no pages");
  const highest = Math.max(...coverage);
  const page = coverage.indexOf(highest) + 1;
  const over = coverage.flatMap((c, i) => (c > limit ? [i + 1] : []));
  if (!over.length) return check("ink-coverage", title, "pass", `highest ${highest} % (p. ${page})`);
  return check("ink-coverage", title, "fail", `highest ${highest} % (p. ${page}), over ${limit} % on ${plural(over.length, "page")}: lighten the darkest colours or pictures`, over);
}

/** Text this small fuzzes when the plates are out of register: black and grey belong on the black plate alone. */
export const SMALL_TEXT_PT = 12;
export const pt = (n: number) => `${Number(n.toFixed(2))} pt`;

export function checkSmallText(marks: PageMarks[], skipped: string | undefined): PreflightCheck {
  const title = `Text below ${SMALL_TEXT_PT} pt on one plate`;
  if (skipped) return check("small-text", title, "pass", skipped);
  const found = { neutral: { pages: new Set<number>(), smallest: Infinity }, colour: { pages: new Set<number>(), smallest: Infinity } };
  let [small, unknown] = [0, 0];
  marks.forEach((m, i) => {
    for (const run of m.text) {
      if (run.size >= SMALL_TEXT_PT - 0.01) continue;
      small++;
      const plates = new Set(run.colours.flatMap((c: Colour) => platesOf(c) ?? ["?"]));
      if (plates.has("?")) unknown++;
      if (plates.size - (plates.has("?") ? 1 : 0) < 2) continue;
      const kind = run.colours.every(isNeutral) ? found.neutral : found.colour;
      kind.pages.add(i + 1);
      kind.smallest = Math.min(kind.smallest, run.size);
    }
  });
  const { neutral, colour } = found;
  const coloured = colour.pages.size ? `coloured text on several plates, down to ${pt(colour.smallest)} (keep it bold or large enough to stand misregistration)` : "";
  if (neutral.pages.size) {
    const detail = [`black or grey text on several plates, down to ${pt(neutral.smallest)}: set it in black only (K)`, coloured].filter(Boolean).join("; ");
    return check("small-text", title, "fail", detail, unique([...neutral.pages, ...colour.pages]));
  }
  if (coloured) return check("small-text", title, "note", `black and grey on the black plate only; ${coloured}`, unique(colour.pages));
  if (!small) return check("small-text", title, "pass", `no text below ${SMALL_TEXT_PT} pt`);
  if (unknown) return check("small-text", title, "pass", "RGB text: its plates are set when it is converted to CMYK (the PDF/X edition prints black and grey on K only)");
  return check("small-text", title, "pass", "black and grey on the black plate only");
}

/** Lines thinner than this may break up or vanish on the press. */
export const HAIRLINE_PT = 0.25;

export function checkHairlines(marks: PageMarks[], screen: boolean): PreflightCheck {
  const title = `No lines thinner than ${HAIRLINE_PT} pt`;
  if (screen) return check("hairlines", title, "pass", "screen edition");
  const pages = new Set<number>();
  let [count, thinnest] = [0, Infinity];
  marks.forEach((m, i) => {
    for (const line of m.lines) {
      if (line.width >= HAIRLINE_PT - 0.001) continue;
      pages.add(i + 1);
      count++;
      thinnest = Math.min(thinnest, line.width);
    }
  });
  if (!count) return check("hairlines", title, "pass", "none");
  const width = thinnest === 0 ? "0 pt (the thinnest the output device can draw)" : pt(thinnest);
  return check("hairlines", title, "warn", `${plural(count, "line")} thinner than ${HAIRLINE_PT} pt, thinnest ${width}: may not print`, unique(pages));
}

/** Annotations a printer wants: marks of the printing itself. Anything else (links, comments, form fields) has no place on paper. */
export const PRINTER_ANNOTATIONS = new Set(["/PrinterMark", "/TrapNet"]);

export interface AnnotationsFound { onPages: Map<string, number[]>; leftInFile: number }

/** Annotations on the pages (by kind), and annotation objects that no page shows but the file still holds. */
export function findAnnotations(doc: PDFDocument): AnnotationsFound {
  const onPages = new Map<string, number[]>();
  const shown = new Set<PDFObject>();
  doc.getPages().forEach((page, i) => {
    for (const ref of page.node.Annots()?.asArray() ?? []) {
      shown.add(ref);
      const kind = doc.context.lookupMaybe(ref, PDFDict)?.get(name("Subtype"))?.toString() ?? "/Annot";
      if (!PRINTER_ANNOTATIONS.has(kind)) onPages.set(kind, [...(onPages.get(kind) ?? []), i + 1]);
    }
  });
  let leftInFile = 0;
  for (const [ref, object] of doc.context.enumerateIndirectObjects()) {
    if (shown.has(ref) || !(object instanceof PDFDict)) continue;
    const isAnnot = object.get(name("Type")) === name("Annot") || (object.has(name("Rect")) && object.has(name("Subtype")) && !object.has(name("Type")));
    if (isAnnot && !PRINTER_ANNOTATIONS.has(object.get(name("Subtype"))?.toString() ?? "")) leftInFile++;
  }
  return { onPages, leftInFile };
}

export function checkAnnotations(found: AnnotationsFound, screen: boolean): PreflightCheck {
  const title = screen ? "Annotations (screen)" : "No annotations (print)";
  const onPages = [...found.onPages.entries()];
  const count = onPages.reduce((n, [, p]) => n + p.length, 0);
  if (screen) return check("annotations", title, "pass", count ? `${plural(count, "annotation")} (links work on screen)` : "none");
  if (count) {
    const kinds = onPages.map(([kind, p]) => `${p.length} ${kind.slice(1)}`).join(", ");
    return check("annotations", title, "fail", `${kinds} on the pages: a print edition has no links or comments`, unique(onPages.flatMap(([, p]) => p)));
  }
  if (found.leftInFile) return check("annotations", title, "warn", `${plural(found.leftInFile, "annotation")} left in the file on no page (a validator reports them)`);
  return check("annotations", title, "pass", "none");
}
