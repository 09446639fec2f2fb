import { describe, expect, it } from "vitest";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeBadPdfs } from "./helpers/bad-pdfs.js";

const root = join(import.meta.dirname, "..");
const bin = join(root, "bin", "digest.js");

function digest(args: string[], cwd = root, env: NodeJS.ProcessEnv = process.env) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, env, encoding: "utf8", timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("the digest command", () => {
  it("prints its version and help", () => {
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
    expect(digest(["--version"]).stdout.trim()).toBe(pkg.version);
    const help = digest(["build", "--help"]).stdout;
    for (const flag of ["--out <file>", "--html", "--browser <path>", "--timeout <seconds>", "--jobs <n>", "--min-share <characters>", "--no-cache"]) expect(help).toContain(flag);
    // A share of the first layout is some characters of markup: a whole number, 1 or more.
    for (const bad of ["0", "lots", "1.5"]) expect(digest(["build", "2024-q3", "--min-share", bad]).stderr).toContain("Expected a whole number of characters");
  });

  it("reports content errors located, without a stack trace, exits 1, and leaves the earlier PDF as it was", () => {
    const dir = mkdtempSync(join(tmpdir(), "digest-cli-"));
    const out = join(dir, "issue.pdf");
    writeFileSync(out, "an earlier PDF");
    const fixture = join(root, "test", "fixtures", "broken", "unknown-key", "2024-q3");
    const r = digest(["build", fixture, "--out", out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/months\/2024-07\/01-first\.md\n\s*3:1\s+error\s+Unknown key `titel`/);
    expect(r.stderr).toContain("digest: 1 problem in the issue must be fixed");
    expect(r.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    expect(readFileSync(out, "utf8")).toBe("an earlier PDF");
    expect(readdirSync(dir)).toEqual(["issue.pdf"]);
  });

  it("says which issues exist when the name is wrong", () => {
    const r = digest(["build", "2024-q4"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Cannot find the issue `2024-q4`");
    expect(r.stderr).toContain("Did you mean `2024-q3`?");
  });

  it("says how to fix a missing browser", () => {
    const r = digest(["build", "2024-q3", "--browser", "/nowhere/chromium", "--out", join(mkdtempSync(join(tmpdir(), "digest-cli-")), "x.pdf")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Cannot find the browser `/nowhere/chromium`");
    expect(r.stderr).toContain("apt-get install -y chromium");
  });

  it("says how to install Ghostscript when --pdfx cannot find it, and writes no PDF/X", () => {
    const dir = mkdtempSync(join(tmpdir(), "digest-cli-"));
    // An empty PATH: no gs on it. Node is started by its full path, Chromium found by its own.
    const env = { ...process.env, PATH: mkdtempSync(join(tmpdir(), "digest-empty-path-")) };
    const r = digest(["build", join(root, "test", "fixtures", "minimal", "2025-q1"), "--out", join(dir, "min.pdf"), "--pdfx", "--no-cache"], root, env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Cannot find Ghostscript (`gs`), which makes the PDF/X edition");
    expect(r.stderr).toContain("apt-get install -y ghostscript");
    expect(readdirSync(dir).filter((f) => f.includes("pdfx"))).toEqual([]);
  });

  it("rejects a timeout that is not a number of seconds", () => {
    const r = digest(["build", "2024-q3", "--timeout", "soon"]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("Expected a number of seconds");
  });

  it("preflights a PDF: a table, JSON for CI, exit code 1 on a failed check", async () => {
    const pdfs = await makeBadPdfs(mkdtempSync(join(tmpdir(), "digest-cli-pf-")));
    const good = digest(["preflight", pdfs.good]);
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/^PASS\s+Fonts embedded, none Type 3/m);
    expect(good.stdout).toContain("preflight passed");
    const bad = digest(["preflight", pdfs.lowRes72, "--json"]);
    expect(bad.code).toBe(1);
    const report = JSON.parse(bad.stdout) as { ok: boolean; checks: { id: string; status: string; pages?: number[] }[] };
    expect(report.ok).toBe(false);
    expect(report.checks.find((c) => c.id === "image-resolution")).toMatchObject({ status: "fail", pages: [2] });
    // The printer's ink limit: 360 % fails the default 300 %, passes --tac 380, and a limit must be a percentage.
    const ink = digest(["preflight", pdfs.inkOver300]);
    expect(ink.code).toBe(1);
    expect(ink.stdout).toMatch(/^FAIL\s+Total area coverage ≤ 300 %\s+highest 3\d\d % \(p\. 2\).*p\. 2$/m);
    const uncoated = digest(["preflight", pdfs.inkOver300, "--tac", "380"]);
    expect(uncoated.code).toBe(0);
    expect(uncoated.stdout).toMatch(/^PASS\s+Total area coverage ≤ 380 %/m);
    const nonsense = digest(["preflight", pdfs.inkOver300, "--tac", "lots"]);
    expect(nonsense.code).not.toBe(0);
    expect(nonsense.stderr).toContain("Expected a total area coverage in percent");
    expect(digest(["build", "2024-q3", "--tac", "500"]).stderr).toContain("Expected a total area coverage in percent");
    // Without Ghostscript the ink cannot be measured: a warning, and the other checks still report.
    const poppler = mkdtempSync(join(tmpdir(), "digest-poppler-only-"));
    for (const tool of ["pdffonts", "pdfimages"]) symlinkSync(execFileSync("sh", ["-c", `command -v ${tool}`], { encoding: "utf8" }).trim(), join(poppler, tool));
    const noGs = digest(["preflight", pdfs.good], root, { ...process.env, PATH: poppler });
    expect(noGs.code).toBe(0);
    expect(noGs.stdout).toMatch(/^WARN\s+Total area coverage ≤ 300 %\s+not measured: Cannot find Ghostscript/m);
    expect(noGs.stdout).toMatch(/^PASS\s+Fonts embedded, none Type 3/m);
    const missing = digest(["preflight", "/nowhere/x.pdf"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("No such file");
    expect(missing.stderr).not.toMatch(/^\s+at /m);
  });

  it("builds an issue from a path, with --out and --html", () => {
    const dir = mkdtempSync(join(tmpdir(), "digest-cli-"));
    const r = digest(["build", join(root, "test", "fixtures", "minimal", "2025-q1"), "--out", join(dir, "min.pdf"), "--html", "--no-cache"]);
    expect(r.stderr).not.toContain("error");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Built .*min\.pdf: \d+ pages in [\d.]+ s$/m);
    expect(r.stdout).toContain("Preflight of the print edition: passed 12 checks");
    expect(readdirSync(dir).sort()).toEqual(["min.html", "min.pdf"]);
    expect(readFileSync(join(dir, "min.pdf")).subarray(0, 5).toString()).toBe("%PDF-");
  });
});
