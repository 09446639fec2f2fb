// The odd-input fuzzer: articles and pictures that nobody on the project wrote, made
// from a seed. Where src/fuzz/generate-issue.ts makes issues that are sound (to find
// faults of the layout), this makes what editors, converters and attackers send:
// unclosed constructs, nesting past the limits, raw HTML, entities the fonts lack,
// references and footnotes with and without their definitions, pictures named
// oddly, cut short or not pictures at all, bytes that are not UTF-8, control
// characters. digest must print each one whole or refuse it at its own file and
// line; it must never crash. `npm run fuzz:odd` runs it; test/odd-inputs.test.ts too.
import { Random } from "./random.js";
import { encodeScene } from "./png.js";

/** One generated issue's extra files (paths inside the issue folder) and what went into them. */
export interface OddInputs {
  files: Map<string, string | Buffer>;
  /** Folders to make (an article's name given to a folder). */
  folders: string[];
  /** The pieces used, by name, for the report. */
  pieces: string[];
}

const WORDS = ["council", "summit", "minister", "talks", "region", "harbour", "treaty", "forum", "delegates", "agreement", "Astana", "Baku", "Almaty"];

/** Pictures the articles may name: sound ones, and ones digest must refuse. */
function pictures(r: Random): Map<string, Buffer | string> {
  const good = encodeScene(1800, 1200, [30, 60, 120], [200, 170, 80], [{ x: 100, y: 100, width: 500, height: 300, rgb: [240, 240, 240] }]);
  return new Map<string, Buffer | string>([
    ["images/photo.png", good],
    ["images/100%.png", good],
    ["images/a b.png", good],
    ["images/cut.png", good.subarray(0, r.int(40, good.length - 20))],
    ["images/tiny.png", encodeScene(12, 8, [0, 0, 0], [255, 255, 255])],
    ["images/text.svg", '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><text x="1" y="5">Hi</text></svg>'],
    ["images/cut.svg", '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><g><rect width="4" height="4"/>'],
    ["images/shape.svg", '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10" fill="#246"/></svg>'],
    ["images/notes.png", "this is text, not a picture"],
  ]);
}

const PICTURE_NAMES = ["photo.png", "100%.png", "a%20b.png", "cut.png", "tiny.png", "text.svg", "cut.svg", "shape.svg", "notes.png", "missing.png", "", "../../../outside.png", "http://example.org/x.png", "/etc/passwd"];

/** A sentence of plain words. */
function sentence(r: Random): string {
  const n = r.int(3, 12);
  const words = Array.from({ length: n }, () => r.pick(WORDS));
  return `${words.join(" ").replace(/^./, (c) => c.toUpperCase())}.`;
}

