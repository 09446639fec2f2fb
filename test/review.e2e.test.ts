import { beforeAll, describe, expect, it } from "vitest";
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildIssue } from "../src/index.js";
import { diffPdfs, type DiffReport } from "../src/review/diff.js";
import { splitFrontMatter } from "../src/content/front-matter.js";
import { info, normalise, pageText } from "./helpers/pdf.js";

/**
 * End to end, in real Chromium, on copies of the sample issue: what `digest diff`
 * says must agree with the PDFs themselves. Page numbers are never written down
 * here: the layout is free to change, so they are read from the PDFs built.
 */
const root = join(import.meta.dirname, "..");
const work = mkdtempSync(join(tmpdir(), "digest-review-"));

/** A copy of the sample issue to edit, in a project folder of its own. */
function sampleCopy(name: string): string {
  const dir = join(work, name, "issues", "2024-q3");
  cpSync(join(root, "issues", "2024-q3"), dir, { recursive: true });
  return dir;
}

async function build(issueDir: string, name: string): Promise<string> {
  const out = join(work, `${name}.pdf`);
  await buildIssue({ issue: issueDir, out, cwd: work, cache: false });
  return out;
}

const pageCount = (pdf: string) => Number(info(pdf).Pages);

/** The pages whose renders differ, page for page, by poppler at 72 dpi (a check independent of digest's own). */
function differingPages(a: string, b: string): number[] {
  const dir = mkdtempSync(join(work, "renders-"));
  execFileSync("pdftoppm", ["-r", "72", a, join(dir, "a")]);
  execFileSync("pdftoppm", ["-r", "72", b, join(dir, "b")]);
  const files = readdirSync(dir).filter((f) => f.startsWith("a-")).sort();
  return files.flatMap((f, i) => (readFileSync(join(dir, f)).equals(readFileSync(join(dir, f.replace(/^a-/, "b-")))) ? [] : [i + 1]));
}

/** A page's text without its running head and folio: the text between the top and foot 8 % of the sheet. */
function bodyText(pdf: string, page: number): string {
  const [w, h] = info(pdf)["Page size"]!.split(/\s+/).filter((t) => /^[\d.]+$/.test(t)).map(Number) as [number, number];
  const band = Math.round(h * 0.12);
  return normalise(
    execFileSync("pdftotext", ["-f", String(page), "-l", String(page), "-x", "0", "-y", String(band), "-W", String(Math.ceil(w)), "-H", String(Math.floor(h - 2 * band)), "-enc", "UTF-8", pdf, "-"], { encoding: "utf8" }),
  );
}

/** The page of a PDF that holds a text. */
function pageWith(pdf: string, text: string): number {
  const n = pageCount(pdf);
  for (let p = 1; p <= n; p++) if (normalise(pageText(pdf, p)).includes(text)) return p;
  throw new Error(`No page of ${pdf} holds “${text}”`);
}

/** Replaces the first ` the ` of an article's longest paragraph with ` its `: a change of one word that keeps the line lengths close. */
function changeOneWord(file: string): string {
  const text = readFileSync(file, "utf8");
  const paragraphs = splitFrontMatter(text).body.split(/\n\s*\n/).map((p) => p.trim()).filter((p) => p && !p.startsWith("!"));
  const longest = paragraphs.sort((a, b) => b.length - a.length)[0]!;
  const at = longest.indexOf(" the ", longest.length / 2);
  const edited = `${longest.slice(0, at)} its ${longest.slice(at + 5)}`;
  writeFileSync(file, text.replace(longest, edited));
  // The words around the change, to find its page by.
  return normalise(edited.slice(at - 30, at + 20)).split(" ").slice(1, -1).join(" ");
}

const articles = (issueDir: string, month: string) =>
  readdirSync(join(issueDir, "months", month)).filter((f) => f.endsWith(".md")).sort().map((f) => join(issueDir, "months", month, f));
const months = (issueDir: string) => readdirSync(join(issueDir, "months")).filter((m) => /^\d{4}-\d{2}$/.test(m)).sort();

let base: string;
beforeAll(async () => {
  base = await build(sampleCopy("base"), "base");
});

