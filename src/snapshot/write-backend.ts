/**
 * File writing in a worker thread (src/snapshot/worker.ts, message 'write'):
 * on big meshes the tens of thousands of small files are created beside the
 * compile instead of after it. Everything but `writeDir` is done here, in
 * this thread, exactly as by `nodeFs`.
 */
import type { Worker } from 'node:worker_threads';
import { startWorker } from './encode-backend.ts';
import { nodeFs, type OutputFs } from './writer.ts';
import type { WorkerAnswer } from './worker.ts';

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

  writeDir(dir: string, files: [string, Uint8Array | string][]): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.next++;
    // The .pb buffers are built for this write only: hand them over instead of copying.
    const transfer = files.flatMap(([, d]) => (typeof d !== 'string' && d.byteOffset === 0 && d.byteLength === d.buffer.byteLength && d.buffer instanceof ArrayBuffer ? [d.buffer] : []));
    const done = new Promise<void>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    this.worker.postMessage({ kind: 'write', id, dir, files }, transfer);
    return done;
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
