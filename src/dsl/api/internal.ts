/**
 * Entry point of a DSL evaluation inside the sandbox: takes the user's module
 * namespace and returns the rendered mesh as a JSON string (plain data crosses
 * the worker boundary; nothing of the sandbox's realm leaks out).
 */
import { isMeshDefinition } from './index.ts';
import { renderMesh, type RenderResult } from './render.ts';
import { stringifyKeepingNumbers } from './json-numbers.ts';

export type EvaluationOutput =
  | { kind: 'mesh'; result: RenderResult }
  | { kind: 'no-default-export'; exports: string[] }
  | { kind: 'wrong-export'; type: string }
  | { kind: 'render-error'; message: string };

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object') {
    if (typeof (value as { then?: unknown }).then === 'function') return 'a promise';
    const keys = Object.keys(value).slice(0, 5);
    return keys.length > 0 ? `an object with ${keys.join(', ')}` : 'an empty object';
  }
  return `a ${typeof value}`;
}

export function runMeshModule(mod: Record<string, unknown>): string {
  let out: EvaluationOutput;
  if (!('default' in mod)) out = { kind: 'no-default-export', exports: Object.keys(mod).sort() };
  else if (!isMeshDefinition(mod.default)) out = { kind: 'wrong-export', type: describe(mod.default) };
  else out = { kind: 'mesh', result: renderMesh(mod.default.spec) };
  try {
    return stringifyKeepingNumbers(out);
  } catch (err) {
    // A BigInt or a getter that throws: the description cannot be plain data.
    return JSON.stringify({ kind: 'render-error', message: err instanceof Error ? err.message : String(err) });
  }
}
