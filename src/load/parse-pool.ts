/**
 * Parsing across cores: the YAML files of a big input are shared between
 * the loader's own thread and worker threads (parse-worker.ts) through a
 * claim table in shared memory. The loader claims files from the front, in
 * input order, and parses each in place at its turn; the workers claim from
 * the back and send each parse back. Whoever claims a file first parses it,
 * so the two sides meet wherever their speeds take them: no share is fixed
 * in advance, and neither side waits for the other but for the last file.
 * The loader replays each answer in input order (parsed-file.ts, like a parse
 * cache hit), so the SourceSet, the documents and the findings come out
 * exactly as a single-threaded parse makes them. Worth it only for big
 * inputs: starting a worker costs about as much as parsing a megabyte.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { decodeParsedFile, type DecodedParsedFile } from './parsed-file.ts';

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

/** A worker's answer: the parsed file (with the encoding it came in), or null when the file must be parsed in this thread. */
export type PoolAnswer = DecodedParsedFile | null;

/**
 * The claim table of one share: slot 0 counts down the next file a worker
 * may claim (from the back); slot 1 + k is file k's owner (CLAIM_FREE, or who
 * claimed it). A claim is a compare-and-swap from CLAIM_FREE, so each file has
 * exactly one owner.
 */
export const CLAIM_FREE = 0;
export const CLAIM_LOADER = 1;
export const CLAIM_WORKER = 2;

/** What the loader sends each worker: the files of one share and its claim table. */
export interface ShareRequest { share: number; texts: string[]; files: string[]; claims: SharedArrayBuffer }
/** A worker's answer for file `index` of share `share`. */
export interface ShareAnswer { share: number; index: number; parsed?: unknown; error?: string }

/** The files of one load, shared between the loader's thread and the pool's workers. */
export class ParseShare {
  private readonly answers = new Map<number, PoolAnswer>();
  private readonly waiting = new Map<number, (answer: PoolAnswer) => void>();
  private broken = false;

  constructor(private readonly claims: Int32Array) {}

  /** Claims file `k` for the loader's thread: true when no worker has it (the loader then parses it in place). */
  take(k: number): boolean {
    return Atomics.compareExchange(this.claims, k + 1, CLAIM_FREE, CLAIM_LOADER) === CLAIM_FREE;
  }

  /** The answer for a file the loader did not take (null: parse it in place after all). */
  answer(k: number): Promise<PoolAnswer> {
    if (this.answers.has(k)) {
      const got = this.answers.get(k)!;
      this.answers.delete(k);
      return Promise.resolve(got);
    }
    if (this.broken) return Promise.resolve(null);
    return new Promise((resolve) => this.waiting.set(k, resolve));
  }

  /** Called with each answer as it arrives. */
  settle(k: number, answer: PoolAnswer): void {
    const done = this.waiting.get(k);
    if (!done) {
      this.answers.set(k, answer);
      return;
    }
    this.waiting.delete(k);
    done(answer);
  }

  /** No more answers will come: every file still waited for is parsed by the loader. */
  fail(): void {
    this.broken = true;
    for (const done of this.waiting.values()) done(null);
    this.waiting.clear();
  }
}

export class ParsePool {
  private readonly workers: Worker[] = [];
  private readonly shares = new Map<number, ParseShare>();
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
      w.on('message', (m: ShareAnswer) => {
        // Anything but a well-formed answer (an error, a null) is parsed again in this thread.
        this.shares.get(m.share)?.settle(m.index, decodeParsedFile(m.parsed));
      });
      // A worker that fails or exits leaves its files to this thread: slower, never different.
      w.on('error', () => this.fail());
      w.on('exit', () => this.fail());
      this.workers.push(w);
    }
  }

  private fail(): void {
    this.broken = true;
    for (const share of this.shares.values()) share.fail();
  }

  /**
   * Offers `files` (display names, with their texts) to the workers, which
   * start claiming them from the back at once. The caller claims from the
   * front with take(k) and waits with answer(k) for those it could not take.
   */
  share(texts: string[], files: string[]): ParseShare {
    const claims = new Int32Array(new SharedArrayBuffer(4 * (texts.length + 1)));
    claims[0] = texts.length;
    const shared = new ParseShare(claims);
    if (this.broken || this.workers.length === 0) {
      shared.fail();
      return shared;
    }
    const id = this.next++;
    this.shares.set(id, shared);
    const request: ShareRequest = { share: id, texts, files, claims: claims.buffer as SharedArrayBuffer };
    for (const w of this.workers) w.postMessage(request);
    return shared;
  }

  /** Parses one file in a worker (null: parse it here). */
  parse(text: string, file: string): Promise<PoolAnswer> {
    return this.share([text], [file]).answer(0);
  }

  /** Stops the workers (answers still pending resolve to null). */
  async close(): Promise<void> {
    const workers = this.workers.splice(0);
    this.broken = true;
    await Promise.all(workers.map((w) => w.terminate()));
    this.fail();
  }
}
