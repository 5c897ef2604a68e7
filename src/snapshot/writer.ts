/**
 * Atomic replacement of the output directory.
 *
 * Files go into `.<DIR>.meshc-tmp-<pid>` beside DIR. Commit first makes them
 * durable (one syncfs of the file system through `sync -f`, else an fsync of
 * every file and directory), then moves the old DIR aside to `.<DIR>.meshc-old-<pid>`,
 * renames the temporary directory to DIR, syncs the parent and deletes the old
 * output. Whatever fails before the rename leaves DIR untouched; a process
 * killed between the two renames leaves the old output beside DIR, and the
 * next compile puts it back first. All file-system access goes through
 * `OutputFs` so tests can inject failures (ENOSPC, EACCES, EIO).
 */
import { execFile } from 'node:child_process';
import { linkSync, lstatSync, mkdirSync, readlinkSync, realpathSync, writeFileSync } from 'node:fs';
import { open, readdir, rename, rm, stat } from 'node:fs/promises';
import { probeManifest } from './manifest-probe.ts';
import { basename, dirname, join, resolve } from 'node:path';
import type { MessageArgs } from '../core/catalog/index.ts';
import { MANIFEST } from './layout.ts';

/**
 * A file of a node directory: its name, its bytes and, for a file whose bytes an earlier-written file has too (the
 * SDS files, the same for every node), that file's path, to be hard-linked instead of written again: one inode for
 * all of them, where creating inodes is the cost (docs/guide-compile.md). Absolute in OutputFs.writeDir, relative to
 * DIR in AtomicOutput.writeDir. When linking fails (a file system without hard links), the bytes are written.
 */
export type OutputFile = [name: string, data: Uint8Array | string, sameAs?: string];

export interface OutputFs {
  /** Throws (code ENOENT) when missing. */
  stat(path: string): Promise<{ isDirectory(): boolean }>;
  readdir(path: string): Promise<string[]>;
  mkdir(path: string): Promise<void>;
  /** Creates/truncates and writes everything (durability comes from syncTree). */
  writeFile(path: string, data: Uint8Array | string): Promise<void>;
  /** Makes every file and directory under `path` durable. */
  syncTree(path: string): Promise<void>;
  /** fsync of a directory (its entries). */
  syncDir(path: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  /** Recursive and forced (no error when missing). */
  remove(path: string): Promise<void>;
  /** Creates `dir` (and parents) and writes the files into it (default: mkdir + writeOrLink each). */
  writeDir?(dir: string, files: OutputFile[]): Promise<void>;
  /** A hard link `path` to the existing file `existing` (absent: every file is written). */
  link?(existing: string, path: string): Promise<void>;
}

/** Hard-links `path` to `sameAs` when given and possible, else writes `data` there (OutputFile). */
export async function writeOrLink(fs: OutputFs, path: string, data: Uint8Array | string, sameAs?: string): Promise<void> {
  if (sameAs !== undefined && fs.link) {
    try {
      await fs.link(sameAs, path);
      return;
    } catch {
      // No hard links here (or the first copy is not written yet): the bytes are written instead, same content.
    }
  }
  await fs.writeFile(path, data);
}

export const nodeFs: OutputFs = {
  stat: (p) => stat(p),
  readdir: (p) => readdir(p),
  // Synchronous on purpose: tens of thousands of small files, where the three
  // thread-pool round trips of fs/promises writeFile cost more than the write.
  async mkdir(p) {
    mkdirSync(p, { recursive: true });
  },
  async writeFile(p, data) {
    writeFileSync(p, data);
  },
  async link(existing, p) {
    linkSync(existing, p);
  },
  async syncTree(p) {
    // One syncfs(2) flushes the whole file system: far cheaper than an fsync per file.
    const synced = await new Promise<boolean>((done) => execFile('sync', ['-f', p], { timeout: 600_000 }, (err) => done(!err)));
    if (!synced) await fsyncTree(p);
  },
  syncDir: (p) => fsyncPath(p),
  rename: (a, b) => rename(a, b),
  remove: (p) => rm(p, { recursive: true, force: true }),
};

async function fsyncPath(p: string): Promise<void> {
  const h = await open(p, 'r');
  try {
    await h.sync();
  } finally {
    await h.close();
  }
}

/** fsync of every file, then every directory, under `dir` (when `sync -f` is not available). */
export async function fsyncTree(dir: string): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files = entries.filter((e) => !e.isDirectory()).map((e) => join(dir, e.name));
  for (let i = 0; i < files.length; i += 32) await Promise.all(files.slice(i, i + 32).map(fsyncPath));
  for (const e of entries) if (e.isDirectory()) await fsyncTree(join(dir, e.name));
  await fsyncPath(dir);
}

