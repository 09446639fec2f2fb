// The documents the layout loads, written beside the PDF for Chromium to read
// (it may read only them, the issue's folder, the fonts and the templates), and
// removed when the layout ends, whatever way it ends.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { RenderedIssue } from "../render/render-issue.js";

/** The whole document and, written when first asked for, documents of some units alone (the shares of a parallel layout, copyfitting's sections). */
export class LayoutDocuments {
  /** The whole issue's document. */
  readonly main: string;
  /** What Chromium may load: these documents, and the folders the recipe adds. */
  readonly allowedPaths: string[];
  private readonly byUnits = new Map<string, string>();

  constructor(
    private readonly dir: string,
    private readonly issueId: string,
    private readonly rendered: RenderedIssue,
    allowed: string[],
  ) {
    mkdirSync(dir, { recursive: true });
    this.main = this.path("");
    writeFileSync(this.main, rendered.html);
    this.allowedPaths = [this.main, ...allowed];
  }

  private path(suffix: string): string {
    return join(this.dir, `.${this.issueId}.${process.pid}${suffix}.html`);
  }

  /** The URL of a document of these units alone (same head), written once. */
  documentFor = (units: number[]): string => {
    const key = units.join("-");
    if (!this.byUnits.has(key)) {
      const path = this.path(`.${this.byUnits.size}`);
      writeFileSync(path, this.rendered.documentOf(units));
      this.allowedPaths.push(path);
      this.byUnits.set(key, path);
    }
    return pathToFileURL(this.byUnits.get(key)!).href;
  };

  /** Removes every document written. */
  remove(): void {
    for (const path of [this.main, ...this.byUnits.values()]) rmSync(path, { force: true });
  }
}
