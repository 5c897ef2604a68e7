/**
 * A `meshc check --watch` session in a thread of its own, for the incremental
 * benchmark: a watch is a process of its own, whose heap holds only what its
 * own runs left, and which no benchmark harness collects between runs. Run in
 * the benchmark's process, the session paid for the garbage of the other
 * contenders' full checks (a forced collection before each contender leaves
 * V8's heap shrunk, and the next runs of a small re-check pay for growing it
 * again), which a user's watch never does.
 *
 * Messages: `{ dir }` once (the session's own copy of the mesh, with the
 * cache directory in MESHC_CACHE_DIR), then `{ run: true }` per re-check, each
 * answered with `{ done: true }` (or `{ error }`); the sender times the round trip.
 * The re-check is what src/cli/commands/check.ts checkOnce does.
 */
import { parentPort } from 'node:worker_threads';
import { check } from '../../src/index.ts';
import { sweepSharedParses, type SharedParses } from '../../src/load/index.ts';
import { DocumentMemo } from '../../src/model/document-memo.ts';

const port = parentPort!;
const session: SharedParses = new Map();
const documents = new DocumentMemo();
let dir = '';

port.on('message', async (m: { dir?: string; run?: boolean }) => {
  if (m.dir) dir = m.dir;
  if (!m.run) return;
  try {
    await check([dir], { cwd: dir, cache: true, parseCache: session, documentMemo: documents });
    sweepSharedParses(session);
    port.postMessage({ done: true });
  } catch (e) {
    port.postMessage({ error: String((e as Error)?.stack ?? e) });
  }
});
