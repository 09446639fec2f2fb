// The CommonMark spec's examples (npm package commonmark-spec) as articles of an
// issue, batched: as many examples in one article as can stand together without
// changing one another, each after a marker paragraph `§N§`; an example that changes
// or is changed by its neighbours (an unclosed fence, a link definition another uses)
// gets an article of its own, titled `Solo §N§`.
import { createRequire } from "node:module";
import { unified } from "unified";
import remarkParse from "remark-parse";
import remarkGfm from "remark-gfm";
import type { Root, RootContent } from "mdast";

export interface SpecExample {
  number: number;
  section: string;
  markdown: string;
  html: string;
}

/** All examples of the spec, tabs as tabs (the spec shows them as →). */
export function specExamples(): SpecExample[] {
  const spec = createRequire(import.meta.url)("commonmark-spec") as { tests: SpecExample[] };
  return spec.tests.map((t) => ({ ...t, markdown: t.markdown.replace(/→/g, "\t"), html: t.html.replace(/→/g, "\t") }));
}

const parser = unified().use(remarkParse).use(remarkGfm);
const marker = (n: number) => `§${n}§`;

/** A tree as JSON, without positions: what it means, not where it stands. */
function meaning(nodes: RootContent[]): string {
  return JSON.stringify(nodes, (key, value) => (key === "position" ? undefined : value));
}

/** An article's body: the examples, each after its marker paragraph. */
function batchText(examples: SpecExample[]): string {
  return examples.map((e) => `${marker(e.number)}\n\n${e.markdown}`).join("\n\n");
}

/** The first example of a batch that does not parse in it as it does alone, after its marker; undefined when all do. */
function firstMisfit(examples: SpecExample[], solo: Map<number, string>): number | undefined {
  const tree = parser.parse(batchText(examples)) as Root;
  const markers = tree.children.flatMap((node, i) => {
    if (node.type !== "paragraph" || node.children.length !== 1 || node.children[0]!.type !== "text") return [];
    const m = /^§(\d+)§$/.exec(node.children[0]!.value);
    return m ? [{ n: Number(m[1]), i }] : [];
  });
  for (const [k, example] of examples.entries()) {
    const m = markers[k];
    // A marker swallowed (by an unclosed fence before it) or changed (into a heading by `===` after it).
    if (!m || m.n !== example.number) return Math.max(0, k - 1);
    if (meaning(tree.children.slice(m.i + 1, markers[k + 1]?.i ?? tree.children.length)) !== solo.get(m.n)) return k;
  }
  return undefined;
}

export interface Article {
  /** The file name in the month folder. */
  name: string;
  title: string;
  examples: SpecExample[];
  /** Set alone, without a marker: its title carries the number. */
  solo: boolean;
}

/** The examples in articles: batches of at most `size`, and solo articles for the examples that cannot share one. */
export function batchExamples(examples: SpecExample[], size = 60): Article[] {
  const solo = new Map(examples.map((e) => [e.number, meaning((parser.parse(e.markdown) as Root).children)]));
  const batches: SpecExample[][] = [];
  const alone: SpecExample[] = [];
  let pending = examples;
  // Each round batches what is pending; the examples taken out of a batch (the first misfit, until it fits) are pending for the next round.
  while (pending.length) {
    const next: SpecExample[] = [];
    for (let i = 0; i < pending.length; i += size) {
      const batch = pending.slice(i, i + size);
      for (let k = firstMisfit(batch, solo); k !== undefined; k = firstMisfit(batch, solo)) next.push(...batch.splice(k, 1));
      if (batch.length > 1 || (batch.length === 1 && next.length < pending.length)) batches.push(batch);
      else alone.push(...batch);
    }
    // No progress: what is left stands alone.
    if (next.length === pending.length) {
      alone.push(...next);
      break;
    }
    pending = next.sort((a, b) => a.number - b.number);
  }
  const articles: Article[] = [];
  for (const [k, batch] of batches.entries()) {
    articles.push({ name: `${String(articles.length + 1).padStart(3, "0")}-batch-${k + 1}.md`, title: `Batch ${k + 1}`, examples: batch, solo: false });
  }
  for (const example of alone.sort((a, b) => a.number - b.number)) {
    articles.push({ name: `${String(articles.length + 1).padStart(3, "0")}-solo-${example.number}.md`, title: `Solo ${marker(example.number)}`, examples: [example], solo: true });
  }
  return articles;
}

/** The article's file, and the lines (first, last) each example stands on in it. */
export function articleFile(article: Article): { text: string; lines: Map<number, [number, number]> } {
  const head = `---\ntitle: "${article.title}"\n---\n\n`;
  let text = head;
  const lines = new Map<number, [number, number]>();
  const lineOf = (s: string) => s.split("\n").length;
  for (const [i, e] of article.examples.entries()) {
    if (!article.solo) text += `${i ? "\n\n" : ""}${marker(e.number)}\n\n`;
    const first = lineOf(text);
    text += e.markdown;
    lines.set(e.number, [first, Math.max(first, lineOf(text) - (e.markdown.endsWith("\n") ? 1 : 0))]);
  }
  return { text, lines };
}
