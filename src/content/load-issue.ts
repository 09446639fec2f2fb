import { existsSync, statSync } from "node:fs";
import { basename, join, relative, resolve } from "node:path";
import type { Root as MdastRoot } from "mdast";
import type { z } from "zod";
import type { Point } from "unist";
import { parseYaml, splitFrontMatter, type LocatedYaml } from "./front-matter.js";
import { idPrefixOf, parseMarkdown, resolvePicture, toHast, type MarkdownContext } from "./markdown.js";
import { readFolder, readSourceFile, statOrNone } from "./source-file.js";
import { Problems } from "./problems.js";
import { pictureSize } from "./picture-type.js";
import { loadHyphenator } from "./hyphenate.js";
import { adSchema, articleSchema, flashBriefingSchema, forewordSchema, issueFileSchema, validate } from "./schema.js";
import { formatSpan, monthName, parsePageSize, quarterMonths, quarterPeriod } from "./calendar.js";
import { smartQuotes } from "./typography.js";
import { isRightToLeft, LABEL_KEYS, labelsFor, languageOf, type Labels } from "./language.js";
import { readFont, TYPEFACES } from "./fonts.js";
import { shippedFacesFor } from "./fallbacks.js";
import { checkGlyphs, textOf, type PrintedText } from "./glyphs.js";
import { FONTS_DIR } from "../paths.js";
import { lackingChars, readIssueFont, shippedCoverage } from "./issue-fonts.js";
import { splitAtBreaks } from "./flash-items.js";
import { nearest } from "./suggest.js";

export { nearest } from "./suggest.js";
import type { Ad, AdPlacement, Article, DateSpan, FlashBriefing, Foreword, Issue, IssueMeta, Month, Picture } from "./model.js";

/** The result of loading an issue folder: the model when it is sound, and every problem found. */
export interface LoadResult {
  issue?: Issue;
  problems: Problems;
}

/** The least and most a page's side may measure: A7 (74 mm) has room for its margins; A0 (1189 mm) is as large as a press prints. */
const PAGE_SIDE_MM = [70, 1200] as const;
/** Printers ask for 3 mm of bleed, at times 5: past 10, a bleed is a mistake. */
const MAX_BLEED_MM = 10;

/** Where `digest build <name>` looks for an issue: a folder path, or a name under `issues/`. */
export function resolveIssueDir(nameOrPath: string, cwd = process.cwd()): string | undefined {
  const direct = resolve(cwd, nameOrPath);
  if (existsSync(join(direct, "issue.yml"))) return direct;
  const named = resolve(cwd, "issues", nameOrPath);
  if (existsSync(named) && statSync(named).isDirectory()) return named;
  if (existsSync(direct) && statSync(direct).isDirectory()) return direct;
  return undefined;
}

/** Visible entries of a folder in name order: `_drafts` and `.hidden` ones are skipped. A folder that cannot be read is reported. */
function entries(dir: string, problems: Problems, cwd: string): string[] {
  return readFolder(dir, relative(cwd, dir) || dir, problems)
    .filter((name) => !name.startsWith("_") && !name.startsWith("."))
    .sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
}

/** The article's identity without its ordering prefix: `03-sg-visits-korea.md` → `sg-visits-korea`. */
export function slugOf(fileName: string): string {
  return basename(fileName, ".md").replace(/^\d+[-_. ]+/, "");
}

/** An id usable in HTML and as a PDF destination name. */
function anchorOf(slug: string): string {
  return "a-" + slug.replace(/[^A-Za-z0-9-]+/g, "-");
}

