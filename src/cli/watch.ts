/**
 * `meshc check --watch`: run once, then again whenever an input changes,
 * until SIGINT or SIGTERM (Ctrl-C). Every directory under an input
 * directory is watched (and those created later, as they appear), a file
 * through its directory (editors replace files by renaming). Changes within
 * 150 ms are taken together; a change during a run starts one more run after
 * it. Changes in dot-directories, node_modules and meshc's cache directory
 * are ignored.
 */
import { watch, statSync, readdirSync, type FSWatcher } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';

export interface WatchOptions {
  cwd: string;
  /** Inputs as given (files or directories; '-' is refused before). */
  paths: string[];
  /** Further files whose change re-runs (the configuration file). */
  extraFiles?: string[];
  /** Never react to changes under this directory (the cache). */
  ignoreDir?: string | null;
  debounceMs?: number;
  /** Where the "watching" notes go (stderr). */
  note: (text: string) => void;
  /** Tests: what stands in for fs.watch (a watcher that fails as the system's limit would make it). */
  watch?: typeof watch;
}

const ignoredSegment = (segment: string) => segment === 'node_modules' || (segment.startsWith('.') && segment !== '.' && segment !== '..');

/**
 * fs.watch's recursive mode where the platform watches trees itself. On
 * Linux, Node 20 emulates it by watching each file: a file replaced by a
 * rename (an editor's atomic save, `sed -i`) is no longer watched after, and
 * its later saves went unnoticed. There each directory gets a watcher of its
 * own, which reports every entry by name however it was written.
 */
const NATIVE_RECURSIVE = process.platform === 'darwin' || process.platform === 'win32';

/** How directories are watched, shared by every watchDirectory call of a session. */
interface DirectoryWatch {
  /** Called with the path of each entry that changed. */
  onChange: (file: string) => void;
  /** One watcher per directory. */
  watchers: Map<string, FSWatcher>;
  /** Directories never watched (meshc's cache). */
  skip: (dir: string) => boolean;
  /**
   * Says when a directory cannot be watched for another reason than being
   * gone (the system's limit on watches reached, no permission): its changes
   * would otherwise go unnoticed without a word.
   */
  warn: (dir: string, err: unknown) => void;
  watch: typeof watch;
}

/**
 * Watches `dir`; with `recursive`, also every directory below it but ignored
 * ones and `skip`, and directories that appear later.
 */
function watchDirectory(dir: string, recursive: boolean, { onChange, watchers, skip, warn, watch }: DirectoryWatch): void {
  const listen = (d: string, treeToo: boolean, onEntry: (name: string, event: string) => void) => {
    watchers.get(d)?.close(); // a directory replaced: the old watcher follows the old one
    const w = watch(d, { recursive: treeToo }, (event, name) => (name ? onEntry(join(d, String(name)), event) : onChange(d)));
    w.on('error', () => {}); // a directory removed while watched: nothing to report, the next run says what is missing
    watchers.set(d, w);
  };
  const walk = (d: string): void => {
    try {
      listen(d, false, (entry, event) => {
        // A directory created or moved in: watch it and what is below it.
        if (recursive && (event === 'rename' || !watchers.has(entry)) && isWatchableDirectory(entry)) walk(entry);
        onChange(entry);
      });
      if (!recursive) return;
      for (const e of readdirSync(d, { withFileTypes: true })) {
        if (e.isDirectory()) {
          const sub = join(d, e.name);
          if (isWatchableDirectory(sub)) walk(sub);
        }
      }
    } catch (err) {
      // Gone (or no longer a directory): the next run says what is missing.
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') warn(d, err);
    }
  };
  const isWatchableDirectory = (d: string) => {
    if (ignoredSegment(basename(d)) || skip(d)) return false;
    try {
      return statSync(d).isDirectory();
    } catch {
      return false;
    }
  };
  if (recursive && NATIVE_RECURSIVE) listen(dir, true, (entry) => onChange(entry));
  else walk(dir);
}

/** Runs `once` now and after every change; resolves with the last run's exit code when interrupted. */
export function watchAndRerun(once: () => Promise<number>, options: WatchOptions): Promise<number> {
  const watchers = new Map<string, FSWatcher>();
  const files = new Set<string>();
  const roots: string[] = [];
  for (const p of [...options.paths, ...(options.extraFiles ?? [])]) {
    const abs = resolve(options.cwd, p);
    let isDir = false;
    try {
      isDir = statSync(abs).isDirectory();
    } catch {
      // missing now: watch where it would appear
    }
    if (isDir) roots.push(abs);
    else files.add(abs);
  }
  const ignoreDir = options.ignoreDir ? resolve(options.ignoreDir) : null;
  const relevant = (file: string): boolean => {
    if (files.has(file)) return true;
    if (ignoreDir && (file === ignoreDir || file.startsWith(ignoreDir + sep))) return false;
    const root = roots.find((r) => file === r || file.startsWith(r + sep));
    return !!root && !relative(root, file).split(sep).some(ignoredSegment);
  };

  return new Promise((resolveDone) => {
    let last = 0;
    let running = false;
    let again = false;
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    const watching = () => options.note(`meshc: watching for changes (Ctrl-C to stop)\n`);
    const runNow = async () => {
      running = true;
      try {
        last = await once();
      } finally {
        running = false;
      }
      if (stopped) return;
      if (again) {
        again = false;
        void runNow();
      } else watching();
    };
    const onChange = (file: string) => {
      if (stopped || !relevant(file)) return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        if (running) again = true;
        else {
          options.note(`meshc: ${relative(options.cwd, file) || basename(file)} changed, checking again\n`);
          void runNow();
        }
      }, options.debounceMs ?? 150);
    };
    const stop = () => {
      stopped = true;
      clearTimeout(timer);
      for (const w of watchers.values()) w.close();
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolveDone(last);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    const skip = (d: string) => !!ignoreDir && (d === ignoreDir || d.startsWith(ignoreDir + sep));
    const warn = (d: string, err: unknown) => {
      const code = (err as NodeJS.ErrnoException).code;
      const why = code === 'ENOSPC' || code === 'EMFILE' ? 'the system limit on watched directories is reached (fs.inotify.max_user_watches on Linux)' : String((err as Error)?.message ?? err);
      options.note(`meshc: cannot watch ${relative(options.cwd, d) || '.'}: ${why}; changes there are not seen\n`);
    };
    const how: DirectoryWatch = { onChange, watchers, skip, warn, watch: options.watch ?? watch };
    for (const root of roots) watchDirectory(root, true, how);
    // The directory of a missing file does not exist either: nothing is watched there.
    for (const dir of new Set([...files].map((f) => dirname(f)))) if (!watchers.has(dir)) watchDirectory(dir, false, how);
    void runNow();
  });
}
