// The files a build writes, written first as temporaries beside where they go,
// and renamed into place together only once every check has passed: a failed or
// interrupted build leaves the earlier files as they were, and no temporary.
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/** The build's outputs on their way: each final path with the temporary that holds its bytes until `publish`. */
export class EditionFiles {
  private readonly staged = new Map<string, string>();

  /** The temporary that stands for `path` until publish (beside it, so the rename stays on one file system). */
  temporary(path: string): string {
    let tmp = this.staged.get(path);
    if (!tmp) {
      mkdirSync(dirname(path), { recursive: true });
      tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
      this.staged.set(path, tmp);
    }
    return tmp;
  }

  /** Writes `path`'s bytes to its temporary. */
  write(path: string, data: string | Uint8Array): string {
    const tmp = this.temporary(path);
    writeFileSync(tmp, data);
    return tmp;
  }

  /** Renames every temporary into place, one after the other with nothing in between that can fail but the renames. */
  publish(): void {
    for (const [path, tmp] of this.staged) renameSync(tmp, path);
    this.staged.clear();
  }

  /** Removes every temporary: nothing of this build is left. */
  discard(): void {
    for (const tmp of this.staged.values()) {
      try {
        rmSync(tmp, { force: true });
      } catch {
        // Not a file we wrote (something else stands there): left alone, and the error that stopped the build is the one to tell.
      }
    }
    this.staged.clear();
  }
}
