/**
 * Parse worker thread (see parse-pool.ts). For each share it is sent, it
 * claims files from the back of the claim table, one at a time, until the
 * table is used up or the loader's thread (claiming from the front) has
 * reached the file it wants; each claimed file is answered with
 * `{share, index, parsed}` (an EncodedParsedFile, or null when the parse
 * cannot be replayed or encoded) or `{share, index, error}` when parsing threw; the loader then
 * parses that file in its own thread, which reports the failure exactly as a
 * single-threaded run does.
 */
import { parentPort } from 'node:worker_threads';
import { parseToEncodedFile } from './parsed-file.ts';
import { CLAIM_FREE, CLAIM_WORKER, type ShareAnswer, type ShareRequest } from './parse-pool.ts';

const port = parentPort;
if (!port) throw new Error('src/load/parse-worker.ts runs as a worker thread');

function answer(m: ShareRequest, index: number): ShareAnswer {
  try {
    return { share: m.share, index, parsed: parseToEncodedFile(m.texts[index]!, m.files[index]!) };
  } catch (e) {
    return { share: m.share, index, error: String((e as Error)?.message ?? e) };
  }
}

port.on('message', (m: ShareRequest) => {
  const claims = new Int32Array(m.claims);
  for (;;) {
    const index = Atomics.sub(claims, 0, 1) - 1;
    if (index < 0 || Atomics.compareExchange(claims, index + 1, CLAIM_FREE, CLAIM_WORKER) !== CLAIM_FREE) break;
    port.postMessage(answer(m, index));
  }
});
