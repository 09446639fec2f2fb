import { describe, expect, it } from "vitest";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHash } from "node:crypto";

/** The editors' commands, run as an editor would: in a folder with issues/, through the `digest` executable. */
const root = join(import.meta.dirname, "..");
const bin = join(root, "bin", "digest.js");

/**
 * digest's builds here keep their temporary files (Chromium's profile among them)
 * in a folder of their own, so the tests can tell what *these* builds left behind,
 * whatever else is running on the machine.
 */
const TMP = mkdtempSync(join(tmpdir(), "digest-test-tmp-"));
const env = { ...process.env, TMPDIR: TMP };

function digest(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, env, encoding: "utf8", timeout: 150_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function digestAsync(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** A project folder of the editors' own, with the sample issue in it. */
function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), "digest-editor-"));
  mkdirSync(join(dir, "issues"));
  cpSync(join(root, "issues", "2024-q3"), join(dir, "issues", "2024-q3"), { recursive: true });
  return dir;
}

/**
 * Starts a build over an earlier PDF and, once Chromium lays out pages, does
 * `interrupt` (until it returns something other than false); then waits for the end.
 */
async function interruptedBuild(interrupt: (child: ChildProcess) => boolean | void): Promise<{ dir: string; code: number | null; stderr: string }> {
  const dir = workspace();
  mkdirSync(join(dir, "out"));
  writeFileSync(join(dir, "out", "2024-q3.pdf"), "the earlier PDF");
  const child = spawn(process.execPath, [bin, "build", "2024-q3", "--no-cache"], { cwd: dir, env });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  await new Promise<void>((resolve) => {
    const poll = setInterval(() => {
      if (!stderr.includes("Laying out pages") || interrupt(child) === false) return;
      clearInterval(poll);
      resolve();
    }, 20);
  });
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  return { dir, code, stderr };
}

const sha = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

/** Chromium processes (their profile is in TMP) and temporary files that this file's builds left behind. */
function digestChromiums(): string[] {
  const processes = spawnSync("ps", ["-eo", "args"], { encoding: "utf8" }).stdout.split("\n").filter((l) => l.includes(TMP));
  // tsx keeps its compile cache there too: that one is meant to stay.
  return [...processes, ...readdirSync(TMP).filter((f) => !f.startsWith("tsx-"))];
}

