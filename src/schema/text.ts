/** Small helpers that turn paths and values into words for diagnostics. */
import type { Path } from '../core/types.ts';

const PLAIN_KEY = /^[A-Za-z_$][\w$-]*$/;

/** ['spec', 'rules', 0, 'name'] → "spec.rules[0].name"; odd keys are quoted: labels["app.kubernetes.io/name"]. */
export function formatPath(path: Path): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (PLAIN_KEY.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out === '' ? 'the document' : out;
}

/** "in spec.destination" / "at the top level". */
export function where(path: Path): string {
  return path.length === 0 ? 'at the top level' : `in ${formatPath(path)}`;
}

/** A short, quoted rendering of a user value. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'a list' : 'a map';
}

/** "a string (\"9091\")", "an integer (1)", "a map", … */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string': return `a string (${show(value)})`;
    case 'number': return Number.isInteger(value) ? `an integer (${value})` : `a number (${value})`;
    case 'boolean': return `a boolean (${value})`;
    case 'object': return 'a map';
    default: return typeof value;
  }
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string', integer: 'an integer', number: 'a number', boolean: 'true or false',
  object: 'a map', array: 'a list', null: 'null',
};

/** ["integer", "string"] → "an integer or a string". */
export function describeTypes(types: string[]): string {
  const words = [...new Set(types)].map((t) => TYPE_WORDS[t] ?? t);
  return words.length <= 1 ? (words[0] ?? 'something else') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
}

/** "a, b or c" */
export function orList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}
