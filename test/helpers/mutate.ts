// Text mutations of manifests for the property-based fuzz tests (fuzz-check, fuzz-cache):
// seeds from the fixtures and the corpus, and edits of bytes, lines, indentation, YAML tokens
// and values, as an editor, a merge or a careless hand makes them.
import fc from 'fast-check';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from './cli.ts';

function manifests(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) manifests(p, out);
    else if (e.isFile() && /\.(ya?ml|json)$/.test(e.name) && statSync(p).size < 64 * 1024) out.push(p);
  }
  return out;
}

export const SEEDS = [...manifests(join(ROOT, 'fixtures')), ...manifests(join(ROOT, 'test', 'corpus'))]
  .sort()
  .map((p) => ({ name: relative(ROOT, p), text: readFileSync(p, 'utf8') }));

/** Pieces of YAML that exercise the loader's edges. */
const TOKENS = [
  '---\n', '...\n', '&a ', '*a', '<<: *a\n', '? ', '- ', ': ', '{', '}', '[', ']', ',', '"', "'", '|\n', '>-\n', '#',
  '!!binary ', '!!str ', '!custom ', '%YAML 1.1\n', '\t', '\r\n', '\u00a0', '\ufeff', '\u0000', '~', 'null', 'true', '0x1F', '1e400',
  '-.inf', '.nan', '2001-12-14t21:59:43.10-05:00', '__proto__', 'constructor', '\\u0000', '😀', 'a'.repeat(300), '[['.repeat(60),
];

/** Values put in place of a field's value. */
const VALUES = [
  'null', '~', '""', "''", '[]', '{}', '0', '-1', '65536', '1.5', '1e309', 'true', 'no', '"*"', '"/"', '".*("', '"(a+)+$"',
  '"-"', '"a/b/c"', '"UPPER_case"', '"x".repeat', '[1, 2]', '{a: 1}', '[null]', '[{}]', '"\\u0000"', 'ServiceAccount', 'Deployment',
  'split.smi-spec.io/v1alpha1', 'access.smi-spec.io/v1alpha4', 'specs.smi-spec.io/v1alpha1', 'v1', 'apps/v1', 'HTTPRouteGroup', 'TrafficTarget',
  'TrafficSplit', 'TCPRoute', 'UDPRoute', 'Service', 'List', 'IdentityBinding', `"${'n'.repeat(300)}"`,
];

export type Op =
  | { op: 'insert'; at: number; text: string }
  | { op: 'delete'; at: number; len: number }
  | { op: 'duplicateLine'; line: number }
  | { op: 'dropLine'; line: number }
  | { op: 'indent'; line: number; by: number }
  | { op: 'swapLines'; a: number; b: number }
  | { op: 'value'; line: number; value: string }
  | { op: 'splice'; other: number; from: number; len: number; at: number };

const position = fc.nat({ max: 1 << 20 });
export const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('insert' as const), at: position, text: fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 8 }), fc.string({ unit: 'binary', maxLength: 4 })) }),
  fc.record({ op: fc.constant('delete' as const), at: position, len: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ op: fc.constant('duplicateLine' as const), line: position }),
  fc.record({ op: fc.constant('dropLine' as const), line: position }),
  fc.record({ op: fc.constant('indent' as const), line: position, by: fc.integer({ min: -6, max: 6 }) }),
  fc.record({ op: fc.constant('swapLines' as const), a: position, b: position }),
  fc.record({ op: fc.constant('value' as const), line: position, value: fc.oneof(fc.constantFrom(...VALUES), fc.string({ maxLength: 12 }).map((s) => JSON.stringify(s))) }),
  fc.record({ op: fc.constant('splice' as const), other: position, from: position, len: fc.integer({ min: 1, max: 400 }), at: position }),
);

export function apply(text: string, o: Op): string {
  const lines = text.split('\n');
  const line = (n: number) => n % Math.max(1, lines.length);
  const at = (n: number) => n % (text.length + 1);
  switch (o.op) {
    case 'insert': return text.slice(0, at(o.at)) + o.text + text.slice(at(o.at));
    case 'delete': return text.slice(0, at(o.at)) + text.slice(at(o.at) + o.len);
    case 'duplicateLine': lines.splice(line(o.line), 0, lines[line(o.line)]!); break;
    case 'dropLine': lines.splice(line(o.line), 1); break;
    case 'indent': {
      const i = line(o.line);
      lines[i] = o.by >= 0 ? ' '.repeat(o.by) + lines[i] : lines[i]!.replace(new RegExp(`^ {0,${-o.by}}`), '');
      break;
    }
    case 'swapLines': {
      const [a, b] = [line(o.a), line(o.b)];
      [lines[a], lines[b]] = [lines[b]!, lines[a]!];
      break;
    }
    case 'value': {
      const i = line(o.line);
      lines[i] = lines[i]!.replace(/^(\s*(?:- )?[^:#\s][^:#]*:)(?:\s.*)?$/, `$1 ${o.value}`);
      break;
    }
    case 'splice': {
      const other = SEEDS[o.other % SEEDS.length]!.text;
      const from = o.from % (other.length + 1);
      return text.slice(0, at(o.at)) + other.slice(from, from + o.len) + text.slice(at(o.at));
    }
  }
  return lines.join('\n');
}
