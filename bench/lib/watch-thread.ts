/** Starts bench/lib/watch-session.ts in a worker thread (through tsx's loader, which worker threads do not inherit). */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

export interface WatchThread {
  /** One re-check of the session, as `meshc check --watch` runs it after a save. */
  recheck(): Promise<void>;
  close(): Promise<number>;
}

export function startWatchThread(dir: string): WatchThread {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const script = new URL('./watch-session.ts', import.meta.url).href;
  const worker = new Worker(`import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(script)}); });`, { eval: true, env: process.env });
  worker.postMessage({ dir });
  return {
    recheck: () => new Promise((resolve, reject) => {
      worker.once('message', (m: { done?: boolean; error?: string }) => (m.done ? resolve() : reject(new Error(m.error))));
      worker.postMessage({ run: true });
    }),
    close: () => worker.terminate(),
  };
}
