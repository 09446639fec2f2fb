// The layout fuzzer's source of issues: a random but valid issue folder from a
// seed, the same bytes for the same seed, with the variety that breaks layouts
// (page sizes, long titles and addresses, pictures of every shape, tables, ads).
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Random } from "./random.js";
import { Words } from "./words.js";
import { encodeScene, type Shape } from "./png.js";

/** The page sizes the fuzzer tries, as `page.size` is written in issue.yml. */
export const FUZZ_SIZES = ["A4", "A5", "B5", "letter", "176mm 250mm"] as const;

/** The long side of a full-page picture (the cover's, an ad's), in pixels. */
export const FULL_PAGE_LONG_SIDE = 2800;

/** The shapes of picture the fuzzer makes, width:height. */
export const PICTURE_RATIOS = { panorama: [3, 1], wide: [16, 9], landscape: [3, 2], square: [1, 1], portrait: [2, 3], tall: [1, 2] } as const;
export type PictureShape = keyof typeof PICTURE_RATIOS;

export interface GenerateOptions {
  /** Force this page size (`A5`, `176mm 250mm`) instead of a random one. */
  size?: string;
}

/** What went into a generated issue, to print beside its faults. */
export interface IssueFacts {
  seed: number;
  id: string;
  size: string;
  binding: "saddle-stitch" | "perfect";
  months: number;
  articles: number;
  blocks: number;
  pictures: Record<PictureShape, number>;
  tables: number;
  flashItems: number;
  ads: number;
}

/** A generated issue: its folder name and its files by path inside the folder. */
export interface GeneratedIssue {
  id: string;
  files: Map<string, string | Buffer>;
  facts: IssueFacts;
}

interface ArticlePlan {
  /** Path inside the issue folder. */
  path: string;
  slug: string;
  title: string;
}

type Rgb = [number, number, number];
const PALETTE: Rgb[] = [
  [15, 47, 87], [29, 92, 150], [217, 230, 242], [184, 137, 45], [120, 150, 90], [200, 80, 60], [60, 60, 70], [240, 220, 170],
];

