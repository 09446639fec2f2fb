import { PDFArray, PDFDocument, PDFDict, PDFName, PDFNumber, PDFHexString, PDFNull, PDFString, type PDFObject, type PDFRef } from "pdf-lib";

/** An entry of the PDF outline (bookmarks): a section or an article and the page it starts on. */
export interface OutlineEntry {
  title: string;
  page: number;
  children?: OutlineEntry[];
}

export interface DocumentInfo {
  title: string;
  author?: string;
  subject?: string;
  keywords?: string[];
  language: string;
  /** The build's date: from SOURCE_DATE_EPOCH when set, so builds can be reproduced. */
  date: Date;
}

export interface PostProcessOptions {
  info: DocumentInfo;
  outline: OutlineEntry[];
  binding: "saddle-stitch" | "perfect";
}

export interface PostProcessResult {
  pageCount: number;
  /** Blank pages added before the back cover so the page count fits the binding. */
  blanksAdded: number;
}

/** Blank pages needed before the back cover: saddle-stitch wants a multiple of 4, perfect binding an even count. */
export function blanksForBinding(pageCount: number, binding: PostProcessOptions["binding"]): number {
  const unit = binding === "saddle-stitch" ? 4 : 2;
  return (unit - (pageCount % unit)) % unit;
}

/** Finishes Chromium's PDF, in place: document info and language, the outline, and blank pages for the binding. */
export function postProcess(doc: PDFDocument, options: PostProcessOptions): PostProcessResult {
  const { info } = options;
  doc.setTitle(info.title, { showInWindowTitleBar: true });
  if (info.author) doc.setAuthor(info.author);
  if (info.subject) doc.setSubject(info.subject);
  if (info.keywords?.length) doc.setKeywords(info.keywords);
  doc.setLanguage(info.language);
  doc.setCreator("digest");
  doc.setProducer("digest (Paged.js, Chromium, pdf-lib)");
  doc.setCreationDate(info.date);
  doc.setModificationDate(info.date);

  // The back cover stays the last page: blanks go in front of it. Earlier folios do not move.
  const blanks = blanksForBinding(doc.getPageCount(), options.binding);
  if (blanks) {
    const last = doc.getPage(doc.getPageCount() - 1);
    const { width, height } = last.getSize();
    for (let i = 0; i < blanks; i++) doc.insertPage(doc.getPageCount() - 1, [width, height]);
  }

  setOutline(doc, options.outline);
  renameNodeIds(doc);
  return { pageCount: doc.getPageCount(), blanksAdded: blanks };
}

/**
 * Chromium names the tagged PDF's elements and the links' destinations after
 * its internal node numbers (`node00000482`), which count every node the
 * renderer made, pages laid out elsewhere and taken in (src/layout/units.ts)
 * included: the same pages could get other numbers. Each name becomes its rank
 * among them (`node00000001`, …), in the same order, so that the name trees stay
 * sorted and the same pages always get the same names.
 */
function renameNodeIds(doc: PDFDocument): void {
  const NODE = /^node(\d+)$/;
  const found = new Set<number>();
  const strings: { holder: PDFDict | PDFArray; key: PDFName | number; value: string }[] = [];
  const visit = (holder: PDFDict | PDFArray, key: PDFName | number, value: PDFObject | undefined) => {
    if (value instanceof PDFString || value instanceof PDFHexString) {
      const text = value.decodeText();
      const m = NODE.exec(text);
      if (m) {
        found.add(Number(m[1]));
        strings.push({ holder, key, value: text });
      }
    } else if (value instanceof PDFDict) {
      for (const [name, inner] of value.entries()) visit(value, name, inner);
    } else if (value instanceof PDFArray) {
      value.asArray().forEach((inner, i) => visit(value, i, inner));
    }
  };
  for (const [, object] of doc.context.enumerateIndirectObjects()) {
    if (object instanceof PDFDict || object instanceof PDFArray) visit(object, 0, object);
  }
  if (!found.size) return;
  const width = String(Math.max(...found)).length;
  const rank = new Map([...found].sort((a, b) => a - b).map((n, i) => [n, i + 1]));
  for (const { holder, key, value } of strings) {
    const renamed = PDFString.of(`node${String(rank.get(Number(NODE.exec(value)![1]))).padStart(width, "0")}`);
    if (holder instanceof PDFDict) holder.set(key as PDFName, renamed);
    else holder.set(key as number, renamed);
  }
}

/** Writes the outline (bookmarks) as a tree of items pointing at the first page of each entry. */
function setOutline(doc: PDFDocument, entries: OutlineEntry[]): void {
  if (!entries.length) return;
  const ctx = doc.context;
  const pages = doc.getPages();
  const rootRef = ctx.nextRef();

  const build = (items: OutlineEntry[], parent: PDFRef): { first: PDFRef; last: PDFRef; count: number } => {
    const refs = items.map(() => ctx.nextRef());
    let count = 0;
    items.forEach((item, i) => {
      const page = pages[Math.min(Math.max(item.page, 1), pages.length) - 1]!;
      const dict = new Map<PDFName, PDFObject>([
        [PDFName.of("Title"), PDFHexString.fromText(item.title)],
        [PDFName.of("Parent"), parent],
        [PDFName.of("Dest"), ctx.obj([page.ref, PDFName.of("XYZ"), PDFNull, PDFNull, PDFNull])],
      ]);
      if (i > 0) dict.set(PDFName.of("Prev"), refs[i - 1]!);
      if (i < items.length - 1) dict.set(PDFName.of("Next"), refs[i + 1]!);
      count++;
      if (item.children?.length) {
        const sub = build(item.children, refs[i]!);
        dict.set(PDFName.of("First"), sub.first);
        dict.set(PDFName.of("Last"), sub.last);
        // A negative count shows the item closed; sections open, so positive.
        dict.set(PDFName.of("Count"), PDFNumber.of(sub.count));
        count += sub.count;
      }
      ctx.assign(refs[i]!, PDFDict.fromMapWithContext(dict, ctx));
    });
    return { first: refs[0]!, last: refs[refs.length - 1]!, count };
  };

  const top = build(entries, rootRef);
  ctx.assign(rootRef, ctx.obj({ Type: "Outlines", First: top.first, Last: top.last, Count: PDFNumber.of(top.count) }));
  doc.catalog.set(PDFName.of("Outlines"), rootRef);
  doc.catalog.set(PDFName.of("PageMode"), PDFName.of("UseOutlines"));
}
