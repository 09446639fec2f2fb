import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

const root = join(import.meta.dirname, "..", "..");

/**
 * A copy of this checkout (its files as git sees them, edits not yet committed
 * included) in a temporary folder, with the installed packages linked in but no
 * `node_modules/.cache`: its own bundle of digest and its own layout cache. A test
 * may change digest's code, stylesheet or fonts there without touching the
 * checkout the other tests run from. Run it as `node <copy>/bin/digest.js …`.
 */
export function copyCheckout(prefix = "digest-checkout-"): string {
  const copy = join(mkdtempSync(join(tmpdir(), prefix)), "digest");
  const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard"], { cwd: root, encoding: "utf8" }).split("\n").filter(Boolean);
  for (const file of files) {
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    cpSync(join(root, file), join(copy, file), { verbatimSymlinks: true });
  }
  mkdirSync(join(copy, "node_modules"));
  for (const name of readdirSync(join(root, "node_modules"))) if (name !== ".cache") symlinkSync(join(root, "node_modules", name), join(copy, "node_modules", name));
  return copy;
}
