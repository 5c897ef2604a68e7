/**
 * Parse worker thread (see parse-pool.ts): `{id, text, file}` →
 * `{id, parsed}` (a ParsedFile, or null when the parse cannot be replayed) or
 * `{id, error}` when parsing threw; the loader then parses that file in its
 * own thread, which reports the failure exactly as a single-threaded run does.
 */
import { parentPort } from 'node:worker_threads';
import { parseToParsedFile } from './parsed-file.ts';

const port = parentPort;
if (!port) throw new Error('src/load/parse-worker.ts runs as a worker thread');

export interface ParseRequest { id: number; text: string; file: string }

port.on('message', (m: ParseRequest) => {
  try {
    port.postMessage({ id: m.id, parsed: parseToParsedFile(m.text, m.file) });
  } catch (e) {
    port.postMessage({ id: m.id, error: String((e as Error)?.message ?? e) });
  }
});
