/** What the alignment knows of a page: its words (running heads and folios left out) and a small grey picture of it. */
export interface PageFingerprint {
  words: string[];
  /** A grey thumbnail of the page, the same size for every page (e.g. 16 × 16 values). */
  thumb: Uint8Array;
}

/** A page of the old PDF matched with one of the new (1-based page numbers); one side is missing for a removed or added page. */
export interface PagePair {
  old?: number;
  new?: number;
  /** The two pages have the same content by their fingerprints (the pixels decide whether it is really unchanged). */
  sameContent: boolean;
}

const meanDifference = (a: Uint8Array, b: Uint8Array) => {
  if (a.length !== b.length) return 255;
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / Math.max(1, a.length);
};

/** Whether two pages carry the same content: the same words, or, for pages without text, nearly the same picture. */
export function sameContent(a: PageFingerprint, b: PageFingerprint): boolean {
  if (a.words.length || b.words.length) return a.words.length === b.words.length && a.words.every((w, i) => w === b.words[i]);
  return meanDifference(a.thumb, b.thumb) < 1.5;
}

/** How alike two pages are, 0 to 1: the words they share (Dice), or for pages without text, their pictures. */
export function similarity(a: PageFingerprint, b: PageFingerprint): number {
  if (!a.words.length && !b.words.length) return Math.max(0, 1 - meanDifference(a.thumb, b.thumb) / 64);
  if (!a.words.length || !b.words.length) return 0;
  const counts = new Map<string, number>();
  for (const w of a.words) counts.set(w, (counts.get(w) ?? 0) + 1);
  let common = 0;
  for (const w of b.words) {
    const n = counts.get(w) ?? 0;
    if (n > 0) {
      common++;
      counts.set(w, n - 1);
    }
  }
  return (2 * common) / (a.words.length + b.words.length);
}

/**
 * Best order-keeping matching of items a[0..m) with b[0..n): `score(i, j)` is the
 * gain of pairing a[i] with b[j], or undefined when they may not be paired.
 * Returns the pairs, in order.
 */
function bestMatching(m: number, n: number, score: (i: number, j: number) => number | undefined): [number, number][] {
  const best = Array.from({ length: m + 1 }, () => new Float64Array(n + 1));
  for (let i = 1; i <= m; i++) {
    for (let j = 1; j <= n; j++) {
      const s = score(i - 1, j - 1);
      best[i]![j] = Math.max(best[i - 1]![j]!, best[i]![j - 1]!, s === undefined ? -Infinity : best[i - 1]![j - 1]! + s);
    }
  }
  const pairs: [number, number][] = [];
  for (let i = m, j = n; i > 0 && j > 0; ) {
    const s = score(i - 1, j - 1);
    if (s !== undefined && best[i]![j] === best[i - 1]![j - 1]! + s) {
      pairs.push([i - 1, j - 1]);
      i--;
      j--;
    } else if (best[i]![j] === best[i - 1]![j]) i--;
    else j--;
  }
  return pairs.reverse();
}

/**
 * Lines up the pages of two editions of a PDF by their content, so that a page
 * inserted early does not make every later page look changed:
 *
 * 1. pages with the same content are matched in order (a longest common
 *    subsequence; among equal choices, a page stays at its own number);
 * 2. between those, the remaining pages are paired in order, as many as
 *    possible, the most alike together: these are the changed pages; the
 *    new pages left over were added, the old ones removed.
 */
export function alignPages(old: PageFingerprint[], next: PageFingerprint[]): PagePair[] {
  // A page keeping its number is worth a little more, never as much as one more match.
  const stay = 1 / (2 * (Math.max(old.length, next.length) + 1));
  const anchors = bestMatching(old.length, next.length, (i, j) => (sameContent(old[i]!, next[j]!) ? 1 + (i === j ? stay : 0) : undefined));
  const pairs: PagePair[] = [];
  let i = 0;
  let j = 0;
  const fill = (iEnd: number, jEnd: number) => {
    const m = iEnd - i;
    const n = jEnd - j;
    // Pairing comes first (a page changed, not removed and added), then likeness.
    const weight = Math.min(m, n) + 1;
    const matched = bestMatching(m, n, (a, b) => weight + similarity(old[i + a]!, next[j + b]!));
    let a = 0;
    let b = 0;
    for (const [pa, pb] of [...matched, [m, n] as [number, number]]) {
      // Left-over pages between two pairs: the removed ones first, in old order, then the added.
      for (; a < pa; a++) pairs.push({ old: i + a + 1, sameContent: false });
      for (; b < pb; b++) pairs.push({ new: j + b + 1, sameContent: false });
      if (pa < m && pb < n) {
        pairs.push({ old: i + pa + 1, new: j + pb + 1, sameContent: false });
        a = pa + 1;
        b = pb + 1;
      }
    }
    i = iEnd;
    j = jEnd;
  };
  for (const [ai, aj] of anchors) {
    fill(ai, aj);
    pairs.push({ old: ai + 1, new: aj + 1, sameContent: true });
    i = ai + 1;
    j = aj + 1;
  }
  fill(old.length, next.length);
  return pairs;
}
