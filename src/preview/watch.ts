import { lstatSync, readdirSync, watch, type FSWatcher } from "node:fs";
import { basename, join, relative, sep } from "node:path";

/** A folder to watch, and how its files are named in the terminal (`templates/css/print.css`). */
export interface WatchTarget {
  dir: string;
  /** Prefix for the names of changed files; "" for the issue folder, whose names are the editor's own. */
  label: string;
}

/** Watches folders and reports, once things have settled, which files changed. */
export interface FolderWatcher {
  close(): void;
}

/** Files editors write beside the real one while saving (vim swap and its `4913` probe, backups, Emacs locks): not changes to the issue. */
export function isEditorTempFile(name: string): boolean {
  return /\.(swp|swo|swx|tmp)$/i.test(name) || name.endsWith("~") || name.startsWith(".#") || name === "4913" || name === ".DS_Store";
}

/**
 * Watches every folder of a tree with its own non-recursive fs.watch. Node 20's
 * `recursive: true` on Linux watches each file's inode, so after an editor's atomic
 * save (write a temporary file, rename it over the old one) it never hears of that
 * file again; a folder's watch sees every save, however it is done.
 */
function watchTree(root: string, onEvent: (path: string) => void, onError: (error: Error) => void): FolderWatcher {
  const watchers = new Map<string, FSWatcher>();
  let closed = false;

  const add = (dir: string) => {
    if (closed || watchers.has(dir) || basename(dir) === ".git" || basename(dir) === "node_modules") return;
    let watcher: FSWatcher;
    try {
      watcher = watch(dir, (_event, name) => {
        const path = name ? join(dir, name.toString()) : dir;
        onEvent(path);
        try {
          if (lstatSync(path).isDirectory()) add(path);
        } catch {
          // Gone: a removed folder's watcher ends with an error, handled below.
        }
      });
    } catch (error) {
      if (dir === root) onError(error as Error);
      return;
    }
    watcher.on("error", (error) => {
      watcher.close();
      watchers.delete(dir);
      if (dir === root) onError(error);
    });
    watchers.set(dir, watcher);
    try {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        // A symbolic link to a folder is not followed: it could lead anywhere, even round in a circle.
        if (entry.isDirectory()) add(join(dir, entry.name));
      }
    } catch {
      // The folder went away while we looked: nothing to watch in it.
    }
  };
  add(root);
  return {
    close() {
      closed = true;
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}

/**
 * Watches the targets and calls `onChange` with the names of the files that changed,
 * once no change has come for `debounceMs` (an editor's save is several events), but
 * never later than `maxWaitMs` after the first, so a file written non-stop still reloads.
 */
export function watchFolders(
  targets: WatchTarget[],
  onChange: (names: string[]) => void,
  options: { debounceMs?: number; maxWaitMs?: number; onError?: (target: WatchTarget, error: Error) => void } = {},
): FolderWatcher {
  const debounceMs = options.debounceMs ?? 100;
  const maxWaitMs = options.maxWaitMs ?? 500;
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let firstAt = 0;

  const flush = () => {
    timer = undefined;
    const names = [...pending];
    pending.clear();
    if (names.length) onChange(names);
  };

  const trees = targets.map((target) =>
    watchTree(
      target.dir,
      (path) => {
        const parts = relative(target.dir, path).split(sep).filter(Boolean);
        if (parts.some(isEditorTempFile)) return;
        pending.add([target.label, ...parts].filter(Boolean).join("/") || ".");
        if (!timer) firstAt = Date.now();
        clearTimeout(timer);
        timer = setTimeout(flush, Math.max(0, Math.min(debounceMs, firstAt + maxWaitMs - Date.now())));
      },
      (error) => options.onError?.(target, error),
    ),
  );
  return {
    close() {
      clearTimeout(timer);
      timer = undefined;
      pending.clear();
      for (const tree of trees) tree.close();
    },
  };
}
