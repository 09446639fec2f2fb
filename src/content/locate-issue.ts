import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { nearest, resolveIssueDir } from "./load-issue.js";
import { DigestError } from "../errors.js";

/** Finds an issue folder or fails with the nearest names that exist. */
export function locateIssue(name: string, cwd: string): string {
  const dir = resolveIssueDir(name, cwd);
  if (dir) return dir;
  let names: string[] = [];
  try {
    names = readdirSync(join(cwd, "issues"), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
  } catch {
    // no issues/ folder: nothing to suggest
  }
  const near = nearest(name, names);
  throw new DigestError(
    `Cannot find the issue \`${name}\``,
    near ? `Did you mean \`${near}\`?` : names.length ? `Issues here: ${names.join(", ")}` : "Give a folder path, or run digest in the folder that holds issues/.",
  );
}

/** The issues under `issues/`: the folders that have an issue.yml, in name order. */
export function listIssues(cwd: string): string[] {
  const dir = join(cwd, "issues");
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith("_") && !d.name.startsWith(".") && existsSync(join(dir, d.name, "issue.yml")))
    .map((d) => d.name)
    .sort();
}
