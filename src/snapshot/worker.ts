/**
 * Compile worker thread (see encode-backend.ts and write-backend.ts):
 * - `{kind: 'encode', batch: [{id, typeUrl, text}]}` → `{kind: 'encode', replies: [{id, bytes, violations}]}` (bytes transferred):
 *   read, encode and validate resources (the Envoy API is loaded on first use);
 * - `{kind: 'write', id, dir, names, ends, data}` → `{kind: 'write', id, error?}`:
 *   create a node directory and write its files (file i is `data` from `ends[i - 1]` to `ends[i]`, write-backend.ts),
 *   or hard-link file i to `sameAs[i]` (an earlier-written file with the same bytes; written when linking fails),
 *   so the disk work runs beside the compile.
 */
import { linkSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import type { EnvoyValidator } from '../envoy/validate/index.ts';
import { encodeOne, requestBody, transferableReplies, type WorkerReply, type WorkerRequest } from './encode-backend.ts';

const port = parentPort;
if (!port) throw new Error('src/snapshot/worker.ts runs as a worker thread');

let validator: Promise<EnvoyValidator> | undefined;
const loadValidator = () => (validator ??= import('../envoy/validate/index.ts').then((m) => m.loadValidator()));

export type WorkerMessage =
  | { kind: 'encode'; batch: WorkerRequest[] }
  | { kind: 'write'; id: number; dir: string; names: string[]; ends: number[]; sameAs: (string | null)[]; data: Uint8Array };

export type WorkerAnswer =
  | { kind: 'encode'; replies: WorkerReply[] }
  | { kind: 'write'; id: number; error?: { code?: string; message: string } };

function encode(batch: WorkerRequest[]): void {
  loadValidator().then((v) => {
    const { replies, transfer } = transferableReplies(batch.map((r): WorkerReply => {
      try {
        return { id: r.id, ...encodeOne(v.api, v, r.typeUrl, requestBody(r)) };
      } catch (e) {
        return { id: r.id, error: (e as Error).stack ?? String(e) };
      }
    }));
    port!.postMessage({ kind: 'encode', replies } satisfies WorkerAnswer, transfer);
  }, (e: Error) => port!.postMessage({ kind: 'encode', replies: batch.map((r) => ({ id: r.id, error: `cannot load the Envoy API: ${e.message}` })) } satisfies WorkerAnswer));
}

/** As writer.ts writeOrLink, synchronously. */
function writeOrLink(path: string, data: Uint8Array, sameAs: string | null): void {
  if (sameAs !== null) {
    try {
      linkSync(sameAs, path);
      return;
    } catch {
      // no hard links on this file system: write the bytes
    }
  }
  writeFileSync(path, data);
}

function write({ id, dir, names, ends, sameAs, data }: Extract<WorkerMessage, { kind: 'write' }>): void {
  try {
    mkdirSync(dir, { recursive: true });
    names.forEach((name, i) => writeOrLink(join(dir, name), data.subarray(i === 0 ? 0 : ends[i - 1], ends[i]), sameAs[i] ?? null));
    port!.postMessage({ kind: 'write', id } satisfies WorkerAnswer);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    port!.postMessage({ kind: 'write', id, error: { code: err.code, message: err.message } } satisfies WorkerAnswer);
  }
}

port.on('message', (m: WorkerMessage) => {
  if (m.kind === 'encode') encode(m.batch);
  else write(m);
});