describe("digest diff on the sample issue", () => {
  it("names exactly the pages that changed when one word of a sentence changed", async () => {
    const dir = sampleCopy("sentence");
    const second = months(dir)[1]!;
    const words = changeOneWord(articles(dir, second)[2]!);
    const pdf = await build(dir, "sentence");
    const report = await diffPdfs(base, pdf);
    // The premise: the same number of pages, nothing moved.
    expect(pageCount(pdf)).toBe(pageCount(base));
    const expected = differingPages(base, pdf);
    expect(expected.length).toBeGreaterThan(0);
    expect(report.changed).toEqual(expected);
    expect(report.changed).toContain(pageWith(pdf, words));
    expect(report.added).toEqual([]);
    expect(report.removed).toEqual([]);
    expect(report.shifted).toEqual([]);
    expect(report.summary).toMatch(/^changed: [\d, –]+$/);
  });

  describe("when paragraphs inserted early push the later pages", () => {
    let report: DiffReport;
    let pdf: string;
    let edited: string;
    beforeAll(async () => {
      const dir = sampleCopy("insert");
      const all = months(dir);
      // Two pages' worth of text (paragraphs of the last month's articles), inserted into the first month's first article.
      const donors = articles(dir, all.at(-1)!).flatMap((f) => splitFrontMatter(readFileSync(f, "utf8")).body.split(/\n\s*\n/).map((p) => p.trim()).filter((p) => p.length > 200 && !p.startsWith("!")));
      let words = 0;
      const inserted: string[] = [];
      for (const p of donors) {
        if (words > 1800) break;
        inserted.push(p);
        words += p.split(/\s+/).length;
      }
      const first = articles(dir, all[0]!)[0]!;
      const text = readFileSync(first, "utf8");
      const parts = text.split("\n\n");
      writeFileSync(first, [...parts.slice(0, 3), ...inserted, ...parts.slice(3)].join("\n\n"));
      // And one word changed in an article after the insertion: its page moves, but it is changed, not shifted.
      edited = changeOneWord(articles(dir, all[1]!).at(-1)!);
      pdf = await build(dir, "insert");
      report = await diffPdfs(base, pdf);
    });

    it("reports added pages, and shifted pages after them", () => {
      expect(report.added.length).toBeGreaterThan(0);
      expect(report.shifted.length).toBeGreaterThan(0);
      expect(report.summary).toMatch(/added: .*shifted: .*\(\+\d\)/);
      // Every page is accounted for, once, in each PDF.
      const newPages = report.pages.filter((p) => p.new).map((p) => p.new);
      const oldPages = report.pages.filter((p) => p.old).map((p) => p.old);
      expect(newPages).toEqual(Array.from({ length: pageCount(pdf) }, (_, i) => i + 1));
      expect(oldPages).toEqual(Array.from({ length: pageCount(base) }, (_, i) => i + 1));
    });

    it("shifted pages carry the very text they had, and unchanged pages are the same pixels", () => {
      const shifted = report.pages.filter((p) => p.status === "shifted");
      for (const p of shifted) expect(bodyText(pdf, p.new!), `new page ${p.new}, old ${p.old}`).toBe(bodyText(base, p.old!));
      const same = report.pages.filter((p) => p.status === "same").map((p) => p.new!);
      const differing = new Set(differingPages(base, pdf));
      for (const p of same) expect(differing.has(p), `page ${p}`).toBe(false);
    });

    it("marks a page that moved and changed as changed, not shifted", () => {
      const page = pageWith(pdf, edited);
      expect(report.changed).toContain(page);
      expect(report.pages.find((p) => p.new === page)!.offset).toBeGreaterThan(0);
    });

    it("marks the pages with the inserted text as changed or added", () => {
      const statuses = new Set(report.pages.filter((p) => p.new && p.new <= report.added.at(-1)!).map((p) => p.status));
      expect(statuses.has("changed")).toBe(true);
      expect(statuses.has("added")).toBe(true);
    });
  });
});

/** A clone of this checkout's HEAD (sharing its objects), with the installed packages linked in. */
function cloneOfHead(name: string): string {
  const clone = join(work, name);
  execFileSync("git", ["clone", "--quiet", "--shared", "--no-checkout", root, clone]);
  execFileSync("git", ["-C", clone, "checkout", "--quiet", "--detach", execFileSync("git", ["-C", root, "rev-parse", "HEAD"], { encoding: "utf8" }).trim()]);
  mkdirSync(join(clone, "node_modules"));
  for (const entry of readdirSync(join(root, "node_modules"))) if (entry !== ".cache") symlinkSync(join(root, "node_modules", entry), join(clone, "node_modules", entry));
  return clone;
}

