/**
 * Where resources are read, encoded and validated: in this thread, or in
 * worker threads (src/snapshot/worker.ts) so that on a big mesh the Envoy
 * API work runs beside the translation and the writing. Both give the same
 * bytes and violations for the same object.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import protobuf from 'protobufjs';
import type { EnvoyApi } from '../envoy/protos/index.ts';
import { EnvoyJsonError } from '../envoy/protos/errors.ts';
import { packageRoot } from '../envoy/protos/locate.ts';
import type { EnvoyValidator, Violation } from '../envoy/validate/index.ts';

export interface Encoded {
  /** Encoded google.protobuf.Any; empty when the object could not be read (see violations). */
  bytes: Uint8Array;
  violations: Violation[];
}

/**
 * The google.protobuf.Any `{type_url, value: message encoded}`, in one pass: the message is encoded straight into
 * the Any's length-delimited `value` field (fork/ldelim, as protobufjs encodes any nested message), instead of into
 * bytes of its own that the Any encoding then copies. Same bytes as Any.encode({type_url, value}) (field 1, then 2).
 */
export function encodeAsAny(type: protobuf.Type, typeUrl: string, message: protobuf.Message): Uint8Array {
  const w = protobuf.Writer.create();
  w.uint32(ANY_TYPE_URL_TAG).string(typeUrl).uint32(ANY_VALUE_TAG).fork();
  type.encode(message, w);
  return w.ldelim().finish();
}

/** google.protobuf.Any's field keys: type_url (1) and value (2), both length-delimited (wire type 2). */
const ANY_TYPE_URL_TAG = (1 << 3) | 2;
const ANY_VALUE_TAG = (2 << 3) | 2;

/** Reads `body` strictly as `typeUrl`, encodes it as an Any and validates it. */
export function encodeOne(api: EnvoyApi, validator: EnvoyValidator, typeUrl: string, body: unknown): Encoded {
  try {
    const message = api.fromJson(typeUrl, body);
    return { bytes: encodeAsAny(api.type(typeUrl), typeUrl, message), violations: validator.validateMessage(typeUrl, message) };
  } catch (e) {
    if (e instanceof EnvoyJsonError) return { bytes: new Uint8Array(0), violations: [{ path: e.path, rule: e.rule, message: e.detail, severity: 'error' }] };
    throw e;
  }
}

export interface EncodeBackend {
  /** `body` is the resource without its "@type"; `text` is the whole resource's JSON text (what a worker is sent). */
  submit(typeUrl: string, body: unknown, text: string): Promise<Encoded>;
  /** Sends what was submitted since the last flush. */
  flush(): void;
  close(): Promise<void>;
}

export class InlineBackend implements EncodeBackend {
  constructor(private readonly api: EnvoyApi, private readonly validator: EnvoyValidator) {}
  submit(typeUrl: string, body: unknown): Promise<Encoded> {
    try {
      return Promise.resolve(encodeOne(this.api, this.validator, typeUrl, body));
    } catch (e) {
      return Promise.reject(e);
    }
  }
  flush(): void {}
  async close(): Promise<void> {}
}

/**
 * A resource for a worker, as its JSON text: posting a string is a copy, where posting the object would be a
 * structured clone of every nested value (costly on this thread); the worker parses it back to the same object.
 */
export interface WorkerRequest { id: number; typeUrl: string; text: string }

/** The body of a worker request: the resource without its "@type" (keys in the same order as the submitted object). */
export function requestBody(r: WorkerRequest): unknown {
  const { '@type': _t, ...body } = JSON.parse(r.text) as Record<string, unknown>;
  return body;
}
/** A worker's answer to one request. */
export type WorkerReply = { id: number; bytes: Uint8Array; violations: Violation[] } | { id: number; error: string };

/**
 * A batch's answers, each one's bytes copied into a buffer of its own, and those buffers (to be transferred to the
 * main thread, not copied). Posting the bytes as they are would copy, for each answer, the whole pooled buffer
 * (8 KiB) protobufjs wrote them into, and each resource on the main thread would keep that copy alive; a buffer per
 * answer (not one per batch) keeps alive only its own bytes (shared clusters live as long as the compile).
 */
export function transferableReplies(replies: WorkerReply[]): { replies: WorkerReply[]; transfer: ArrayBuffer[] } {
  const transfer: ArrayBuffer[] = [];
  const own = replies.map((r): WorkerReply => {
    if (!('bytes' in r)) return r;
    const bytes = Buffer.allocUnsafeSlow(r.bytes.length); // never the shared pool: transferable
    bytes.set(r.bytes);
    transfer.push(bytes.buffer as ArrayBuffer);
    return { id: r.id, bytes, violations: r.violations };
  });
  return { replies: own, transfer };
}

/**
 * The worker: dist/snapshot-worker.js in the build; from the sources (tests,
 * benchmarks under tsx) src/snapshot/worker.ts, through tsx's loader, which
 * worker threads do not inherit.
 */
export function startWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(pathToFileURL(join(packageRoot(), 'dist', 'snapshot-worker.js')));
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const script = new URL('./worker.ts', import.meta.url).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(script)}); });`, { eval: true });
}

export class WorkerBackend implements EncodeBackend {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, { resolve(e: Encoded): void; reject(e: Error): void }>();
  private batch: WorkerRequest[] = [];
  private next = 0;
  private turn = 0;
  private failure: Error | null = null;

  constructor(count: number) {
    for (let i = 0; i < count; i++) {
      const w = startWorker();
      w.on('message', (answer: { kind: string; replies?: WorkerReply[] }) => {
        for (const r of answer.replies ?? []) {
          const p = this.pending.get(r.id);
          if (!p) continue;
          this.pending.delete(r.id);
          if ('error' in r) p.reject(new Error(r.error));
          else p.resolve({ bytes: r.bytes, violations: r.violations });
        }
      });
      w.on('error', (e) => this.fail(e));
      w.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`encoder worker exited with code ${code}`));
      });
      this.workers.push(w);
    }
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  submit(typeUrl: string, _body: unknown, text: string): Promise<Encoded> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.next++;
    this.batch.push({ id, typeUrl, text });
    return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
  }

  flush(): void {
    if (this.batch.length === 0 || this.failure) return;
    this.workers[this.turn++ % this.workers.length].postMessage({ kind: 'encode', batch: this.batch });
    this.batch = [];
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** Workers for big meshes on machines with spare cores; MESHC_COMPILE_WORKERS=N overrides (0 = none). */
export function workerCount(nodes: number): number {
  const env = process.env.MESHC_COMPILE_WORKERS;
  if (env !== undefined && /^\d+$/.test(env)) return Math.min(Number(env), 16);
  if (nodes < 200) return 0;
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}
