// Makes a large issue for the benchmark: the sample issue with each month's
// articles repeated, so the issue has about ten times the sample's pages.
// Usage: tsx scripts/make-large-issue.ts <target-folder> [copies]
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse, stringify } from "yaml";

const root = join(import.meta.dirname, "..");

/** Copies the sample issue to `target` (named 2024-q3, so its month folders fit its quarter) with `copies` of every news article. */
export function makeLargeIssue(target: string, copies = 10): string {
  const dir = join(target, "2024-q3");
  rmSync(dir, { recursive: true, force: true });
  cpSync(join(root, "issues", "2024-q3"), dir, { recursive: true });
  const months = join(dir, "months");
  for (const month of readdirSync(months)) {
    const files = readdirSync(join(months, month)).filter((f) => f.endsWith(".md")).sort();
    for (let copy = 2; copy <= copies; copy++) {
      files.forEach((file, i) => {
        const [, front, body] = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(readFileSync(join(months, month, file), "utf8"))!;
        const data = parse(front!) as Record<string, string>;
        // Titles and slugs must stay unique: each copy is numbered.
        data.title = `${data.title} (${copy})`;
        if (data.toc) data.toc = `${data.toc} (${copy})`;
        const name = `${String(copy * 100 + i).padStart(4, "0")}-${file.replace(/^\d+-/, "").replace(/\.md$/, "")}-${copy}.md`;
        writeFileSync(join(months, month, name), `---\n${stringify(data)}---\n${body}`);
      });
    }
  }
  return dir;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop()!)) {
  const target = process.argv[2];
  if (!target) {
    process.stderr.write("Usage: tsx scripts/make-large-issue.ts <target-folder> [copies]\n");
    process.exit(2);
  }
  process.stdout.write(`${makeLargeIssue(target, Number(process.argv[3] ?? 10))}\n`);
}