type OutputErrorCode = 'MESH0850' | 'MESH0851' | 'MESH0852';

/** A failure the user can act on: a catalogue code and its arguments. */
export class OutputError extends Error {
  constructor(readonly code: OutputErrorCode, readonly args: MessageArgs<OutputErrorCode>) {
    super(`${code} ${JSON.stringify(args)}`);
  }
}

const errText = (e: unknown) => {
  const err = e as NodeJS.ErrnoException;
  return err?.code ? `${err.code}: ${err.message.replace(/^[A-Z]+: /, '')}` : String((err as Error)?.message ?? e);
};

function pidAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * DIR itself when it is a symbolic link to a directory (out -> /mnt/shared/out): the output replaces the target,
 * and the link stays, instead of the link being replaced by a directory and the target left stale.
 */
function followLink(dir: string): string {
  try {
    if (!lstatSync(dir).isSymbolicLink()) return dir;
  } catch {
    return dir;
  }
  try {
    return realpathSync(dir);
  } catch {
    return resolve(dirname(dir), readlinkSync(dir)); // a dangling link: create its target
  }
}

/** The nearest existing ancestor of `p` (or `p` itself) when it is not a directory: why creating `p` fails. */
async function nonDirectoryAncestor(fs: OutputFs, p: string): Promise<string | null> {
  for (let q = p; ; q = dirname(q)) {
    const st = await fs.stat(q).catch(() => null);
    if (st) return st.isDirectory() ? null : q;
    if (dirname(q) === q) return null;
  }
}

