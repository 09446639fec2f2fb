import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, symlinkSync } from "node:fs";
import { isAbsolute, join, relative } from "node:path";
import { DigestError } from "../errors.js";
import { PACKAGE_ROOT } from "../paths.js";

const git = (args: string[], cwd: string, input?: Buffer) =>
  execFileSync("git", args, { cwd, input, maxBuffer: 1024 * 1024 * 1024, stdio: ["pipe", "pipe", "pipe"] });

/** The top folder of the git checkout that holds `dir`, or undefined outside git. */
export function gitTop(dir: string): string | undefined {
  try {
    return git(["rev-parse", "--show-toplevel"], dir).toString().trim();
  } catch {
    return undefined;
  }
}

/** The commit a branch, tag or commit name stands for, or undefined when there is none. */
export function resolveRef(ref: string, cwd: string): string | undefined {
  if (ref.startsWith("-")) return undefined;
  try {
    return git(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], cwd).toString().trim() || undefined;
  } catch {
    return undefined;
  }
}

export interface RefBuild {
  /** The issue folder's path inside the checkout, e.g. `issues/2024-q3`. */
  issuePath: string;
  /** The PDF built, or undefined when the issue did not exist at that ref. */
  pdf?: string;
}

/**
 * Builds an issue as it was at a git ref, with digest as it was there too (its
 * templates, CSS and fonts), so that a layout change shows in the comparison.
 * The ref's files are exported (`git archive`) into `workDir`, never checked out
 * over the working tree; the npm packages are those installed here.
 */
export async function buildAtRef(options: { ref: string; issueDir: string; workDir: string; browser?: string; log?: (line: string) => void }): Promise<RefBuild> {
  const { ref, issueDir, workDir } = options;
  const top = gitTop(issueDir);
  if (!top) throw new DigestError(`Cannot compare with \`${ref}\`: ${issueDir} is not in a git checkout`, "Compare two PDFs instead: digest diff old.pdf new.pdf");
  const commit = resolveRef(ref, top);
  if (!commit) throw new DigestError(`Cannot find the git ref \`${ref}\``, "Name a branch, tag or commit, e.g. `main`, `origin/main` or `v0.1.0`; in CI, fetch it first (fetch-depth: 0).");
  const issuePath = relative(top, issueDir).split("\\").join("/");
  if (!issuePath || issuePath.startsWith("..") || isAbsolute(issuePath)) throw new DigestError(`Cannot compare with \`${ref}\`: the issue is outside the git checkout ${top}`);
  try {
    git(["cat-file", "-e", `${commit}:${issuePath}/issue.yml`], top);
  } catch {
    return { issuePath };
  }
  const tree = join(workDir, "checkout");
  mkdirSync(tree, { recursive: true });
  execFileSync("tar", ["-x", "-C", tree], { input: git(["archive", "--format=tar", commit], top), maxBuffer: 1024 * 1024 * 1024 });
  if (!existsSync(join(tree, "bin", "digest.js"))) throw new DigestError(`Cannot build at \`${ref}\`: it has no bin/digest.js`, "Compare two PDFs instead: digest diff old.pdf new.pdf");
  // The installed packages, one link each: the checkout's own node_modules/ stays a real
  // folder, so digest's bundle cache there is the ref's, not this one's.
  const modules = join(tree, "node_modules");
  mkdirSync(modules, { recursive: true });
  const installed = join(PACKAGE_ROOT, "node_modules");
  for (const name of existsSync(installed) ? readdirSync(installed) : []) {
    if (name !== ".cache" && !existsSync(join(modules, name))) symlinkSync(join(installed, name), join(modules, name));
  }
  const pdf = join(workDir, "old.pdf");
  options.log?.(`Building ${issuePath} as it was at ${ref} (${commit.slice(0, 7)})…`);
  const args = [join(tree, "bin", "digest.js"), "build", issuePath, "--out", pdf, ...(options.browser ? ["--browser", options.browser] : [])];
  const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    // Its own words and annotations are not this run's: the CI variables are left out.
    const env = { ...process.env, GITHUB_ACTIONS: "", CI: "true" };
    const child = spawn(process.execPath, args, { cwd: tree, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
  if (code !== 0 || !existsSync(pdf)) {
    const said = output.trim().split("\n").slice(-12).join("\n  ");
    throw new DigestError(`Cannot build ${issuePath} as it was at \`${ref}\``, said || `digest exited with code ${code}`);
  }
  return { issuePath, pdf };
}
