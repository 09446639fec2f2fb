// The recipe's first stage: the issue folder, found, loaded and checked. Any
// content error stops the build here, before Chromium starts.
import { loadIssue } from "./load-issue.js";
import { locateIssue } from "./locate-issue.js";
import type { Issue } from "./model.js";
import type { Problems } from "./problems.js";
import { ContentError } from "../errors.js";

/** An issue ready to render, and the warnings found on the way (the build reports them with its own). */
export interface LoadedIssue {
  issue: Issue;
  problems: Problems;
}

/** Finds the issue (a name under `issues/` or a folder), loads it and checks it; throws ContentError with every problem when any is an error. */
export function loadStage(name: string, cwd: string): LoadedIssue {
  const { issue, problems } = loadIssue(locateIssue(name, cwd), cwd);
  if (!issue || problems.errorCount) throw new ContentError(problems);
  return { issue, problems };
}
