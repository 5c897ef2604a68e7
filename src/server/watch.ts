/**
 * Hot reload: watches the snapshot directory and swaps in each new compiled
 * output once it loads and validates completely.
 *
 * `meshc compile` replaces the directory by renaming a temp dir over it, which
 * changes its inode, so the watcher follows the parent directory (for the
 * rename) and the directory itself (for manifest.json written in place), with
 * a debounce, and a light poll as a safety net (file systems without inotify,
 * a directory deleted and recreated). A failed load is logged once and retried;
 * the last good snapshot keeps being served meanwhile.
 */
import { watch, type FSWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { MANIFEST } from '../snapshot/layout.ts';
import type { SnapshotCache } from './cache.ts';
import type { Logger } from './log.ts';
import { loadSnapshot, SnapshotError, type Snapshot } from './snapshot.ts';

export interface WatcherOptions {
  debounceMs?: number;
  pollMs?: number;
}

export interface ReloadOutcome {
  ok: boolean;
  changed: boolean;
  error?: string;
}

async function signature(dir: string): Promise<string> {
  try {
    const d = await stat(dir);
    try {
      const m = await stat(join(dir, MANIFEST));
      return `${d.ino}:${m.ino}:${m.mtimeMs}:${m.size}`;
    } catch {
      return `${d.ino}:-`;
    }
  } catch {
    return 'missing';
  }
}

export class SnapshotWatcher {
  private readonly dir: string;
  private parentWatcher: FSWatcher | null = null;
  private dirWatcher: FSWatcher | null = null;
  private dirIno = -1;
  private timer: NodeJS.Timeout | null = null;
  private poller: NodeJS.Timeout | null = null;
  private loading: Promise<ReloadOutcome> | null = null;
  private again = false;
  private lastSignature = '';
  private lastError: string | null = null;
  private closed = false;
  private readonly debounceMs: number;
  private readonly pollMs: number;
  /** Called after every reload attempt (tests wait on it). */
  onReload: ((outcome: ReloadOutcome) => void) | null = null;

  constructor(dir: string, private readonly cache: SnapshotCache, private readonly log: Logger, options: WatcherOptions = {}) {
    this.dir = resolve(dir);
    this.debounceMs = options.debounceMs ?? 150;
    this.pollMs = options.pollMs ?? 2000;
  }

  async start(): Promise<void> {
    this.lastSignature = await signature(this.dir);
    this.armParent();
    await this.armDir();
    this.poller = setInterval(() => void this.poll(), this.pollMs);
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.poller) clearInterval(this.poller);
    this.parentWatcher?.close();
    this.dirWatcher?.close();
    this.parentWatcher = this.dirWatcher = null;
  }

  private armParent(): void {
    const base = basename(this.dir);
    try {
      const w = watch(dirname(this.dir), { persistent: false }, (_event, filename) => {
        if (filename === null || filename.toString() === base) this.schedule();
      });
      w.on('error', () => {
        w.close();
        if (this.parentWatcher === w) this.parentWatcher = null;
      });
      this.parentWatcher = w;
    } catch {
      this.parentWatcher = null; // the poll retries
    }
  }

  /** (Re)watches the directory itself when it exists and is a different directory than before. */
  private async armDir(): Promise<void> {
    let ino: number;
    try {
      ino = (await stat(this.dir)).ino;
    } catch {
      this.dirWatcher?.close();
      this.dirWatcher = null;
      this.dirIno = -1;
      return;
    }
    if (this.closed || (ino === this.dirIno && this.dirWatcher)) return;
    this.dirWatcher?.close();
    this.dirIno = ino;
    try {
      const w = watch(this.dir, { persistent: false }, () => this.schedule());
      w.on('error', () => {
        w.close();
        if (this.dirWatcher === w) this.dirWatcher = null;
      });
      this.dirWatcher = w;
    } catch {
      this.dirWatcher = null;
    }
  }

  private async poll(): Promise<void> {
    if (this.closed) return;
    if (!this.parentWatcher) this.armParent();
    await this.armDir();
    const sig = await signature(this.dir);
    if (sig !== this.lastSignature || this.lastError !== null) this.schedule();
  }

  private schedule(): void {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.reload();
    }, this.debounceMs);
  }

  /** Loads the directory now; concurrent calls coalesce into one extra run. */
  async reload(): Promise<ReloadOutcome> {
    if (this.loading) {
      this.again = true;
      return this.loading;
    }
    this.loading = this.doReload();
    try {
      return await this.loading;
    } finally {
      this.loading = null;
      if (this.again && !this.closed) {
        this.again = false;
        this.schedule();
      }
    }
  }

  private async doReload(): Promise<ReloadOutcome> {
    const sig = await signature(this.dir);
    await this.armDir();
    let outcome: ReloadOutcome;
    try {
      if (sig === 'missing') throw new SnapshotError(`directory ${this.dir} does not exist`);
      const next: Snapshot = await loadSnapshot(this.dir);
      if (this.closed) return { ok: false, changed: false, error: 'closed' };
      const previous = this.cache.current();
      const changed = this.cache.set(next);
      const recovered = this.lastError !== null;
      this.lastError = null;
      this.lastSignature = sig;
      if (changed || recovered) {
        const prevIds = new Set(previous.ids);
        const changedNodes = next.ids.filter((id) => previous.nodes.get(id)?.version !== next.nodes.get(id)!.version);
        this.log.log('info', 'reload', recovered ? 'snapshot directory readable again; serving it' : 'new compiled output loaded', {
          dir: this.dir, nodes: next.ids.length, changed: changedNodes.length,
          added: next.ids.filter((id) => !prevIds.has(id)).length, removed: previous.ids.filter((id) => !next.nodes.has(id)).length,
          fingerprint: next.fingerprint,
        });
      }
      outcome = { ok: true, changed };
    } catch (err) {
      const message = err instanceof SnapshotError ? err.message : `unexpected error: ${(err as Error).message}`;
      if (message !== this.lastError) {
        this.log.log('warn', 'reload-failed', 'rejected the compiled output; still serving the last good snapshot', {
          dir: this.dir, error: message, serving: this.cache.current().fingerprint,
        });
      }
      this.lastError = message;
      this.lastSignature = sig;
      outcome = { ok: false, changed: false, error: message };
    }
    this.onReload?.(outcome);
    return outcome;
  }
}
