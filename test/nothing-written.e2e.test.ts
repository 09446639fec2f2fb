// A build that fails anywhere writes nothing: out/ keeps the earlier editions byte
// for byte and gains no temporary, whether the build stops on a content error,
// on content the layout cannot fit, on a failed preflight, on a write that fails
// half-way through the editions, or on Ctrl-C while the editions are pressed.
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildIssue, DigestError } from "../src/index.js";

const root = join(import.meta.dirname, "..");
const bin = join(root, "bin", "digest.js");
const ISSUE = "2025-q1";

/** Every file in out/, with a hash of its bytes: what "untouched" is measured against. */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).sort().map((name) => [name, createHash("sha256").update(readFileSync(join(dir, name))).digest("hex")]));
}

/** A project folder with the minimal issue (it has a picture), and its three editions built once in out/. */
function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), "digest-nothing-written-"));
  cpSync(join(root, "test", "fixtures", "minimal", ISSUE), join(dir, "issues", ISSUE), { recursive: true });
  return dir;
}

function digest(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: "utf8", timeout: 170_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

let base: string;
let earlier: Record<string, string>;

beforeAll(() => {
  base = workspace();
  const built = digest(["build", ISSUE, "--screen", "--pdfx", "--html", "--no-cache"], base);
  expect(built.code, built.out).toBe(0);
  earlier = snapshot(join(base, "out"));
  expect(Object.keys(earlier)).toEqual([`${ISSUE}.html`, `${ISSUE}.pdf`, `${ISSUE}.pdfx.pdf`, `${ISSUE}.screen.pdf`]);
});

/** A copy of the built workspace, so that each case starts from the same earlier editions. */
function fresh(): string {
  const dir = mkdtempSync(join(tmpdir(), "digest-nothing-written-"));
  cpSync(base, dir, { recursive: true });
  return dir;
}

describe("a failing build writes nothing", () => {
  it("on a content error: exit 1, located, out/ untouched", () => {
    const dir = fresh();
    const article = join(dir, "issues", ISSUE, "months", "2025-01", "01-council-meets.md");
    writeFileSync(article, readFileSync(article, "utf8").replace(/^title:.*$/m, "title: [unclosed"));
    const r = digest(["build", ISSUE, "--screen", "--pdfx", "--html"], dir);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/01-council-meets\.md/);
    expect(snapshot(join(dir, "out"))).toEqual(earlier);
  });

  it("on content the layout cannot fit: exit 1, located at issue.yml, out/ untouched", () => {
    const dir = fresh();
    const yml = join(dir, "issues", ISSUE, "issue.yml");
    writeFileSync(yml, readFileSync(yml, "utf8").replace(/^title: .*$/m, "title: Supercalifragilisticexpialidociousnewsletterofthenorthandsouth").replace("size: A4", "size: A5"));
    const r = digest(["build", ISSUE, "--screen", "--pdfx", "--html", "--no-cache"], dir);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/issue\.yml.*\n?.*text-clipped|text-clipped[\s\S]*issue\.yml|issue\.yml[\s\S]*text-clipped/);
    expect(snapshot(join(dir, "out"))).toEqual(earlier);
  });

  it("on a failed preflight (the PDF/X edition over the ink limit): exit 1, says it wrote nothing, out/ untouched", () => {
    const dir = fresh();
    const r = digest(["build", ISSUE, "--screen", "--pdfx", "--html", "--tac", "5"], dir);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/Preflight of the pdfx edition: FAILED/);
    expect(r.out).toMatch(/Wrote nothing/);
    expect(snapshot(join(dir, "out"))).toEqual(earlier);
  });

  it("on a write that fails half-way through the editions (Ghostscript refuses the ICC profile after the screen and print editions were written): nothing put in place, no temporary", async () => {
    const dir = fresh();
    const icc = join(dir, "not-a-profile.icc");
    writeFileSync(icc, "this is not an ICC profile");
    const written: string[] = [];
    const error = await buildIssue({
      issue: ISSUE,
      cwd: dir,
      screen: true,
      pdfx: true,
      html: true,
      cache: false,
      icc,
      // What out/ holds while the PDF/X edition is being made: the other editions' temporaries are there by then.
      log: () => written.push(...readdirSync(join(dir, "out")).filter((n) => n.endsWith(".tmp"))),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DigestError);
    expect((error as DigestError).message).toMatch(/PDF\/X|ICC|profile/i);
    expect(snapshot(join(dir, "out"))).toEqual(earlier);
  });

  it("on Ctrl-C while the editions are pressed: exit 130, out/ untouched, no temporary", async () => {
    const dir = fresh();
    const out = join(dir, "out");
    const child = spawn(process.execPath, [bin, "build", ISSUE, "--screen", "--pdfx", "--html", "--no-cache"], { cwd: dir });
    let said = "";
    child.stdout.on("data", (d) => (said += d));
    child.stderr.on("data", (d) => (said += d));
    // The editions' temporaries appear in out/ only while they are pressed and checked: interrupt then.
    let interrupted = false;
    const poll = setInterval(() => {
      if (!interrupted && readdirSync(out).some((name) => name.endsWith(".tmp"))) {
        interrupted = true;
        child.kill("SIGINT");
      }
    }, 5);
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    clearInterval(poll);
    expect(interrupted, said).toBe(true);
    expect(code, said).toBe(130);
    expect(snapshot(out)).toEqual(earlier);
  });
});
