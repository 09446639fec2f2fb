import { VFile } from "vfile";
import type { Point } from "unist";
import { reporter } from "vfile-reporter";

/** A place in a source file: 1-based line and column. */
export type Place = Point | { start: Point; end?: Point } | undefined;

/**
 * Collects the content problems of one build, each located in its file, so they
 * are all reported together at the end (vfile-reporter style), never one by one.
 */
export class Problems {
  private files = new Map<string, VFile>();

  constructor(private readonly cwd: string = process.cwd()) {}

  private file(path: string): VFile {
    let file = this.files.get(path);
    if (!file) {
      file = new VFile({ path, cwd: this.cwd });
      this.files.set(path, file);
    }
    return file;
  }

  /** Records an error: the build stops before Chromium starts. */
  error(path: string, place: Place, reason: string, ruleId: string, hint?: string): void {
    this.add(path, place, reason, ruleId, hint).fatal = true;
  }

  /** Records a warning: reported, but the build goes on. */
  warn(path: string, place: Place, reason: string, ruleId: string, hint?: string): void {
    this.add(path, place, reason, ruleId, hint);
  }

  private add(path: string, place: Place, reason: string, ruleId: string, hint?: string) {
    const where = !place ? undefined : "start" in place ? { start: place.start, end: place.end ?? place.start } : place;
    return this.file(path).message(hint ? `${reason}. ${hint}` : reason, { place: where, ruleId, source: "digest" });
  }

  get errorCount(): number {
    return this.list().filter((m) => m.fatal).length;
  }

  get count(): number {
    return this.list().length;
  }

  /** Every message, in file order. */
  list() {
    return [...this.files.values()].flatMap((f) => f.messages);
  }

  /** The problems as text, grouped by file, with file:line:column of each. */
  report(): string {
    const files = [...this.files.values()].filter((f) => f.messages.length > 0);
    return files.length ? reporter(files, { quiet: false }) : "";
  }
}
