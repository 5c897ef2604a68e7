/**
 * Whether parse workers (parse-pool.ts) start, decided while the inputs are
 * still being read, and which files they may share with the loader's thread.
 */
import { availableParallelism } from 'node:os';
import type { LoadOptions } from './index.ts';
import { cachedEntryExists } from './parse-cache.ts';
import type { ParsePool, ParseShare } from './parse-pool.ts';
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
 * Collects the texts that will be parsed (not found in the run's shared
 * parses or the disk cache) while the inputs are still being read, and starts
 * parse workers as soon as there are enough characters to parse to pay for
 * them (the same decision as counting them all first: both counts only
 * grow), so that they start up while the rest is read. Once every input is
 * read, the texts are shared between the workers and the loader's thread
 * (ParsePool.share): nothing is decided in advance about who parses what.
 */
export class ParseDispatch {
  private seen: number;
  private chars = 0;
  /** Manifests offered so far (read or not). */
  private manifestsSeen = 0;
  private readonly toParse: ReadInput[] = [];
  private pool: ParsePool | null = null;
  private starting: Promise<void> | null = null;

  /** `manifests`: how many inputs may be offered in all (an upper bound on the files to parse). */
  constructor(private readonly options: LoadOptions, private readonly manifests: number) {
    this.seen = options.cache?.seen ?? 0;
  }

  offer(r: ReadInput | undefined): void {
    if (!r) return;
    this.manifestsSeen++;
    if (r.text === undefined) return;
    const text = r.text;
    const disk = this.options.cache ?? null;
    if (this.options.parseCache?.get(r.input.display)?.has(text)) return;
    const cached = cachedEntryExists(disk, this.seen, text, r.input.display);
    this.seen += text.length;
    if (cached) return;
    this.chars += text.length;
    r.shareIndex = this.toParse.length;
    this.toParse.push(r);
    if (!this.starting && this.toParse.length >= 2) {
      const count = parseWorkerCount(this.chars, this.options.workers);
      // No more workers than files that can still come to them.
      if (count > 0) this.starting = this.start(Math.min(count, this.toParse.length + this.manifests - this.manifestsSeen));
    }
  }

  /** Never rejects: it runs while files are still being read, and its failure only costs speed. */
  private async start(workers: number): Promise<void> {
    try {
      // Loaded only now: a small run never pays for node:worker_threads.
      const { ParsePool } = await import('./parse-pool.ts');
      this.pool = new ParsePool(workers);
    } catch {
      // No worker could start (resource limits), or the pool could not be loaded: this thread parses everything, as for a small input.
    }
  }

  /**
   * Once every input was offered: the pool to close, if one started, and the
   * share of the files to parse (null: this thread parses every file).
   */
  async finish(): Promise<{ pool: ParsePool | null; share: ParseShare | null }> {
    await this.starting;
    if (!this.pool) return { pool: null, share: null };
    return { pool: this.pool, share: this.pool.share(this.toParse.map((r) => r.text!), this.toParse.map((r) => r.input.display)) };
  }

  /** Reading failed: stops the workers, if any started. */
  async abandon(): Promise<void> {
    await this.starting;
    await this.pool?.close();
  }
}
