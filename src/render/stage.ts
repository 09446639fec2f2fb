// The recipe's second stage: the issue's HTML, the whole document and each unit
// of layout apart, with the layout's scripts (which the recipe names) in its head.
import { pathToFileURL } from "node:url";
import type { Issue } from "../content/model.js";
import type { Problems } from "../content/problems.js";
import { reportLowResolution } from "./picture-placement.js";
import { gridOf } from "./grid.js";
import { ContentError } from "../errors.js";
import { renderIssue, renderIssueUnits, type RenderedIssue } from "./render-issue.js";

/** The rendered issue, and the document any Paged.js tool can lay out (for `--html`, without digest's scripts). */
export interface RenderStage {
  rendered: RenderedIssue;
  /** The document without the layout scripts, when asked for. */
  plainHtml?: string;
}

/** Renders the issue with these scripts (files) in its head; with `plain`, also the document as pagedjs-cli would take it. Pictures that will print below 300 ppi at their placed size are warned of at their line, and one below 150 ppi stops the build (ContentError). */
export function renderStage(issue: Issue, problems: Problems, scripts: string[], options: { plain?: boolean } = {}): RenderStage {
  reportLowResolution(issue, gridOf(issue), problems);
  // A picture too small for print even where it is set narrowest is an error: the build stops before Chromium starts.
  if (problems.errorCount) throw new ContentError(problems);
  const rendered = renderIssueUnits(issue, { scripts: scripts.map((path) => pathToFileURL(path).href) });
  return { rendered, plainHtml: options.plain ? renderIssue(issue) : undefined };
}