describe("digest new, check and build", () => {
  it("makes a new issue that checks clean and builds, and refuses to overwrite it", () => {
    const dir = workspace();
    const made = digest(["new", "2025-q1"], dir);
    expect(made.code).toBe(0);
    expect(made.stdout).toContain("Made issues/2025-q1");
    for (const f of ["issue.yml", "foreword.md", "spotlight/01-main-story.md", "flash-briefing.md", "ads/back-cover.md", "months/2025-01/01-example-article.md", "months/2025-03/01-example-article.md"]) {
      expect(existsSync(join(dir, "issues", "2025-q1", f)), f).toBe(true);
    }
    expect(digest(["check", "2025-q1"], dir).stdout).toContain("2025-q1: ready to build (4 articles)");
    const built = digest(["build", "2025-q1", "--no-cache"], dir);
    expect(built.code, built.stderr).toBe(0);
    expect(built.stdout).toContain("Preflight of the print edition: passed 12 checks");
    // No widow, orphan or stranded headline reported: the layout's summary line names only the faults it found.
    expect(built.stderr).not.toMatch(/widow|orphan|stranded/);
    expect(built.stderr).toMatch(/^Layout: nothing clipped, .*loose lines/m);
    const again = digest(["new", "2025-q1"], dir);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("it exists already");
    expect(digest(["new", "spring"], dir).stderr).toContain("Name a quarterly issue YYYY-qN");
  });

  it("checks every issue with --all and reports each problem located, exit code 1", () => {
    const dir = workspace();
    const article = join(dir, "issues", "2024-q3", "months", "2024-07", "01-sco-countries-support-cica-transformation.md");
    writeFileSync(article, readFileSync(article, "utf8").replace("place: Astana, Kazakhstan", "place: Astana, Kazakhstan\nplce: typo"));
    cpSync(join(root, "test", "fixtures", "broken", "ad-unknown-slug", "2024-q3"), join(dir, "issues", "2024-q4"), { recursive: true });
    const r = digest(["check", "--all"], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/issues\/2024-q3\/months\/2024-07\/01-sco-countries-support-cica-transformation\.md\n\s*6:1\s+error\s+Unknown key `plce`/);
    expect(r.stderr).toMatch(/issues\/2024-q4\/ads\/bank\.md\n\s*4:10\s+error\s+No article has the slug/);
    expect(r.stdout).toContain("2024-q3: 1 error to fix before it can be built");
  });

  it("builds every issue with --all, quietly with --quiet", () => {
    const dir = workspace();
    digest(["new", "2025-q1"], dir);
    const r = digest(["--quiet", "build", "--all", "--no-cache"], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain("Laying out pages");
    expect(r.stdout).toMatch(/Built out\/2024-q3\.pdf: 24 pages/);
    expect(r.stdout).toMatch(/Built out\/2025-q1\.pdf: \d+ pages/);
    expect(readdirSync(join(dir, "out")).sort()).toEqual(["2024-q3.pdf", "2025-q1.pdf"]);
  });
});

describe("nothing lost", () => {
  it("a build that times out says what to do, leaves the earlier PDF byte-identical, no temporary file and no Chromium behind", () => {
    const dir = workspace();
    expect(digest(["build", "2024-q3", "--no-cache"], dir).code).toBe(0);
    const before = sha(join(dir, "out", "2024-q3.pdf"));
    const r = digest(["build", "2024-q3", "--no-cache", "--timeout", "0.3"], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Chromium did not finish laying out the pages within");
    expect(r.stderr).toContain("--timeout");
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(sha(join(dir, "out", "2024-q3.pdf"))).toBe(before);
    expect(readdirSync(join(dir, "out"))).toEqual(["2024-q3.pdf"]);
    expect(digestChromiums()).toEqual([]);
  });

  it("two builds of the same issue at the same time both finish with a whole PDF", async () => {
    const dir = workspace();
    const [a, b] = await Promise.all([digestAsync(["build", "2024-q3", "--no-cache"], dir), digestAsync(["build", "2024-q3", "--no-cache"], dir)]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const pdf = join(dir, "out", "2024-q3.pdf");
    const info = spawnSync("pdfinfo", [pdf], { encoding: "utf8" });
    expect(info.status).toBe(0);
    expect(info.stdout).toMatch(/Pages:\s+24/);
    expect(readdirSync(join(dir, "out"))).toEqual(["2024-q3.pdf"]);
    expect(digestChromiums()).toEqual([]);
  });

  it("a Chromium that crashes is reported with what to do, and the earlier PDF is kept", async () => {
    // Kill this build's Chromium (its profile is in TMP) as soon as it lays out pages.
    const { dir, code, stderr } = await interruptedBuild(() => {
      const ps = spawnSync("ps", ["-eo", "pid,args"], { encoding: "utf8" }).stdout.split("\n");
      const main = ps.find((l) => l.includes(TMP) && l.includes("--user-data-dir") && !l.includes("--type="));
      if (!main) return false;
      process.kill(Number(main.trim().split(/\s+/)[0]), "SIGKILL");
      return true;
    });
    expect(code).toBe(1);
    expect(stderr).toContain("Chromium stopped while laying out the pages (it crashed or was killed)");
    expect(stderr).toContain("free -h");
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(readFileSync(join(dir, "out", "2024-q3.pdf"), "utf8")).toBe("the earlier PDF");
    await new Promise((r) => setTimeout(r, 500));
    expect(digestChromiums()).toEqual([]);
  });

  it("Ctrl-C stops a build, closes Chromium and keeps the earlier PDF", async () => {
    const { dir, code, stderr } = await interruptedBuild((child) => child.kill("SIGINT"));
    expect(code).toBe(130);
    expect(stderr).toContain("The build was interrupted");
    expect(readFileSync(join(dir, "out", "2024-q3.pdf"), "utf8")).toBe("the earlier PDF");
    expect(readdirSync(join(dir, "out"))).toEqual(["2024-q3.pdf"]);
    expect(digestChromiums()).toEqual([]);
  });
});
