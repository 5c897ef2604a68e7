/**
 * Which files parse workers take (parse-pool.ts) and which the loader's own
 * thread parses, decided while the inputs are still being read.
 */
import { availableParallelism } from 'node:os';
import type { LoadOptions } from './index.ts';
import { cachedEntryExists } from './parse-cache.ts';
import type { ParsePool } from './parse-pool.ts';
import type { ReadInput } from './read.ts';

/** Below this many characters to parse, a run parses in its own thread (starting a worker costs about a megabyte's parse). */
export const MIN_POOL_CHARS = 2 * 1024 * 1024;

/**
 * How many parse workers a run with `chars` characters to parse starts: none
 * for small inputs or a single core; else one per core but the one this
 * thread uses (it parses a share too), at most 4 in all.
 * `requested` (the API's `workers` option) or MESHC_PARSE_WORKERS=N decide
 * instead when given (0 = parse in this thread).
 */
export function parseWorkerCount(chars: number, requested?: number): number {
  if (requested !== undefined) return Math.max(0, Math.min(16, Math.floor(requested)));
  const env = process.env.MESHC_PARSE_WORKERS;
  if (env !== undefined && /^\d+$/.test(env)) return Math.min(Number(env), 16);
  const cores = availableParallelism();
  if (chars < MIN_POOL_CHARS || cores < 2) return 0;
  return Math.min(4, cores) - 1;
}

/**
 * A worker's start-up, in characters this thread parses meanwhile (measured:
 * with none, the loader waited for the first answers).
 */
const WORKER_START_CHARS = 512 * 1024;

/**
 * Sends the texts that will be parsed (not found in the run's shared parses
 * or the disk cache) to parse workers, once there are enough of them to pay
 * for starting the workers: reads are offered in input order while later
 * files are still being read, and the pool starts as soon as the characters
 * to parse so far reach the threshold (the same decision as counting them
 * all first: both counts only grow).
 */
export class ParseDispatch {
  private seen: number;
  private chars = 0;
  /** Files sent (or to be sent) to the pool, and manifests offered so far (read or not). */
  private offered = 0;
  private manifestsSeen = 0;
  private waiting: ReadInput[] = [];
  private pool: ParsePool | null = null;
  private workers = 0;
  /** Characters sent to the pool, and kept for this thread to parse (it takes its share while the workers parse theirs). */
  private pooledChars = 0;
  private ownChars = 0;
  /** WORKER_START_CHARS for a big input; none when workers were asked for a small one (every worker then gets files). */
  private headStart = 0;
  private starting: Promise<void> | null = null;
  private failed = false;

  /** `manifests`: how many inputs may be offered in all (an upper bound on the files to parse). */
  constructor(private readonly options: LoadOptions, private readonly manifests: number) {
    this.seen = options.cache?.seen ?? 0;
  }

  offer(r: ReadInput | undefined): void {
    if (!r) return;
    this.manifestsSeen++;
    if (r.text === undefined || this.failed) return;
    const text = r.text;
    const disk = this.options.cache ?? null;
    if (this.options.parseCache?.get(r.input.display)?.has(text)) return;
    if (!this.options.parseCache && cachedEntryExists(disk, this.seen, text, r.input.display)) {
      this.seen += text.length;
      return;
    }
    this.seen += text.length;
    this.chars += text.length;
    this.offered++;
    this.waiting.push(r);
    if (this.pool) this.flush();
    else if (!this.starting && this.offered >= 2) {
      const count = parseWorkerCount(this.chars, this.options.workers);
      // No more workers than files that can still come to them.
      if (count > 0) this.starting = this.start(Math.min(count, this.offered + this.manifests - this.manifestsSeen));
    }
  }

  /** Never rejects: it runs while files are still being read, and its failure only costs speed. */
  private async start(workers: number): Promise<void> {
    try {
      // Loaded only now: a small run never pays for node:worker_threads.
      const { ParsePool } = await import('./parse-pool.ts');
      this.pool = new ParsePool(workers);
      this.workers = workers;
      this.headStart = this.chars >= MIN_POOL_CHARS ? WORKER_START_CHARS : 0;
    } catch {
      // No worker could start (resource limits), or the pool could not be loaded: this thread parses everything, as for a small input.
      this.failed = true;
      this.waiting = [];
      return;
    }
    this.flush();
  }

  /**
   * Sends the waiting files to the pool, but for this thread's share: a file
   * is kept (parsed here at its turn, as without workers) while this thread
   * has no more characters to parse than a worker has on average, plus what a
   * worker's start-up is worth (this thread parses the first files while the
   * workers start). It keeps the thread busy instead of waiting for answers,
   * and its share needs no copying between threads.
   */
  private flush(): void {
    for (const r of this.waiting) {
      const chars = r.text!.length;
      if (this.ownChars * this.workers <= this.pooledChars + this.headStart * this.workers) {
        this.ownChars += chars;
        continue;
      }
      this.pooledChars += chars;
      r.answer = this.pool!.parse(r.text!, r.input.display);
    }
    this.waiting = [];
  }

  /** Once every input was offered: the pool to close, if one started (every file it will parse has been sent). */
  async finish(): Promise<ParsePool | null> {
    await this.starting;
    return this.pool;
  }
}
