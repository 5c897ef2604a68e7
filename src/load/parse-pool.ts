/**
 * Parsing across cores: YAML files are parsed in worker threads
 * (parse-worker.ts) while the loader parses its own share and takes their
 * answers in input order (src/load/index.ts ParseDispatch),
 * so the SourceSet, the documents and the findings come out exactly as a
 * single-threaded parse makes them (each answer is replayed through
 * parsed-file.ts, like a parse cache hit). Worth it only for big inputs:
 * starting a worker costs about as much as parsing a megabyte.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { isParsedFileShape, type ParsedFile } from './parsed-file.ts';

/**
 * The worker: dist/parse-worker.js in the build (beside dist/index.js, or one
 * level up from dist/chunks/); from the sources (tests, benchmarks under tsx)
 * src/load/parse-worker.ts through tsx's loader, which worker threads do not inherit.
 */
function startParseWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) {
    const here = new URL('./parse-worker.js', import.meta.url);
    return new Worker(existsSync(fileURLToPath(here)) ? here : new URL('../parse-worker.js', import.meta.url));
  }
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const script = new URL('./parse-worker.ts', import.meta.url).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(script)}); });`, { eval: true });
}

/** A worker's answer: the parsed file, or null when the file must be parsed in this thread. */
export type PoolAnswer = ParsedFile | null;

export class ParsePool {
  private readonly workers: Worker[] = [];
  /** Characters handed to each worker so far (work goes to the least loaded). */
  private readonly load: number[] = [];
  private readonly pending = new Map<number, (answer: PoolAnswer) => void>();
  private next = 0;
  private broken = false;

  constructor(count: number) {
    for (let i = 0; i < count; i++) {
      let w: Worker;
      try {
        w = startParseWorker();
      } catch (e) {
        // Those already started must not keep the process alive.
        for (const started of this.workers) void started.terminate();
        throw e;
      }
      w.on('message', (m: { id: number; parsed?: unknown }) => {
        const done = this.pending.get(m.id);
        if (!done) return;
        this.pending.delete(m.id);
        // Anything but a well-formed answer (an error, a null) is parsed again in this thread.
        done(isParsedFileShape(m.parsed) ? m.parsed : null);
      });
      // A worker that fails or exits leaves its files to this thread: slower, never different.
      w.on('error', () => this.fail());
      w.on('exit', () => this.fail());
      this.workers.push(w);
      this.load.push(0);
    }
  }

  private fail(): void {
    this.broken = true;
    for (const done of this.pending.values()) done(null);
    this.pending.clear();
  }

  /** Sends a file to the least loaded worker; resolves with its answer (null: parse it here). */
  parse(text: string, file: string): Promise<PoolAnswer> {
    if (this.broken || this.workers.length === 0) return Promise.resolve(null);
    let w = 0;
    for (let i = 1; i < this.load.length; i++) if (this.load[i]! < this.load[w]!) w = i;
    this.load[w]! += text.length;
    const id = this.next++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.workers[w]!.postMessage({ id, text, file });
    });
  }

  /** Stops the workers (answers still pending resolve to null). */
  async close(): Promise<void> {
    const workers = this.workers.splice(0);
    this.broken = true;
    await Promise.all(workers.map((w) => w.terminate()));
    this.fail();
  }
}