async function exists(fs: OutputFs, p: string): Promise<{ isDirectory(): boolean } | null> {
  try {
    return await fs.stat(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

export interface OpenOptions {
  fs?: OutputFs;
  /** Called with MESH0862 when an interrupted compile's output was put back. */
  note?: (code: 'MESH0862', args: MessageArgs<'MESH0862'>) => void;
}

export class AtomicOutput {
  private readonly dirs = new Map<string, Promise<void>>();
  private done = false;

  private constructor(
    /** As the user wrote it (for messages). */
    readonly display: string,
    readonly dir: string,
    readonly tmp: string,
    private readonly old: string,
    private readonly fs: OutputFs,
  ) {}

  /** Checks DIR, recovers from an interrupted compile, and creates the temporary directory. */
  static async open(outDir: string, options: OpenOptions = {}): Promise<AtomicOutput> {
    const fs = options.fs ?? nodeFs;
    const dir = followLink(resolve(outDir));
    const parent = dirname(dir);
    const base = basename(dir);
    const tmp = join(parent, `.${base}.meshc-tmp-${process.pid}`);
    const old = join(parent, `.${base}.meshc-old-${process.pid}`);
    const fail = (e: unknown): never => {
      if (e instanceof OutputError) throw e;
      throw new OutputError('MESH0852', { path: outDir, reason: errText(e) });
    };
    try {
      await fs.mkdir(parent).catch(async (e: NodeJS.ErrnoException) => {
        const file = e.code === 'EEXIST' || e.code === 'ENOTDIR' ? await nonDirectoryAncestor(fs, parent) : null;
        throw file ? new OutputError('MESH0852', { path: outDir, reason: `${file} exists and is not a directory` }) : e;
      });
      const siblings = (await fs.readdir(parent)).sort();
      let current = await exists(fs, dir);
      for (const name of siblings) {
        const m = /^\.(.+)\.meshc-(tmp|old)-(\d+)$/.exec(name);
        if (!m || m[1] !== base || pidAlive(Number(m[3]))) continue;
        const p = join(parent, name);
        if (m[2] === 'old' && !current) {
          await fs.rename(p, dir);
          current = await exists(fs, dir);
          options.note?.('MESH0862', { path: outDir });
        } else {
          await fs.remove(p);
        }
      }
      if (current && !current.isDirectory()) throw new OutputError('MESH0850', { path: outDir });
      if (current) {
        const entries = await fs.readdir(dir);
        // Only an earlier meshc output is replaced: another project's manifest.json is not one (the loader's own test).
        if (entries.length > 0 && (!entries.includes(MANIFEST) || !probeManifest(join(dir, MANIFEST)))) throw new OutputError('MESH0851', { path: outDir });
      }
      await fs.remove(tmp);
      await fs.mkdir(tmp);
    } catch (e) {
      fail(e);
    }
    const out = new AtomicOutput(outDir, dir, tmp, old, fs);
    out.dirs.set(tmp, Promise.resolve());
    return out;
  }

  private ensureDir(path: string): Promise<void> {
    let p = this.dirs.get(path);
    if (!p) {
      p = this.ensureDir(dirname(path)).then(() => this.fs.mkdir(path));
      this.dirs.set(path, p);
    }
    return p;
  }

  /** Writes one file (path relative to DIR) into the temporary directory. */
  async write(rel: string, data: Uint8Array | string): Promise<void> {
    const path = join(this.tmp, rel);
    try {
      await this.ensureDir(dirname(path));
      await this.fs.writeFile(path, data);
    } catch (e) {
      throw new OutputError('MESH0852', { path: this.display, reason: errText(e) });
    }
  }

  /** Writes the files of one directory (relative to DIR; `sameAs` too) into the temporary directory. */
  async writeDir(rel: string, files: OutputFile[]): Promise<void> {
    const path = join(this.tmp, rel);
    const inTmp = files.map(([name, data, sameAs]): OutputFile => (sameAs === undefined ? [name, data] : [name, data, join(this.tmp, sameAs)]));
    try {
      if (this.fs.writeDir) {
        this.dirs.set(path, Promise.resolve());
        await this.fs.writeDir(path, inTmp);
      } else {
        await this.ensureDir(path);
        for (const [name, data, sameAs] of inTmp) await writeOrLink(this.fs, join(path, name), data, sameAs);
      }
    } catch (e) {
      throw new OutputError('MESH0852', { path: this.display, reason: errText(e) });
    }
  }

  /** Makes the new output DIR. On failure the previous output is in place again. */
  async commit(): Promise<void> {
    if (this.done) throw new Error('output already committed or aborted');
    this.done = true;
    let movedOld = false;
    try {
      await this.fs.syncTree(this.tmp);
      if (await exists(this.fs, this.dir)) {
        await this.fs.rename(this.dir, this.old);
        movedOld = true;
      }
      await this.fs.rename(this.tmp, this.dir);
      movedOld = false;
      await this.fs.syncDir(dirname(this.dir));
    } catch (e) {
      if (movedOld) await this.fs.rename(this.old, this.dir).catch(() => undefined);
      await this.fs.remove(this.tmp).catch(() => undefined);
      throw new OutputError('MESH0852', { path: this.display, reason: errText(e) });
    }
    // The new output is in place; failing to delete the old one only leaves a hidden directory behind.
    await this.fs.remove(this.old).catch(() => undefined);
  }

  /** Discards everything written; DIR is untouched. */
  async abort(): Promise<void> {
    if (this.done) return;
    this.done = true;
    await this.fs.remove(this.tmp).catch(() => undefined);
  }
}
