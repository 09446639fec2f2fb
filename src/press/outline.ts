// The PDF's outline (bookmarks): the issue's sections and articles in print order, at their pages.
import type { Issue } from "../content/model.js";
import type { OutlineEntry } from "./postprocess.js";

/** The sections and articles of the issue, in print order, for the outline and page checks. */
export function outlineOf(issue: Issue, pages: Record<string, number>): OutlineEntry[] {
  const entry = (title: string, anchor: string, children?: OutlineEntry[]): OutlineEntry[] =>
    pages[anchor] ? [{ title, page: pages[anchor]!, children }] : [];
  const articles = (list: Issue["spotlight"]) => list.flatMap((a) => entry(a.title, a.anchor));
  return [
    ...(issue.foreword ? entry(issue.foreword.title, "a-foreword") : []),
    ...(issue.spotlight.length ? entry(issue.meta.labels.spotlight, "a-spotlight", articles(issue.spotlight)) : []),
    ...issue.months.flatMap((m) => entry(m.name, m.anchor, articles(m.articles))),
    ...(issue.flashBriefing ? entry(issue.flashBriefing.title, issue.flashBriefing.anchor) : []),
  ];
}
