/**
 * Runs a bundled DSL file in isolation: a worker thread (its own heap with a
 * memory limit, terminated when the time limit passes) that evaluates the
 * code in a fresh `node:vm` context holding only ECMAScript built-ins — no
 * require, process, fetch, timers or file system — with code generation from
 * strings (eval, new Function) disabled. Only a JSON string comes back.
 *
 * This keeps a mesh description from depending on (or touching) the machine
 * that checks it; it is not a security boundary against a hostile file (treat
 * a DSL file like any build script you run).
 */
import { Worker } from 'node:worker_threads';
import { inspectHang } from './hang.ts';
import { TAG_FUNCTION } from './instrument.ts';

export const DEFAULT_TIMEOUT_MS = 5000;
export const MEMORY_LIMIT_MB = 256;
/** The worker's own vm timeout comes this much later: the main thread stops it first, after asking where it is. */
const BACKSTOP_MS = 2000;
/** How long the main thread waits for the paused worker to say where it is. */
const INSPECT_MS = 1000;

export type Evaluation =
  | { kind: 'ok'; output: string; logs: string[] }
  | { kind: 'threw'; message: string; stack: string; logs: string[] }
  /** `stack`: where it was running when stopped (frames of the bundle), when the inspector could tell. */
  | { kind: 'timeout'; ms: number; logs: string[]; stack?: string }
  | { kind: 'out-of-memory'; mb: number; logs: string[] };

/** Runs first inside the context: the literal tagger and a console that only collects lines. */
const PRELUDE = `(() => {
  const TAG = Symbol.for('meshc.dsl.literal');
  const define = Object.defineProperty;
  const own = Object.prototype.hasOwnProperty;
  define(globalThis, '${TAG_FUNCTION}', { value: (o, id) => {
    if (o !== null && typeof o === 'object' && Object.isExtensible(o) && !own.call(o, TAG)) define(o, TAG, { value: id });
    return o;
  } });
  const logs = [];
  let dropped = 0;
  define(globalThis, '__meshcLogs', { get: () => (dropped > 0 ? [...logs, '(' + dropped + ' more console line(s) not shown: meshc keeps the first 200)'] : logs) });
  const show = (v) => {
    if (typeof v === 'string') return v;
    try { const s = JSON.stringify(v); return s === undefined ? String(v) : s; } catch { return String(v); }
  };
  const console = {};
  for (const level of ['log', 'info', 'warn', 'error', 'debug', 'trace']) {
    console[level] = (...args) => { if (logs.length < 200) logs.push(args.map(show).join(' ').slice(0, 2000)); else dropped++; };
  }
  define(globalThis, 'console', { value: console, writable: true, configurable: true });
})();`;

/** The worker's own code (CommonJS, evaluated from this string: no file to ship next to the bundle). */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const vm = require('node:vm');
const { code, prelude, filename, timeoutMs } = workerData;
const context = vm.createContext(Object.create(null), { name: 'meshc DSL', codeGeneration: { strings: false, wasm: false } });
const logs = () => { try { return Array.from(context.__meshcLogs || [], String); } catch { return []; } };
const text = (f) => { try { return String(f()); } catch { return ''; } };
try {
  vm.runInContext(prelude, context);
  vm.runInContext(code, context, { filename, timeout: timeoutMs, microtaskMode: 'afterEvaluate', breakOnSigint: false });
  const output = context.__meshcOutput;
  parentPort.postMessage({ kind: 'ok', output: typeof output === 'string' ? output : '', logs: logs() });
} catch (err) {
  // What was thrown may be anything, a Proxy whose every property access throws too: read it only inside text().
  if (text(() => err && err.code) === 'ERR_SCRIPT_EXECUTION_TIMEOUT') {
    parentPort.postMessage({ kind: 'timeout', ms: timeoutMs, logs: logs() });
  } else {
    const isError = err !== null && typeof err === 'object';
    const message = isError ? text(() => (err.name ? err.name + ': ' : '') + err.message) : text(() => err);
    parentPort.postMessage({ kind: 'threw', message: message || 'a value meshc cannot describe (reading it threw)', stack: isError ? text(() => err.stack) : '', logs: logs() });
  }
}
`;

export function dslTimeoutMs(): number {
  const v = Number(process.env.MESHC_DSL_TIMEOUT_MS);
  return Number.isFinite(v) && v > 0 ? v : DEFAULT_TIMEOUT_MS;
}

export function evaluateBundle(code: string, filename: string, timeoutMs = dslTimeoutMs()): Promise<Evaluation> {
  return new Promise((resolvePromise, reject) => {
    let settled = false;
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { code, prelude: PRELUDE, filename, timeoutMs: timeoutMs + BACKSTOP_MS },
      resourceLimits: { maxOldGenerationSizeMb: MEMORY_LIMIT_MB, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 },
      execArgv: [],
      env: {},
      stdout: true,
      stderr: true,
    });
    const finish = (e: Evaluation | Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(watchdog);
      void worker.terminate();
      if (e instanceof Error) reject(e);
      else resolvePromise(e);
    };
    // At the limit: pause the worker to learn where it runs (the line MESH0904 points at), then stop it.
    // The worker's own, later vm timeout is a backstop for a main thread that could not act in time.
    const watchdog = setTimeout(() => {
      void inspectHang(worker, filename, INSPECT_MS).then(
        (site) => finish({ kind: 'timeout', ms: timeoutMs, logs: site?.logs ?? [], ...(site?.stack ? { stack: site.stack } : {}) }),
        () => finish({ kind: 'timeout', ms: timeoutMs, logs: [] }),
      );
    }, timeoutMs);
    worker.on('message', (m: Evaluation) => finish(m.kind === 'timeout' ? { ...m, ms: timeoutMs } : m));
    worker.on('error', (err: Error & { code?: string }) => {
      if (err.code === 'ERR_WORKER_OUT_OF_MEMORY') finish({ kind: 'out-of-memory', mb: MEMORY_LIMIT_MB, logs: [] });
      else if (err instanceof RangeError) finish({ kind: 'threw', message: `${err.name}: ${err.message}`, stack: '', logs: [] });
      else finish(err);
    });
    worker.on('exit', (code) => finish(new Error(`the DSL worker exited (code ${code}) without a result`)));
  });
}