/** Reads an issue folder into the typed model, collecting every problem on the way (nothing throws on bad content). */
export function loadIssue(dir: string, cwd = process.cwd()): LoadResult {
  const problems = new Problems(cwd);
  const id = basename(dir);
  const rel = (p: string) => relative(cwd, p) || p;

  const issueFile = join(dir, "issue.yml");
  if (!existsSync(issueFile)) {
    problems.error(rel(issueFile), undefined, "Cannot find `issue.yml`", "missing-issue-yml", "Every issue folder needs one: see the README's issue format");
    return { problems };
  }
  const issueRead = readSourceFile(issueFile, rel(issueFile), dir, problems);
  if (!issueRead) return { problems };
  const issueSource = issueRead.text;
  const issueYaml = parseYaml(issueSource);
  reportSyntax(issueYaml, rel(issueFile), problems);
  const issueData = issueYaml.syntaxErrors.length ? undefined : validate(issueFileSchema, issueYaml, rel(issueFile), problems);

  // Language: hyphenation, quotes, dates and labels
  const language = issueData?.language ?? "en";
  const languagePlace = { file: rel(issueFile), place: issueYaml.locate(["language"]) };
  refuseRightToLeft(language, languagePlace.file, languagePlace.place, problems);
  const hyphenators = new Map<string, ((text: string) => string) | undefined>();
  const hyphenatorFor = (tag: string) => {
    if (!hyphenators.has(tag)) hyphenators.set(tag, loadHyphenator(tag));
    return hyphenators.get(tag);
  };
  if (!hyphenatorFor(language)) {
    problems.warn(languagePlace.file, languagePlace.place, `No hyphenation patterns for \`${language}\`: text is justified without hyphenation`, "no-hyphenation");
  }
  const labelOverrides = Object.fromEntries(
    Object.entries(issueData?.labels ?? {}).flatMap(([key, value]) => (value ? [[LABEL_KEYS[key as keyof typeof LABEL_KEYS], value]] : [])),
  ) as Partial<Labels>;
  const labels = labelsFor(language, labelOverrides);
  const unlabelled = Object.values(LABEL_KEYS).filter((key) => !(key in labelOverrides));
  if (!languageOf(language).labels && unlabelled.length) {
    problems.warn(languagePlace.file, languagePlace.place, `digest has no fixed words for \`${language}\`: ${unlabelled.length} labels are printed in English`, "no-labels", `Set them under \`labels:\` in issue.yml: ${Object.keys(LABEL_KEYS).map((k) => `\`${k}\``).join(", ")}`);
  }

  /** Where each article's title stands, for problems found once all articles are read. */
  const titlePlaces = new Map<string, Point>();
  /** What each file puts on the pages, for the check of glyphs. */
  const printed: PrintedText[] = [];
  const context = (path: string): MarkdownContext => ({ file: rel(path), path, issueDir: dir, problems, language, hyphenate: hyphenatorFor(language) });

  /** Reads a Markdown file's front matter (validated) and body (as mdast), in the file's language. */
  function readMarkdown<T extends z.ZodType>(path: string, schema: T) {
    const ctx = context(path);
    const read = readSourceFile(path, ctx.file, dir, problems);
    if (!read) {
      const tree: MdastRoot = { type: "root", children: [] };
      return { data: undefined as z.infer<T> | undefined, yaml: undefined as LocatedYaml | undefined, tree, ctx, own: undefined as string | undefined, prints: () => {} };
    }
    const source = read.text;
    const split = splitFrontMatter(source);
    let data: z.infer<T> | undefined;
    let yaml: LocatedYaml | undefined;
    if (split.frontMatter === undefined) {
      problems.error(ctx.file, { line: 1, column: 1 }, "Expected front matter between `---` lines at the top of the file", "missing-front-matter");
    } else {
      yaml = parseYaml(split.frontMatter, 2);
      reportSyntax(yaml, ctx.file, problems);
      if (!yaml.syntaxErrors.length) data = validate(schema, yaml, ctx.file, problems);
    }
    // A file in another language than the issue's (front matter `language:`) is set by that language's rules.
    const own = (data as { language?: string } | undefined)?.language;
    let fallback = languagePlace;
    if (own && yaml) {
      fallback = { file: ctx.file, place: yaml.locate(["language"]) };
      refuseRightToLeft(own, fallback.file, fallback.place, problems);
      ctx.language = own;
      ctx.hyphenate = hyphenatorFor(own);
    }
    const tree = parseMarkdown(split.body, ctx);
    /** Records what the file prints, once its bodies are made. */
    const prints = (...text: (string | undefined)[]) => printed.push({ file: ctx.file, source, text: text.filter((t): t is string => Boolean(t)), fallback, notUtf8: read.notUtf8 });
    return { data, yaml, tree, ctx, own, prints };
  }

  function readArticle(path: string, slug: string, month?: string): Article | undefined {
    const { data, yaml, tree, ctx, own, prints } = readMarkdown(path, articleSchema);
    if (!data || !yaml) return undefined;
    const date = data.date ? parseSpan(data.date) : undefined;
    if (date && month && !(date.start.startsWith(month) && (!date.end || date.end.startsWith(month)))) {
      problems.error(ctx.file, yaml.locate(["date"]), `Expected a date in ${monthName(month, language)} (the month folder \`${month}\`), not \`${data.date}\``, "date-outside-month", "Fix the date or move the file to its month's folder");
    }
    const imagePath = data.image ? resolvePicture(data.image, ctx, yaml.locate(["image"])) : undefined;
    titlePlaces.set(slug, yaml.locate(["title"]));
    const article: Article = {
      slug,
      anchor: anchorOf(slug),
      file: ctx.file,
      title: smartQuotes(data.title, ctx.language),
      language: own,
      toc: data.toc && smartQuotes(data.toc, ctx.language),
      date,
      place: data.place,
      image: imagePath ? { ...pictureAt(imagePath, ctx.file, yaml.locate(["image"])), caption: data.caption && smartQuotes(data.caption, ctx.language) } : undefined,
      body: toHast(tree, ctx),
    };
    const dateline = [date && formatSpan(date, ctx.language), article.place].filter(Boolean).join(languageOf(ctx.language).datelineDash);
    prints(article.title, article.toc, dateline, article.image?.caption, textOf(article.body));
    return article;
  }

  // Foreword
  let foreword: Foreword | undefined;
  const forewordPath = join(dir, "foreword.md");
  if (existsSync(forewordPath)) {
    const { data, tree, ctx, own, prints } = readMarkdown(forewordPath, forewordSchema);
    if (data) {
      foreword = { file: ctx.file, title: smartQuotes(data.title ?? labels.foreword, ctx.language), language: own, author: data.author, role: data.role, body: toHast(tree, ctx) };
      prints(foreword.title, foreword.author, foreword.role, textOf(foreword.body));
    }
  }

  // Spotlight: a folder of articles, or one file
  const spotlight: Article[] = [];
  const spotlightDir = join(dir, "spotlight");
  const spotlightFile = join(dir, "spotlight.md");
  if (existsSync(spotlightDir) && statSync(spotlightDir).isDirectory()) {
    const files = entries(spotlightDir, problems, cwd).filter((n) => n.endsWith(".md"));
    if (!files.length) {
      problems.error(rel(spotlightDir), undefined, "The spotlight folder has no articles", "empty-section", "Add an article, or remove the folder");
    }
    for (const name of files) {
      const a = readArticle(join(spotlightDir, name), `spotlight/${slugOf(name)}`);
      if (a) spotlight.push(a);
    }
  } else if (existsSync(spotlightFile)) {
    const a = readArticle(spotlightFile, "spotlight");
    if (a) spotlight.push(a);
  }

  // Months
  const months: Month[] = [];
  const monthsDir = join(dir, "months");
  const allowedMonths = quarterMonths(id);
  if (existsSync(monthsDir)) {
    for (const key of entries(monthsDir, problems, cwd)) {
      const monthDir = join(monthsDir, key);
      const stats = statOrNone(monthDir);
      if (!stats) {
        problems.error(rel(monthDir), undefined, `Cannot read \`${key}\`: it is a link to nothing`, "unreadable-file", "Replace the link with the month's folder itself");
        continue;
      }
      if (!stats.isDirectory()) continue;
      if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(key)) {
        problems.error(rel(monthDir), undefined, `Expected a month folder named YYYY-MM, not \`${key}\``, "bad-month-folder", "Rename it, e.g. `2024-07`, or start its name with `_` to leave it out");
        continue;
      }
      if (allowedMonths && !allowedMonths.includes(key)) {
        problems.error(rel(monthDir), undefined, `Month folder \`${key}\` is outside the issue's quarter (${allowedMonths.join(", ")})`, "month-outside-quarter", "Move its articles to the right issue, or rename the folder");
        continue;
      }
      const articles: Article[] = [];
      const files = entries(monthDir, problems, cwd).filter((n) => n.endsWith(".md"));
      for (const name of files) {
        const a = readArticle(join(monthDir, name), `${key}/${slugOf(name)}`, key);
        if (a) articles.push(a);
      }
      if (!files.length) {
        problems.error(rel(monthDir), undefined, `Month \`${key}\` has no articles`, "empty-section", "Add an article, or start the folder's name with `_` to leave it out");
      }
      months.push({ key, name: monthName(key, language), anchor: anchorOf(`month-${key}`), articles });
    }
  }

  // Flash briefing: items between thematic breaks
  let flashBriefing: FlashBriefing | undefined;
  const flashPath = join(dir, "flash-briefing.md");
  if (existsSync(flashPath)) {
    const { data, tree, ctx, own, prints } = readMarkdown(flashPath, flashBriefingSchema);
    if (data) {
      const items = splitAtBreaks(tree)
        .filter((run) => run.length)
        .map((run, i) => ({ boxed: run[0]!.type === "heading" && run[0]!.depth === 2, body: toHast(run, ctx, `${idPrefixOf(relative(dir, ctx.path))}${i + 1}-`) }));
      if (!items.length) problems.error(ctx.file, undefined, "The flash briefing has no items", "empty-section", "Write its items separated by `***` lines, or delete the file");
      flashBriefing = { file: ctx.file, title: smartQuotes(data.title ?? labels.flashBriefing, ctx.language), language: own, anchor: anchorOf("flash-briefing"), items };
      prints(flashBriefing.title, ...items.map((item) => textOf(item.body)));
    }
  }

  // Ads
  const ads: Ad[] = [];
  const adsDir = join(dir, "ads");
  const articles = [...spotlight, ...months.flatMap((m) => m.articles)];
  reportDuplicates(articles, titlePlaces, problems);
  const slugs = new Set(articles.map((a) => a.slug));
  if (existsSync(adsDir)) {
    for (const name of entries(adsDir, problems, cwd).filter((n) => n.endsWith(".md"))) {
      const { data, yaml, tree, ctx, own, prints } = readMarkdown(join(adsDir, name), adSchema);
      if (!data || !yaml) continue;
      const placement: AdPlacement = typeof data.placement === "string" ? { kind: data.placement } : { kind: "after", slug: data.placement.after };
      if (placement.kind === "after" && !slugs.has(placement.slug)) {
        const near = nearest(placement.slug, [...slugs]);
        problems.error(ctx.file, yaml.locate(["placement", "after"]), `No article has the slug \`${placement.slug}\``, "unknown-slug", near ? `Did you mean \`${near}\`?` : "A slug is the month folder and the file name without its number, e.g. `2024-08/sg-visits-korea`");
        continue;
      }
      const imagePath = data.image ? resolvePicture(data.image, ctx, yaml.locate(["image"])) : undefined;
      // An ad is display type: set to fit its page, never hyphenated.
      const ad: Ad = { file: ctx.file, advertiser: data.advertiser, language: own, placement, image: imagePath ? pictureAt(imagePath, ctx.file, yaml.locate(["image"])) : undefined, body: toHast(tree, { ...ctx, hyphenate: undefined }) };
      ads.push(ad);
      prints(textOf(ad.body));
    }
  }

  // The fonts: the templates' typefaces, and the issue's own for other scripts
  const typefaces = TYPEFACES.map((face) => readFont(join(FONTS_DIR, face.file)));
  const fonts = (issueData?.fonts ?? []).flatMap((entry, i) => {
    const font = readIssueFont(entry, dir, rel(issueFile), issueYaml.locate(["fonts", i]), problems);
    return font ? [font] : [];
  });

  if (!issueData) return { problems };
  const page = parsePageSize(issueData.page.size, issueData.page.bleed, issueData.page.binding, issueData.page.fill);
  if (!page) {
    problems.error(rel(issueFile), issueYaml.locate(["page", "size"]), `Unknown page size \`${issueData.page.size}\``, "page-size", "Use A4, A5, letter, or two lengths like `210mm 297mm`");
    return { problems };
  }
  // A page too small for its margins, or larger than a press prints, would lay out as nonsense.
  const [least, most] = PAGE_SIDE_MM;
  if ([page.widthMm, page.heightMm].some((side) => side < least || side > most)) {
    problems.error(rel(issueFile), issueYaml.locate(["page", "size"]), `Expected a page between ${least} mm and ${most} mm on each side, not \`${issueData.page.size}\``, "page-size", "Use A4, A5, letter, or two lengths like `210mm 297mm`");
    return { problems };
  }
  if (page.bleedMm > MAX_BLEED_MM) {
    problems.error(rel(issueFile), issueYaml.locate(["page", "bleed"]), `Expected a bleed of at most ${MAX_BLEED_MM} mm, not \`${issueData.page.bleed}\``, "page-size", "Printers ask for 3 mm, at times 5 mm: ask yours");
    return { problems };
  }
  const coverImage = issueData.cover.image ? resolvePicture(issueData.cover.image, context(issueFile), issueYaml.locate(["cover", "image"])) : undefined;
  const meta: IssueMeta = {
    title: issueData.title,
    tagline: issueData.tagline,
    period: issueData.period ?? quarterPeriod(id, language) ?? id,
    language,
    labels: { ...labels, publishedBy: labels.publishedBy.replaceAll("{title}", issueData.title) },
    fonts,
    shipped: [],
    publisher: issueData.publisher,
    cover: {
      headlines: issueData.cover.headlines.map((h) => smartQuotes(h, language)),
      feature: issueData.cover.feature && { ...issueData.cover.feature, title: smartQuotes(issueData.cover.feature.title, language) },
      image: coverImage ? pictureAt(coverImage, rel(issueFile), issueYaml.locate(["cover", "image"])) : undefined,
    },
    page,
    titleSource: sourceOf(rel(issueFile), issueYaml.locate(["title"])),
  };
  const featureDate = meta.cover.feature?.date && formatSpan(parseSpan(meta.cover.feature.date), language);
  const publisher = meta.publisher ? [meta.publisher.name, meta.publisher.address, meta.publisher.phone, meta.publisher.email, meta.publisher.web, ...meta.publisher.social] : [];
  printed.push({
    file: rel(issueFile),
    source: issueSource,
    text: [meta.title, meta.tagline, meta.period, ...Object.values(meta.labels), ...publisher, ...meta.cover.headlines, meta.cover.feature?.title, featureDate, ...months.map((m) => m.name)].filter((t): t is string => Boolean(t)),
    fallback: languagePlace,
  });
  // The shipped fallbacks for what neither the typefaces nor the issue's own fonts have (none for Latin and Cyrillic).
  meta.shipped = shippedFacesFor(lackingChars(printed, typefaces, fonts));
  // Only when every font named could be read: one that cannot would leave its characters reported as missing.
  if (fonts.length === issueData.fonts.length) checkGlyphs(printed, typefaces, [...fonts, shippedCoverage(meta.shipped, typefaces)], problems);
  if (!spotlight.length && !months.length) {
    problems.error(rel(dir), undefined, "The issue has no articles", "empty-issue", "Add a spotlight/ folder or months/YYYY-MM/ folders with Markdown files");
  }
  if (problems.errorCount) return { problems };
  return { issue: { id, dir, meta, foreword, spotlight, months, flashBriefing, ads }, problems };
}

