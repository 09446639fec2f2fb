import { LineCounter, parseDocument, isMap, isPair, isScalar, visit, type Document, type Node } from "yaml";
import type { Point } from "unist";
import { LIMITS } from "./limits.js";

/** A parsed YAML document that can say where any of its values stands in the source file. */
export interface LocatedYaml {
  data: unknown;
  /** Where the value at `path` (or, for `key`, the key itself) stands in the file; the document's start when absent. */
  locate(path: (string | number)[], key?: boolean): Point;
  /** YAML syntax errors and limits reached, located; a limit says its rule and hint. */
  syntaxErrors: { message: string; place: Point; ruleId?: string; hint?: string }[];
}

/** Parses YAML whose first line is line `firstLine` of its file (front matter starts on line 2). */
export function parseYaml(source: string, firstLine = 1): LocatedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const toPoint = (offset: number): Point => {
    const { line, col } = lineCounter.linePos(offset);
    return { line: line + firstLine - 1, column: col };
  };
  const syntaxErrors: LocatedYaml["syntaxErrors"] = doc.errors.map((e) =>
      // The parser catches its own stack overflow on nesting like `[[[[…`.
      /call stack/i.test(e.message)
        ? { message: "it is nested deeper than digest can follow", place: toPoint(e.pos[0]), ruleId: "too-deeply-nested", hint: "Write the YAML flatter: front matter holds a few keys and short lists" }
        : { message: e.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, ""), place: toPoint(e.pos[0]) },
  );
  let data: unknown;
  if (!syntaxErrors.length) {
    try {
      data = doc.toJS({ maxAliasCount: LIMITS.yamlAliases });
    } catch (error) {
      if (!/alias/i.test((error as Error).message) && !(error instanceof RangeError)) throw error;
      let first = 0;
      visit(doc, {
        Alias(_, node) {
          first = node.range?.[0] ?? 0;
          return visit.BREAK;
        },
      });
      syntaxErrors.push(
        error instanceof RangeError
          ? { message: "it is nested deeper than digest can follow", place: toPoint(first), ruleId: "too-deeply-nested", hint: "Write the YAML flatter" }
          : {
              message: `its aliases (\`*name\`) expand to more than ${LIMITS.yamlAliases} values (the YAML alias limit)`,
              place: toPoint(first),
              ruleId: "too-many-aliases",
              hint: "Write the values out instead of repeating them with anchors (`&name`) and aliases (`*name`)",
            },
      );
    }
  }
  return {
    data,
    syntaxErrors,
    locate(path, key = false) {
      const node = findNode(doc, path, key);
      return toPoint(node?.range?.[0] ?? 0);
    },
  };
}

function findNode(doc: Document, path: (string | number)[], key: boolean): Node | undefined {
  // Walk down as far as the path exists: a missing key is reported at its parent.
  let node: unknown = doc.contents;
  let found = node as Node | undefined;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i]!;
    if (!node || typeof node !== "object" || !("items" in node)) break;
    const items = (node as { items: unknown[] }).items;
    let next: unknown;
    if (isMap(node)) {
      const pair = items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === segment);
      if (!pair || !isPair(pair)) break;
      next = key && i === path.length - 1 ? pair.key : pair.value;
    } else {
      next = items[Number(segment)];
    }
    if (!next) break;
    node = next;
    found = next as Node;
  }
  return found;
}

/** A Markdown file split into its front matter and its body. */
export interface SplitFile {
  /** The front matter's YAML, or undefined when the file has none. */
  frontMatter?: string;
  /**
   * The body with the front matter blanked out (replaced by empty lines, not cut),
   * so Markdown positions are the file's own line numbers.
   */
  body: string;
}

/** Splits `---` front matter from a Markdown file. */
export function splitFrontMatter(text: string): SplitFile {
  const source = text.replace(/^\uFEFF/, "");
  const match = /^---[ \t]*\r?\n([\s\S]*?\r?\n)?---[ \t]*(?:\r?\n|$)/.exec(source);
  if (!match) return { body: source };
  const block = match[0];
  const blanked = block.replace(/[^\n]/g, "");
  return { frontMatter: match[1] ?? "", body: blanked + source.slice(block.length) };
}
