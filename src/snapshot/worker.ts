/**
 * Encoder worker (see encode-backend.ts): receives batches of
 * `{id, typeUrl, body}`, answers `{id, bytes, violations}` per resource.
 */
import { parentPort } from 'node:worker_threads';
import { loadValidator } from '../envoy/validate/index.ts';
import { encodeOne, type WorkerReply, type WorkerRequest } from './encode-backend.ts';

const port = parentPort;
if (!port) throw new Error('src/snapshot/worker.ts runs as a worker thread');
const validator = loadValidator();

port.on('message', (batch: WorkerRequest[]) => {
  void validator.then((v) => {
    const replies: WorkerReply[] = batch.map((r) => {
      try {
        return { id: r.id, ...encodeOne(v.api, v, r.typeUrl, r.body) };
      } catch (e) {
        return { id: r.id, error: (e as Error).stack ?? String(e) };
      }
    });
    port.postMessage(replies);
  }, (e: Error) => port.postMessage(batch.map((r): WorkerReply => ({ id: r.id, error: `cannot load the Envoy API: ${e.message}` }))));
});
