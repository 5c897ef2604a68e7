/**
 * File writing in a worker thread (src/snapshot/worker.ts, message 'write'):
 * on big meshes the tens of thousands of small files are created beside the
 * compile instead of after it. Everything but `writeDir` is done here, in
 * this thread, exactly as by `nodeFs`.
 */
import type { Worker } from 'node:worker_threads';
import { startWorker } from './encode-backend.ts';
import { nodeFs, type OutputFile, type OutputFs } from './writer.ts';
import type { WorkerAnswer, WorkerMessage } from './worker.ts';

/**
 * A node's files as one buffer of their bytes back to back (`ends[i]` = end offset of file i), handed to the worker
 * without a copy. Posting each file on its own was costly on this thread: a small Buffer lives in Node's shared
 * pool, and posting it copies the whole pool; a string is copied too.
 */
export function packFiles(files: OutputFile[]): { data: Uint8Array; names: string[]; ends: number[]; sameAs: (string | null)[] } {
  let size = 0;
  for (const [, d] of files) size += typeof d === 'string' ? Buffer.byteLength(d) : d.length;
  const data = Buffer.allocUnsafeSlow(size); // its own ArrayBuffer (never the shared pool): transferable
  const names: string[] = [];
  const ends: number[] = [];
  const sameAs: (string | null)[] = [];
  let at = 0;
  for (const [name, d, same] of files) {
    sameAs.push(same ?? null);
    if (typeof d === 'string') at += data.write(d, at, 'utf8');
    else {
      data.set(d, at);
      at += d.length;
    }
    names.push(name);
    ends.push(at);
  }
  return { data, names, ends, sameAs };
}

export class WorkerWriterFs implements OutputFs {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve(): void; reject(e: Error): void }>();
  private next = 0;
  private failure: Error | null = null;
  stat = nodeFs.stat;
  readdir = nodeFs.readdir;
  mkdir = nodeFs.mkdir;
  writeFile = nodeFs.writeFile;
  syncTree = nodeFs.syncTree;
  syncDir = nodeFs.syncDir;
  rename = nodeFs.rename;
  remove = nodeFs.remove;

  constructor() {
    this.worker = startWorker();
    this.worker.on('message', (a: WorkerAnswer) => {
      if (a.kind !== 'write') return;
      const p = this.pending.get(a.id);
      if (!p) return;
      this.pending.delete(a.id);
      if (a.error) p.reject(Object.assign(new Error(a.error.message), { code: a.error.code }));
      else p.resolve();
    });
    const fail = (e: Error) => {
      this.failure ??= e;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => {
      if (code !== 0) fail(new Error(`writer worker exited with code ${code}`));
    });
  }

  /** Written in the order of the calls (one worker, one message at a time), so a `sameAs` file written earlier exists. */
  writeDir(dir: string, files: OutputFile[]): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.next++;
    const { data, names, ends, sameAs } = packFiles(files);
    const done = new Promise<void>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    this.worker.postMessage({ kind: 'write', id, dir, names, ends, sameAs, data } satisfies WorkerMessage, [data.buffer as ArrayBuffer]);
    return done;
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
