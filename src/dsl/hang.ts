/**
 * Where a DSL evaluation is running when it passes its time limit. The main
 * thread attaches to the worker through the inspector (NodeWorker domain),
 * pauses it, and reads its call stack (as a stack trace of the bundle, which
 * stack.ts maps back to the DSL line) and the console lines collected so far.
 * A paused loop answers: the pause is delivered as a V8 interrupt.
 *
 * Best effort: no inspector in this Node, no answer within `limitMs`, or any
 * error gives undefined, and the caller reports the timeout without a line.
 */
import type { Worker } from 'node:worker_threads';

export interface HangSite {
  /** `    at fn (BUNDLE:line:col)` for each frame in the bundle, innermost first. */
  stack: string;
  logs: string[];
}

interface CallFrame { callFrameId: string; functionName: string; location: { scriptId: string; lineNumber: number; columnNumber: number } }
interface Message { id?: number; method?: string; params?: Record<string, unknown>; result?: { result?: { value?: unknown } } }

export async function inspectHang(worker: Worker, bundleName: string, limitMs: number): Promise<HangSite | undefined> {
  let inspector: typeof import('node:inspector');
  try {
    inspector = await import('node:inspector');
  } catch {
    return undefined;
  }
  return new Promise((resolvePromise) => {
    let session: import('node:inspector').Session | undefined;
    let sessionId: string | undefined;
    let settled = false;
    const finish = (site: HangSite | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      try {
        // Let go of the worker before it is terminated: a worker left paused keeps a port open.
        if (sessionId) session?.post('NodeWorker.detach', { sessionId });
        session?.disconnect();
      } catch {
        // already gone
      }
      resolvePromise(site);
    };
    const timer = setTimeout(() => finish(undefined), limitMs);
    try {
      const s = new inspector.Session();
      session = s;
      s.connect();
      let nextId = 0;
      const replies = new Map<number, (m: Message) => void>();
      const scripts = new Map<string, string>();
      const send = (method: string, params: Record<string, unknown> = {}) =>
        new Promise<Message>((res) => {
          const id = ++nextId;
          replies.set(id, res);
          s.post('NodeWorker.sendMessageToWorker', { sessionId: sessionId!, message: JSON.stringify({ id, method, params }) });
        });
      // workerId is the inspector's own number; the title carries the thread id ("[worker 3]").
      // Never attach to another worker (pausing a module-loader worker would hang the process).
      s.on('NodeWorker.attachedToWorker', (m: { params: { sessionId: string; workerInfo: { title: string } } }) => {
        if (/\[worker (\d+)\]/.exec(m.params.workerInfo.title)?.[1] === String(worker.threadId)) sessionId = m.params.sessionId;
      });
      s.on('NodeWorker.receivedMessageFromWorker', (m: { params: { sessionId: string; message: string } }) => {
        if (m.params.sessionId !== sessionId) return;
        const msg = JSON.parse(m.params.message) as Message;
        if (msg.id !== undefined) {
          replies.get(msg.id)?.(msg);
          replies.delete(msg.id);
        } else if (msg.method === 'Debugger.scriptParsed') {
          scripts.set(String(msg.params?.scriptId), String(msg.params?.url));
        } else if (msg.method === 'Debugger.paused') {
          const frames = (msg.params?.callFrames ?? []) as CallFrame[];
          const stack = frames
            .filter((f) => scripts.get(f.location.scriptId) === bundleName)
            .map((f) => `    at ${f.functionName || '<anonymous>'} (${bundleName}:${f.location.lineNumber + 1}:${f.location.columnNumber + 1})`)
            .join('\n');
          const top = frames[0];
          if (!top) return finish({ stack, logs: [] });
          void send('Debugger.evaluateOnCallFrame', { callFrameId: top.callFrameId, expression: 'globalThis.__meshcLogs', returnByValue: true, silent: true })
            .then((r) => {
              const value = r.result?.result?.value;
              finish({ stack, logs: Array.isArray(value) ? value.map(String) : [] });
            });
        }
      });
      s.post('NodeWorker.enable', { waitForDebuggerOnStart: false }, (err) => {
        if (err || !sessionId) return finish(undefined);
        void send('Debugger.enable');
        void send('Debugger.pause');
      });
    } catch {
      finish(undefined);
    }
  });
}