/** A picture named in front matter or issue.yml: its path, pixel size and where it is named. */
function pictureAt(path: string, file: string, place: Point | undefined): Picture {
  return { path, size: pictureSize(path), source: sourceOf(file, place) };
}

/** `file:line:column`, the form in which laid-out pages name where their content comes from. */
function sourceOf(file: string, place: Point | undefined): string {
  return `${file}:${place?.line ?? 1}:${place?.column ?? 1}`;
}

/** Right-to-left text (Arabic, Hebrew, Persian, Urdu…) needs a mirrored layout that digest does not have yet. */
function refuseRightToLeft(tag: string, file: string, place: Point | undefined, problems: Problems): void {
  if (!isRightToLeft(tag)) return;
  problems.error(file, place, `Cannot set \`${tag}\`: it is written right to left, and digest lays out left-to-right languages only`, "right-to-left", "Right-to-left issues and articles are not supported yet: see the README");
}

/** Two articles with one slug (`01-x.md` and `02-x.md`) or one title would confuse ads, links and readers. */
function reportDuplicates(articles: Article[], titlePlaces: Map<string, Point>, problems: Problems): void {
  const seen = new Map<string, Article>();
  const titles = new Map<string, Article>();
  for (const a of articles) {
    const first = seen.get(a.slug);
    if (first) problems.error(a.file, { line: 1, column: 1 }, `Another article has the slug \`${a.slug}\`: ${first.file}`, "duplicate-slug", "Give one of the files another name");
    else seen.set(a.slug, a);
    const key = a.title.trim().toLowerCase();
    const same = titles.get(key);
    if (same) problems.error(a.file, titlePlaces.get(a.slug), `Another article has the title “${a.title}”: ${same.file}`, "duplicate-title", "Give each article its own title");
    else titles.set(key, a);
  }
}

function reportSyntax(yaml: LocatedYaml, file: string, problems: Problems): void {
  // The first syntax error is the real one; the rest follow from it.
  for (const e of yaml.syntaxErrors.slice(0, 1)) problems.error(file, e.place, `Cannot read the YAML: ${e.message}`, e.ruleId ?? "yaml-syntax", e.hint ?? "Check the indentation and quote values that contain `: ` or start with `@`, `*` or `[`");
}

function parseSpan(value: string): DateSpan {
  const [start, end] = value.split("/");
  return end && end !== start ? { start: start!, end } : { start: start! };
}

