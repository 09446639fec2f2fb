// The date written into every edition, taken from the sources so that a build is reproducible.
import { execFileSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/**
 * The date written into the PDFs, so that the same sources give the same bytes:
 * SOURCE_DATE_EPOCH when set, else the time of the last commit that touched the
 * issue folder, else the newest file in it.
 */
export function buildDate(issueDir: string): Date {
  const epoch = process.env.SOURCE_DATE_EPOCH;
  if (epoch && /^\d+$/.test(epoch)) return new Date(Number(epoch) * 1000);
  try {
    const committed = execFileSync("git", ["log", "-1", "--format=%ct", "--", "."], { cwd: issueDir, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    if (/^\d+$/.test(committed)) return new Date(Number(committed) * 1000);
  } catch {
    // not in a git checkout, or no git: the files' own times will do
  }
  let newest = 0;
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  walk(issueDir);
  return new Date(Math.floor(newest / 1000) * 1000);
}