/** Makes a random valid issue from a seed: the same seed (and options) give the same files, byte for byte. */
export function generateIssue(seed: number, options: GenerateOptions = {}): GeneratedIssue {
  const r = new Random(seed);
  const w = new Words(r);
  const files = new Map<string, string | Buffer>();
  const year = r.int(2023, 2027);
  const quarter = r.int(1, 4);
  const id = `${year}-q${quarter}`;
  const monthKeys = [0, 1, 2].map((i) => `${year}-${String((quarter - 1) * 3 + 1 + i).padStart(2, "0")}`);
  // Drawn even when the size is forced, so that `--size A5` lays out the very same content as the seed's own size.
  const drawnSize = r.pick(FUZZ_SIZES);
  const size = options.size ?? drawnSize;
  const binding = r.chance(0.7) ? "saddle-stitch" : "perfect";
  const facts: IssueFacts = {
    seed, id, size, binding, months: 0, articles: 0, blocks: 0,
    pictures: { panorama: 0, wide: 0, landscape: 0, square: 0, portrait: 0, tall: 0 },
    tables: 0, flashItems: 0, ads: 0,
  };
  const titles = new Set<string>();

  /** A title no other article has (duplicate titles are an error). */
  const uniqueTitle = (long: boolean): string => {
    for (;;) {
      const t = long ? w.title(60, 140) : w.title(18, 58);
      if (!titles.has(t.toLowerCase())) {
        titles.add(t.toLowerCase());
        return t;
      }
    }
  };

  /** Makes a picture file in images/ and returns its name. */
  const picture = (shape: PictureShape = r.pick(Object.keys(PICTURE_RATIOS) as PictureShape[]), fullPage = false): string => {
    const [rw, rh] = PICTURE_RATIOS[shape];
    // Long sides from a phone snapshot to a press photo: some print below 300 ppi at their placed size.
    // A full-page picture (the cover's, an ad's) is stretched over the page: below 2800 pixels a tall one would print
    // below the 150 ppi a printer accepts, which digest check refuses. (The same random draw either way.)
    const long = Math.max(r.pick([800, 1200, 1600, 2000, 2400]), fullPage ? FULL_PAGE_LONG_SIDE : 0);
    const [width, height] = rw >= rh ? [long, Math.round((long * rh) / rw)] : [Math.round((long * rw) / rh), long];
    const shapes: Shape[] = Array.from({ length: r.int(1, 5) }, () => {
      const sw = r.int(Math.ceil(width / 10), Math.ceil(width / 2));
      const sh = r.int(Math.ceil(height / 10), Math.ceil(height / 2));
      return { x: r.int(0, width - sw), y: r.int(0, height - sh), width: sw, height: sh, rgb: r.pick(PALETTE) };
    });
    facts.pictures[shape]++;
    const name = `${shape}-${String(files.size).padStart(3, "0")}-${width}x${height}.png`;
    files.set(`images/${name}`, encodeScene(width, height, r.pick(PALETTE), r.pick(PALETTE), shapes));
    return name;
  };

  /** One Markdown block of an article body; `up` leads from the file to the issue folder. */
  const block = (kind: string, up: string): string => {
    switch (kind) {
      case "subhead":
        return `### ${w.title(12, 48)}\n\n${w.paragraph()}`;
      case "list": {
        const ordered = r.chance(0.4);
        return Array.from({ length: r.int(2, 7) }, (_, i) => `${ordered ? `${i + 1}.` : "-"} ${w.sentence(r.int(3, 20))}`).join("\n");
      }
      case "quote":
        return `> ${w.paragraph(r.int(1, 3))}`;
      case "table": {
        facts.tables++;
        const columns = r.int(2, 4);
        const numeric = Array.from({ length: columns }, (_, i) => i > 0 && r.chance(0.6));
        const rows = [
          Array.from({ length: columns }, () => w.cell(false)),
          Array.from({ length: columns }, () => "---"),
          ...Array.from({ length: r.int(2, 7) }, () => numeric.map((n) => w.cell(n))),
        ];
        return rows.map((row) => `| ${row.join(" | ")} |`).join("\n");
      }
      case "picture": {
        const credit = r.chance(0.6) ? ` "Photo: ${w.person()}"` : "";
        const caption = r.chance(0.85) ? w.sentence(r.int(4, 22)).replace(/\.$/, "") : "";
        return `![${caption}](${up}images/${picture()}${credit})`;
      }
      case "address": {
        const url = w.url();
        const email = w.email();
        return r.pick([
          `${w.sentence()} The full text is published at ${url} and questions may be sent to ${email} before the end of the month. ${w.sentence()}`,
          `${w.sentence()} Registration: <${url}>. Contact: [${email}](mailto:${email}). ${w.sentence()}`,
          `${w.sentence()} Write to ${email}. ${w.paragraph(2)}`,
        ]);
      }
      default:
        return w.paragraph();
    }
  };

  const body = (blocks: number, up: string): string => {
    const out = [w.paragraph()];
    for (let i = 1; i < blocks; i++) {
      out.push(block(r.weighted({ paragraph: 8, subhead: 1.5, list: 1.2, quote: 1, table: 1, picture: 1.6, address: 0.8 }), up));
    }
    facts.blocks += blocks;
    return out.join("\n\n") + "\n";
  };

  const yaml = (value: string) => JSON.stringify(value);

  /** An article file: front matter (maybe a lead picture, a dateline) and 1–12 blocks. */
  const article = (path: string, slug: string, month: string | undefined, up: string): ArticlePlan => {
    const title = uniqueTitle(r.chance(0.2));
    const front = [`title: ${yaml(title)}`];
    if (r.chance(0.3)) front.push(`toc: ${yaml(w.title(15, 50))}`);
    if (month && r.chance(0.8)) {
      const day = r.int(1, 28);
      const end = r.chance(0.2) ? Math.min(28, day + r.int(1, 4)) : day;
      front.push(`date: ${month}-${String(day).padStart(2, "0")}${end > day ? `/${month}-${String(end).padStart(2, "0")}` : ""}`);
    }
    if (r.chance(0.6)) front.push(`place: ${yaml(`${w.place()}${r.chance(0.5) ? `, ${w.place()}` : ""}`)}`);
    if (r.chance(0.35)) {
      front.push(`image: ${up}images/${picture()}`);
      if (r.chance(0.7)) front.push(`caption: ${yaml(w.sentence(r.int(5, 20)))}`);
    }
    files.set(path, `---\n${front.join("\n")}\n---\n\n${body(r.int(1, 12), up)}`);
    facts.articles++;
    return { path, slug, title };
  };

  const fileName = (i: number, title: string) =>
    `${String(i + 1).padStart(2, "0")}-${title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 40).replace(/-$/, "")}`;

  // Spotlight: none, one file, or a folder of one or two articles.
  const articles: ArticlePlan[] = [];
  const spotlightKind = r.weighted({ none: 2, file: 1, folder: 2 });
  if (spotlightKind === "file") articles.push(article("spotlight.md", "spotlight", undefined, ""));
  if (spotlightKind === "folder") {
    for (let i = 0, n = r.int(1, 2); i < n; i++) {
      const slug = fileName(i, `story ${i} ${r.int(100, 999)}`);
      articles.push(article(`spotlight/${slug}.md`, `spotlight/${slug.replace(/^\d+-/, "")}`, undefined, "../"));
    }
  }

  // Months: one to three of the quarter, 0–8 articles each (a month with none gets no folder).
  const monthCount = r.int(1, 3);
  for (const month of monthKeys.slice(0, monthCount)) {
    const count = r.int(0, 8);
    if (count) facts.months++;
    for (let i = 0; i < count; i++) {
      const name = fileName(i, `${w.noun()} ${w.noun()} ${i}`);
      articles.push(article(`months/${month}/${name}.md`, `${month}/${name.replace(/^\d+-/, "")}`, month, "../../"));
    }
  }
  // An issue needs at least one article.
  if (!articles.length) {
    const month = monthKeys[0]!;
    facts.months++;
    articles.push(article(`months/${month}/01-only-story.md`, `${month}/only-story`, month, "../../"));
  }

  // Foreword
  if (r.chance(0.6)) {
    const front = [`author: ${yaml(w.person())}`];
    if (r.chance(0.5)) front.unshift(`title: ${yaml(w.title(8, 40))}`);
    if (r.chance(0.7)) front.push(`role: ${yaml(`Secretary General of the ${w.title(10, 50)}`)}`);
    const paragraphs = Array.from({ length: r.int(2, 7) }, () => w.paragraph());
    files.set("foreword.md", `---\n${front.join("\n")}\n---\n\n*Dear readers,*\n\n${paragraphs.join("\n\n")}\n\n*Sincerely,*\n`);
  }

  // Flash briefing: 0–12 items, some boxed (a `##` heading first).
  const flashItems = r.int(0, 12);
  if (flashItems) {
    const items = Array.from({ length: flashItems }, () => {
      if (r.chance(0.2)) {
        const extra = r.chance(0.5) ? `\n\n${Array.from({ length: r.int(2, 4) }, () => `- ${w.sentence(r.int(3, 12))}`).join("\n")}` : "";
        return `## ${w.title(10, 40)}\n\n${block(r.chance(0.3) ? "address" : "paragraph", "")}${extra}`;
      }
      return r.chance(0.15) ? block("address", "") : w.paragraph(r.int(1, 4));
    });
    facts.flashItems = flashItems;
    files.set("flash-briefing.md", `---\n${r.chance(0.3) ? `title: ${yaml(w.title(8, 30))}\n` : ""}---\n\n${items.join("\n\n***\n\n")}\n`);
  }

  // Ads: 0–3, on the covers or after an article, with or without a picture.
  const placements = r.shuffle(["inside-front-cover", "inside-back-cover", "back-cover", "after", "after"]);
  const adCount = r.int(0, 3);
  const afterUsed = new Set<string>();
  for (let i = 0; i < adCount; i++) {
    let placement = placements[i]!;
    if (placement === "after") {
      const target = r.pick(articles);
      if (afterUsed.has(target.slug)) continue;
      afterUsed.add(target.slug);
      placement = `\n  after: ${target.slug}`;
    }
    const advertiser = `${w.place()} ${r.pick(["Shipbuilders", "Tourism", "Bank", "Airlines", "Institute", "Harbour Authority"])}`;
    const front = [`advertiser: ${yaml(advertiser)}`, `placement: ${placement}`];
    if (r.chance(0.5)) front.push(`image: ../images/${picture(r.pick(["portrait", "tall", "square"] as const), true)}`);
    const headline = r.chance(0.3) ? r.pick(["SHIPBUILDERS", "INTERNATIONALISATION", "Adventure starts here", advertiser.toUpperCase()]) : w.title(8, 50);
    const lines = [`# ${headline}`, w.sentence(r.int(5, 18))];
    if (r.chance(0.6)) lines.push(`Address:\\\n${r.int(1, 99)} ${w.place()} Avenue,\\\n${w.place()}\\\nE-mail: [${w.email()}](mailto:info@example.org)`);
    if (r.chance(0.5)) lines.push(`[${w.url().replace(/^https:\/\//, "")}](${w.url()})`);
    files.set(`ads/${String(i + 1).padStart(2, "0")}-advertiser.md`, `---\n${front.join("\n")}\n---\n\n${lines.join("\n\n")}\n`);
    facts.ads++;
  }

  // issue.yml: masthead, cover teasers, page set-up.
  const title = r.pick(["The Harbour Bulletin", "Regional Review", "Northern Shipbuilder Quarterly", "Digest", "The Corridor", "Voices of the Steppe and the Sea"]);
  const issueYml = [`title: ${yaml(title)}`];
  if (r.chance(0.7)) issueYml.push(`tagline: ${yaml(w.title(8, 36))}`);
  if (r.chance(0.3)) issueYml.push("language: en-US");
  if (r.chance(0.7)) {
    issueYml.push(
      "publisher:",
      `  name: ${yaml(`The ${w.title(10, 80)} Secretariat`)}`,
      `  address: ${yaml(`${r.int(1, 120)}/${r.int(1, 40)} ${w.place()} Avenue, ${w.place()}`)}`,
      `  phone: "+${r.int(1, 99)} ${r.int(100, 9999)} ${r.int(100000, 999999)}"`,
      `  email: ${yaml(w.email())}`,
      `  web: ${yaml(w.url().replace(/^https:\/\//, "").replace(/\/.*$/, ""))}`,
      `  social: [${Array.from({ length: r.int(0, 3) }, () => yaml(`@${w.noun()}_${w.noun()}`)).join(", ")}]`,
    );
  }
  const teasers = r.shuffle(articles).slice(0, r.int(0, 8)).map((a) => a.title);
  issueYml.push("cover:", `  headlines: [${teasers.map(yaml).join(", ")}]`);
  const spotlight = articles.filter((a) => a.slug.startsWith("spotlight"));
  if (spotlight.length && r.chance(0.7)) issueYml.push("  feature:", `    title: ${yaml(spotlight[0]!.title)}`);
  if (r.chance(0.25)) issueYml.push(`  image: images/${picture(r.pick(["portrait", "square", "tall"] as const), true)}`);
  issueYml.push("page:", `  size: ${yaml(size)}`, "  bleed: 3mm", `  binding: ${binding}`);
  files.set("issue.yml", `${issueYml.join("\n")}\n`);

  return { id, files, facts };
}

/** Writes a generated issue under `parent` (as `<parent>/<id>/`, since an issue's folder name is its id) and returns its folder. */
export function writeIssue(parent: string, issue: GeneratedIssue): string {
  const dir = join(parent, issue.id);
  for (const [path, content] of issue.files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}
