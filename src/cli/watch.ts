/**
 * `meshc check --watch`: run once, then again whenever an input changes,
 * until SIGINT or SIGTERM (Ctrl-C). Directories are watched recursively
 * (fs.watch; on a platform without recursive watching, each directory found
 * at start is watched on its own), a file through its directory (editors
 * replace files by renaming). Changes within 150 ms are taken together; a
 * change during a run starts one more run after it. Changes in dot-directories,
 * node_modules and meshc's cache directory are ignored.
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
}

const ignoredSegment = (segment: string) => segment === 'node_modules' || (segment.startsWith('.') && segment !== '.' && segment !== '..');

function watchDirectory(dir: string, onChange: (file: string) => void, watchers: FSWatcher[], recursive = true): void {
  const listen = (d: string, recursive: boolean) => {
    const w = watch(d, { recursive }, (_event, name) => onChange(name ? join(d, String(name)) : d));
    w.on('error', () => {}); // a directory removed while watched: nothing to report, the next run says what is missing
    watchers.push(w);
  };
  try {
    listen(dir, recursive);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ERR_FEATURE_UNAVAILABLE_ON_PLATFORM') throw err;
    const walk = (d: string): void => {
      listen(d, false);
      for (const e of readdirSync(d, { withFileTypes: true })) if (e.isDirectory() && !ignoredSegment(e.name)) walk(join(d, e.name));
    };
    walk(dir);
  }
}

/** Runs `once` now and after every change; resolves with the last run's exit code when interrupted. */
export function watchAndRerun(once: () => Promise<number>, options: WatchOptions): Promise<number> {
  const watchers: FSWatcher[] = [];
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
      for (const w of watchers) w.close();
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolveDone(last);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    for (const root of roots) watchDirectory(root, onChange, watchers);
    for (const dir of new Set([...files].map((f) => dirname(f)))) {
      try {
        watchDirectory(dir, onChange, watchers, false);
      } catch {
        // the directory of a missing file does not exist either: nothing to watch there
      }
    }
    void runNow();
  });
}
