import type { Root as MdastRoot } from "mdast";
import type { Node } from "unist";
import type { Point } from "unist";

/**
 * The limits digest reads within. Each guards against a file that would crash the
 * build (a stack overflow), hang it (a parse that grows with the square of the
 * nesting) or exhaust memory; each is reported as a located error that names it.
 */
export const LIMITS = {
  /** A Markdown or YAML file: an issue's longest article is some tens of kilobytes. */
  textBytes: 2 * 1024 * 1024,
  /** A picture file. */
  pictureBytes: 200 * 1024 * 1024,
  /** A picture's pixels (width × height): a full A3 spread at 300 ppi is 35 million. */
  picturePixels: 100_000_000,
  /** Quotes and lists inside one another. */
  nesting: 16,
  /** Columns of indentation before a quote or list marker (16 levels of four-space indentation). */
  indentColumns: 64,
  /** Links, pictures and emphasis inside one another in one paragraph. */
  inlineNesting: 32,
  /** The Markdown tree as a whole, blocks and inline together. */
  treeDepth: 64,
  /** Aliases (`*name`) a YAML document may expand. */
  yamlAliases: 100,
} as const;

/** A limit reached, where, and what to say about it. */
export interface LimitHit {
  place: Point;
  reason: string;
  hint: string;
}

const CONTAINER = /^[ \t]*(?:>|[-+*](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$))[ \t]?/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/** The width of leading white space, tabs to the next multiple of four. */
function indentOf(line: string): number {
  let columns = 0;
  for (const ch of line) {
    if (ch === " ") columns++;
    else if (ch === "\t") columns += 4 - (columns % 4);
    else break;
  }
  return columns;
}

/**
 * Looks over a Markdown body, line by line and without parsing it, for nesting
 * that the parser would take minutes over or overflow its stack on: quotes and
 * lists opened deeper than the limit on one line (`>>>>…`, `- - - …`), markers
 * indented past the limit, and brackets or emphasis opened deeper than the limit
 * in one paragraph. Fenced code is passed over. Returns the first limit hit.
 */
export function scanNesting(body: string): LimitHit | undefined {
  const lines = body.split("\n");
  let fence: string | undefined;
  let brackets = 0;
  let emphasis = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fenced = FENCE.exec(line);
    if (fence) {
      if (fenced && fenced[1]![0] === fence[0] && fenced[1]!.length >= fence.length) fence = undefined;
      continue;
    }
    if (fenced) {
      fence = fenced[1];
      continue;
    }
    if (!line.trim()) {
      brackets = 0;
      emphasis = 0;
      continue;
    }
    // Containers opened on this line.
    let rest = line;
    let depth = 0;
    for (let m = CONTAINER.exec(rest); m && m[0].length; m = CONTAINER.exec(rest)) {
      const indent = indentOf(rest);
      if (indent > LIMITS.indentColumns) {
        return {
          place: { line: i + 1, column: 1 },
          reason: `Cannot read this line: its quote or list marker is indented ${indent} columns, more than the ${LIMITS.indentColumns} digest reads`,
          hint: `Quotes and lists may be nested at most ${LIMITS.nesting} deep: indent less`,
        };
      }
      depth++;
      rest = rest.slice(m[0].length);
      if (depth > LIMITS.nesting) {
        return {
          place: { line: i + 1, column: 1 },
          reason: `Cannot nest quotes and lists more than ${LIMITS.nesting} deep: this line opens more`,
          hint: "Flatten the quotes or lists (a magazine page has room for a few levels only)",
        };
      }
    }
    // Brackets and emphasis opened and not yet closed in this paragraph.
    for (let k = 0; k < line.length; k++) {
      const ch = line[k]!;
      if (ch === "\\") {
        k++;
        continue;
      }
      if (ch === "[") brackets++;
      else if (ch === "]") brackets = Math.max(0, brackets - 1);
      else if (ch === "*" || ch === "_" || ch === "~") {
        let end = k;
        while (line[end + 1] === ch) end++;
        const run = end - k + 1;
        const before = line[k - 1] ?? " ";
        const after = line[end + 1] ?? " ";
        const opens = !/\s/.test(after) && (/\s|\p{P}/u.test(before) || !/\p{P}/u.test(after));
        const closes = !/\s/.test(before) && (/\s|\p{P}/u.test(after) || !/\p{P}/u.test(before));
        if (opens && !closes) emphasis += run;
        else if (closes && !opens) emphasis = Math.max(0, emphasis - run);
        k = end;
      } else continue;
      if (brackets > LIMITS.inlineNesting || emphasis > 2 * LIMITS.inlineNesting) {
        return {
          place: { line: i + 1, column: k + 1 },
          reason: `Cannot nest ${brackets > LIMITS.inlineNesting ? "links and pictures (`[`)" : "emphasis (`*`, `_`, `~`)"} more than ${LIMITS.inlineNesting} deep in one paragraph: this one opens more`,
          hint: "Close what is opened (`]`, `*`), or escape the characters meant as text with a backslash (`\\[`, `\\*`)",
        };
      }
    }
  }
  return undefined;
}

const CONTAINERS = new Set(["blockquote", "listItem"]);

/**
 * The parsed tree's nesting, measured without recursion: quotes and list items
 * within one another past `LIMITS.nesting`, or any node past `LIMITS.treeDepth`
 * (inline nesting the line scan did not foresee). Returns the first node too deep.
 */
export function treeTooDeep(tree: MdastRoot): LimitHit | undefined {
  const stack: { node: Node; depth: number; containers: number }[] = [{ node: tree, depth: 0, containers: 0 }];
  while (stack.length) {
    const { node, depth, containers } = stack.pop()!;
    const place = node.position?.start ?? { line: 1, column: 1 };
    if (containers > LIMITS.nesting) {
      return { place, reason: `Cannot nest quotes and lists more than ${LIMITS.nesting} deep`, hint: "Flatten the quotes or lists (a magazine page has room for a few levels only)" };
    }
    if (depth > LIMITS.treeDepth) {
      return { place, reason: `Cannot nest Markdown more than ${LIMITS.treeDepth} levels deep (quotes, lists, links and emphasis together)`, hint: "Close what is opened, or write it flatter" };
    }
    const children = (node as { children?: Node[] }).children;
    if (!children) continue;
    for (let i = children.length - 1; i >= 0; i--) {
      const child = children[i]!;
      stack.push({ node: child, depth: depth + 1, containers: containers + (CONTAINERS.has(child.type) ? 1 : 0) });
    }
  }
  return undefined;
}

/** `2.1 MB`, as messages give a file's size. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, "")} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}