describe("digest diff <git-ref>", () => {
  it("builds the issue as committed and as it is in the working tree, and names the changed pages", () => {
    const clone = cloneOfHead("clone");
    const issueDir = join(clone, "issues", "2024-q3");
    const words = changeOneWord(articles(issueDir, months(issueDir)[0]!)[1]!);
    const png = join(work, "ref-png");
    const r = spawnSync(process.execPath, [join(clone, "bin", "digest.js"), "diff", "HEAD", "2024-q3", "--json", "--png", png], { cwd: clone, encoding: "utf8", timeout: 300_000 });
    expect(r.stderr).toContain("Building issues/2024-q3 as it was at HEAD");
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout) as DiffReport & { issue: string };
    expect(report.issue).toBe("2024-q3");
    expect(report.old.label).toBe("issues/2024-q3 at HEAD");
    expect(report.changed.length).toBeGreaterThan(0);
    expect(report.added).toEqual([]);
    expect(report.removed).toEqual([]);
    // The page the edited words are on, in the working tree's own build, is among the changed; each has its picture.
    const now = spawnSync(process.execPath, [join(clone, "bin", "digest.js"), "build", "2024-q3", "--no-cache"], { cwd: clone, encoding: "utf8", timeout: 300_000 });
    expect(now.status).toBe(0);
    expect(report.changed).toContain(pageWith(join(clone, "out", "2024-q3.pdf"), words));
    expect(readdirSync(png).sort()).toEqual(report.changed.map((n) => `${String(n).padStart(2, "0")}-changed.png`));
  });
});

describe("digest diff <git-ref> without an issue", () => {
  it("compares every issue under issues/, one line each, and an issue the ref did not have is all added pages", () => {
    // A clone whose last commit holds one small issue; the working tree changes a word of it and adds an edition in German.
    const clone = cloneOfHead("clone-all");
    const git = (...args: string[]) => execFileSync("git", ["-C", clone, "-c", "user.name=Test", "-c", "user.email=test@example.org", ...args], { encoding: "utf8" });
    git("rm", "-rq", "issues");
    cpSync(join(root, "test", "fixtures", "minimal", "2025-q1"), join(clone, "issues", "2025-q1"), { recursive: true });
    git("add", "issues");
    git("commit", "-qm", "One small issue");
    const council = join(clone, "issues", "2025-q1", "months", "2025-01", "01-council-meets.md");
    writeFileSync(council, readFileSync(council, "utf8").replace("closed with a joint statement", "closed with a joint declaration"));
    const german = join(clone, "issues", "2025-q1-de");
    cpSync(join(clone, "issues", "2025-q1"), german, { recursive: true });
    writeFileSync(join(german, "issue.yml"), readFileSync(join(german, "issue.yml"), "utf8").replace("language: en", "language: de"));
    const r = spawnSync(process.execPath, [join(clone, "bin", "digest.js"), "diff", "HEAD"], { cwd: clone, encoding: "utf8", timeout: 400_000 });
    expect(r.stderr).toContain("Building issues/2025-q1 as it was at HEAD");
    // Pages differ: exit code 1.
    expect(r.status, r.stderr).toBe(1);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^2025-q1: changed: [\d, –]+$/);
    // The German edition did not exist at HEAD: every page of it is added.
    const said = r.stderr.split("\n").find((l) => l.includes("2025-q1-de in the working tree"))!;
    expect(said).toMatch(/^issues\/2025-q1-de \(not at HEAD\) \(0 pages\) → /);
    const pages = Number(/in the working tree \((\d+) pages\)/.exec(said)![1]);
    expect(pages).toBeGreaterThan(4);
    expect(lines[1]).toBe(`2025-q1-de: added: 1–${pages}`);
    // The changed page is the one where the word changed, and it alone.
    const changed = lines[0]!.replace("2025-q1: changed: ", "").split(", ").flatMap((part) => {
      const [a, b] = part.split("–").map(Number);
      return Array.from({ length: (b ?? a!) - a! + 1 }, (_, i) => a! + i);
    });
    const now = spawnSync(process.execPath, [join(clone, "bin", "digest.js"), "build", "2025-q1", "--no-cache"], { cwd: clone, encoding: "utf8", timeout: 300_000 });
    expect(now.status, now.stderr).toBe(0);
    expect(changed).toEqual([pageWith(join(clone, "out", "2025-q1.pdf"), "closed with a joint declaration")]);
  });
});
