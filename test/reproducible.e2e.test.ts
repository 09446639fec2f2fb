import { describe, expect, it } from "vitest";
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/**
 * The same sources give the same bytes: twice in one checkout, and once more in a
 * second checkout at another path (with its own npm install), for every edition.
 */
const root = join(import.meta.dirname, "..");
const env = { ...process.env, SOURCE_DATE_EPOCH: "1727740800" };

function build(checkout: string, out: string): Record<string, string> {
  const r = spawnSync(process.execPath, [join(checkout, "bin", "digest.js"), "-q", "build", "2024-q3", "--no-cache", "--out", join(out, "2024-q3.pdf"), "--screen", "--pdfx"], {
    cwd: checkout,
    env,
    encoding: "utf8",
    timeout: 240_000,
  });
  expect(r.status, r.stderr).toBe(0);
  const hash = (f: string) => createHash("sha256").update(readFileSync(join(out, f))).digest("hex");
  return { print: hash("2024-q3.pdf"), screen: hash("2024-q3.screen.pdf"), pdfx: hash("2024-q3.pdfx.pdf") };
}

describe("reproducible PDFs", () => {
  it("are byte-identical across two builds and two checkouts at different paths", () => {
    const first = build(root, mkdtempSync(join(tmpdir(), "digest-repro-a-")));
    const second = build(root, mkdtempSync(join(tmpdir(), "digest-repro-b-")));
    expect(second).toEqual(first);

    // A second checkout: the project's files (as git sees them) at another path, installed afresh.
    const other = join(mkdtempSync(join(tmpdir(), "digest-checkout-")), "elsewhere", "digest");
    const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard"], { cwd: root, encoding: "utf8" }).split("\n").filter(Boolean);
    for (const file of files) {
      mkdirSync(dirname(join(other, file)), { recursive: true });
      cpSync(join(root, file), join(other, file), { verbatimSymlinks: true });
    }
    const install = spawnSync("npm", ["ci", "--prefer-offline", "--no-audit", "--no-fund"], { cwd: other, env: { ...env, PUPPETEER_SKIP_DOWNLOAD: "1" }, encoding: "utf8", timeout: 600_000 });
    expect(install.status, install.stderr).toBe(0);
    const third = build(other, mkdtempSync(join(tmpdir(), "digest-repro-c-")));
    expect(third).toEqual(first);
  });

  it("take their date from SOURCE_DATE_EPOCH", () => {
    const out = mkdtempSync(join(tmpdir(), "digest-repro-d-"));
    build(root, out);
    const info = execFileSync("pdfinfo", [join(out, "2024-q3.pdf")], { encoding: "utf8" });
    expect(info).toMatch(/CreationDate:\s+Tue Oct\s+1 00:00:00 2024 UTC/);
  });
});
