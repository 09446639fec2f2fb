// The folders show the pipeline: each stage's folder may use the stages before it,
// never one after it; no two modules import each other, however far round; no
// source file is longer than a maintainer can hold in mind.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");
/** The stages in the recipe's order. */
const STAGES = ["content", "render", "layout", "press", "preflight"];

/** digest's own import graph, type-only imports included: every `from "./…"` and `import("./…")` of every module under src/, resolved to its file. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|tsx|js)$/.test(entry.name)) {
        const text = readFileSync(path, "utf8");
        const targets = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^import\s+)["'](\.{1,2}\/[^"']+)["']/gm)].map((m) => {
          const target = relative(root, join(dirname(path), m[1]!));
          const ts = target.replace(/\.js$/, ".ts");
          return existsSync(join(root, ts)) ? ts : existsSync(join(root, `${ts}x`)) ? `${ts}x` : target;
        });
        graph.set(relative(root, path), targets);
      }
    }
  };
  walk(join(root, "src"));
  return graph;
}

const stageOf = (file: string) => STAGES.indexOf(/^src\/([^/]+)\//.exec(file)?.[1] ?? "");

describe("the folders show the pipeline", () => {
  it("no stage's folder imports from a later stage", () => {
    const graph = importGraph();
    expect(graph.size).toBeGreaterThan(50);
    const backwards: string[] = [];
    for (const [file, imports] of graph) {
      for (const target of imports) {
        if (stageOf(file) >= 0 && stageOf(target) > stageOf(file)) backwards.push(`${file} → ${target}`);
      }
    }
    expect(backwards).toEqual([]);
  });

  it("no import cycle", () => {
    const graph = importGraph();
    // Tarjan's strongly connected components: any component of more than one module is a cycle.
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const cycles: string[][] = [];
    let next = 0;
    const visit = (v: string) => {
      index.set(v, next);
      low.set(v, next++);
      stack.push(v);
      onStack.add(v);
      for (const w of graph.get(v) ?? []) {
        if (!index.has(w)) {
          visit(w);
          low.set(v, Math.min(low.get(v)!, low.get(w)!));
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
      if (low.get(v) === index.get(v)) {
        const component: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.push(w);
        } while (w !== v);
        if (component.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(component.sort());
      }
    };
    for (const v of graph.keys()) if (!index.has(v)) visit(v);
    expect(cycles).toEqual([]);
  });

  it("no source file over 400 lines", () => {
    const long: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (/\.(ts|tsx|js|css)$/.test(entry.name)) {
          const lines = readFileSync(path, "utf8").split("\n").length;
          if (lines > 400) long.push(`${relative(root, path)}: ${lines} lines`);
        }
      }
    };
    walk(join(root, "src"));
    expect(long).toEqual([]);
  });
});