/** The pieces an odd article is made of: each a function of the random source, returning Markdown. */
const PIECES: Record<string, (r: Random) => string> = {
  paragraph: (r) => sentence(r),
  "unclosed fence": (r) => `${r.pick(["```", "~~~", "````"])}${r.pick(["", "js", "{weird"])}\n${sentence(r)}\n`,
  "deep quotes": (r) => `${">".repeat(r.int(1, 40))} ${sentence(r)}`,
  "deep list": (r) => Array.from({ length: r.int(2, 30) }, (_, i) => `${" ".repeat(i * r.int(2, 4))}${r.pick(["-", "*", "1."])} ${r.pick(WORDS)}`).join("\n"),
  "emphasis run": (r) => `${r.pick(["*", "_", "~"]).repeat(r.int(1, 90))}${r.pick(WORDS)}${r.pick(["*", "_", "~", ""]).repeat(r.int(0, 90))}`,
  brackets: (r) => `${"[".repeat(r.int(1, 50))}${r.pick(WORDS)}${"](x)".repeat(r.int(0, 50))}`,
  "big list number": (r) => `${r.pick([1, 99, 12345, 123456789, 999999999])}. ${sentence(r)}`,
  entity: (r) => `${sentence(r)} ${r.pick(["&copy;", "&amp;", "&ngE;", "&#992;", "&#0;", "&#99999999;", "&bogus;", "&#x1F600;", "&nbsp;", "&#x2014;"])} ${r.pick(WORDS)}.`,
  "raw html block": (r) => r.pick([`<div>\n${sentence(r)}\n</div>`, `<table><tr><td>${r.pick(WORDS)}</td></tr></table>`, `<script>alert(1)</script>`, `<!-- ${sentence(r)} -->`, `<img src="x.png">`, `<iframe src="https://example.org"></iframe>`, `<?php echo 1; ?>`, `<pre>\n${sentence(r)}\n</pre>`, `<style>p{color:red}</style>`]),
  "inline html": (r) => `${r.pick(WORDS)} <${r.pick(["b", "span", "u", "sup", "a href=\"javascript:alert(1)\""])}>${r.pick(WORDS)}</${r.pick(["b", "span", "u", "sup", "a"])}> ${r.pick(WORDS)}<br>${r.pick(WORDS)}.`,
  "reference picture": (r) => `![${r.pick(WORDS)}][p${r.int(1, 3)}]\n\n[p${r.int(1, 3)}]: ../../images/${r.pick(PICTURE_NAMES)}`,
  "reference link": (r) => `[${r.pick(WORDS)}][${r.pick(["site", "undefined", "Site"])}]\n\n[site]: ${r.pick(["https://example.org", "javascript:alert(1)", "<>", "../local.md"])}`,
  picture: (r) => `![${r.pick([r.pick(WORDS), ""])}](../../images/${r.pick(PICTURE_NAMES)}${r.pick(["", ' "Photo: Agency"'])})`,
  footnote: (r) => `${sentence(r)}[^${r.pick(["1", "a", "note"])}]\n\n[^${r.pick(["1", "a", "note", "unused"])}]: ${sentence(r)}`,
  "control characters": (r) => `${r.pick(WORDS)}${r.pick(["\u0000", "\u0007", "\u001b[31m", "\u200b", "\u202e", "\ufeff", "\u00ad"])}${r.pick(WORDS)}.`,
  "long word": (r) => r.pick(WORDS).repeat(r.int(10, 60)),
  "table ragged": (r) => `| a | b |\n| --- |\n| ${r.pick(WORDS)} | ${r.pick(WORDS)} | ${r.pick(WORDS)} |`,
  "setext and breaks": (r) => `${r.pick(WORDS)}\n${r.pick(["===", "---", "***", "- - -"])}\n${r.pick(WORDS)}`,
  "autolink and url": (r) => `<${r.pick(["https://example.org/a b", "mailto:a@b", "javascript:x", "foo@bar.example"])}> www.${r.pick(WORDS)}.example`,
  "other scripts": (r) => r.pick(["李晓梅 met the council.", "Привет, мир.", "مرحبا", "😀 emoji", "ΑΒΓ αβγ", "ﬁ ligature"]),
};

/** Front matter as editors and converters get it wrong. */
const FRONT: Record<string, (r: Random, title: string) => string> = {
  plain: (_, title) => `---\ntitle: ${title}\n---\n`,
  "alias bomb": (_, title) => `---\ntitle: ${title}\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n---\n`,
  "unclosed front matter": (_, title) => `---\ntitle: ${title}\n`,
  "deep yaml": (r, title) => `---\ntitle: ${title}\nx: ${"[".repeat(r.int(50, 2000))}\n---\n`,
  "tab in yaml": (_, title) => `---\ntitle:\t${title}\n---\n`,
  "crlf": (_, title) => `---\r\ntitle: ${title}\r\n---\r\n`,
  bom: (_, title) => `\ufeff---\ntitle: ${title}\n---\n`,
};

/**
 * Odd inputs for one seed: `count` articles in the month folder `month`, each of a
 * few pieces under front matter that is sound or not, with the pictures they name;
 * now and then an article that is not UTF-8, or a folder named like an article.
 */
export function oddInputs(seed: number, month: string, count = 3): OddInputs {
  const r = new Random(seed);
  const files = new Map<string, string | Buffer>(pictures(r));
  const folders: string[] = [];
  const pieces: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = `months/${month}/${String(10 + i)}-odd-${seed}-${i}.md`;
    const front = r.chance(0.75) ? "plain" : r.pick(Object.keys(FRONT));
    pieces.push(`front: ${front}`);
    const body = Array.from({ length: r.int(2, 7) }, () => {
      const piece = r.pick(Object.keys(PIECES));
      pieces.push(piece);
      return PIECES[piece]!(r);
    }).join("\n\n");
    const text = `${FRONT[front]!(r, `Odd ${seed} ${i}`)}\n${body}\n`;
    if (r.chance(0.08)) {
      pieces.push("not UTF-8");
      files.set(name, Buffer.concat([Buffer.from(text), Buffer.from([0xe9, 0x20, 0xff, 0xfe])]));
    } else files.set(name, front === "crlf" ? text.replace(/\n/g, "\r\n") : text);
  }
  if (r.chance(0.1)) {
    pieces.push("folder named like an article");
    folders.push(`months/${month}/${String(10 + count)}-folder-${seed}.md`);
  }
  return { files, folders, pieces };
}

/** What one odd issue did to digest: each finding a failure of the promise "a whole PDF, or a located refusal". */
export interface OddVerdict {
  seed: number;
  /** The issue folder written. */
  dir: string;
  pieces: string[];
  errors: number;
  warnings: number;
  /** Problems that crashed digest (a thrown error that is not a content problem), with their message. */
  crashes: string[];
  /** Errors without a file and line. */
  unlocated: string[];
  /** Messages that read like a bug, not like advice: "unexpected", a stack trace, `undefined`. */
  unhelpful: string[];
}

/**
 * Writes one seed's odd inputs into a new issue under `workDir` (the scaffold of
 * `digest new`, which builds as it is) and checks it as `digest check` does.
 */
export async function checkOddSeed(seed: number, workDir: string, count = 3): Promise<OddVerdict> {
  const { mkdirSync, writeFileSync } = await import("node:fs");
  const { dirname, join } = await import("node:path");
  const { scaffoldIssue } = await import("../content/scaffold.js");
  const { checkIssue } = await import("../index.js");
  const dir = join(workDir, `seed-${seed}`, "2025-q1");
  scaffoldIssue(dir, "2025-q1");
  const odd = oddInputs(seed, "2025-01", count);
  for (const [path, content] of odd.files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  for (const folder of odd.folders) mkdirSync(join(dir, folder), { recursive: true });
  const verdict: OddVerdict = { seed, dir, pieces: odd.pieces, errors: 0, warnings: 0, crashes: [], unlocated: [], unhelpful: [] };
  try {
    const { problems } = checkIssue(dir, dir);
    verdict.errors = problems.errorCount;
    verdict.warnings = problems.count - problems.errorCount;
    for (const m of problems.list()) {
      if (m.fatal && (!m.file || !m.line)) verdict.unlocated.push(`${m.file ?? "?"} ${m.reason}`);
      if (/unexpected|\bat .*:\d+:\d+\)|undefined|NaN|\[object /i.test(m.reason)) verdict.unhelpful.push(`${m.file}:${m.line} ${m.reason}`);
    }
  } catch (error) {
    verdict.crashes.push(error instanceof Error ? (error.stack ?? error.message) : String(error));
  }
  return verdict;
}
