/**
 * Functions stay under 120 lines (docs/architecture.md, "Conventions"): every
 * function, method, arrow function and constructor with a body in src/,
 * measured with the TypeScript compiler API from its first to its last line
 * (nested functions count in their parent too). Generated code (src/**\/generated/)
 * is left out.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { ROOT } from './helpers/cli.ts';

const MAX_LINES = 120;

/**
 * Functions allowed over the limit, each no longer than the length given (so it cannot grow), with the reason.
 * Remove an entry once its function is split.
 */
const ALLOWED: Record<string, { lines: number; why: string }> = {
  // The ADS server's set-up; split by issue 11 item 7 (the shared stream loop), done in parallel.
  'src/server/server.ts startServer': { lines: 134, why: 'issue 11.7' },
};

interface Measured {
  where: string;
  key: string;
  lines: number;
}

function functionName(node: ts.FunctionLikeDeclaration, sf: ts.SourceFile): string {
  if (node.name) return node.name.getText(sf);
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) return parent.name.getText(sf);
  return '(anonymous)';
}

/** Every function-like node with a body in the text, with its length in lines. */
export function measureFunctions(file: string, text: string): Measured[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const out: Measured[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && (node as ts.FunctionLikeDeclaration).body) {
      const fn = node as ts.FunctionLikeDeclaration;
      const first = sf.getLineAndCharacterOfPosition(fn.getStart(sf)).line;
      const last = sf.getLineAndCharacterOfPosition(fn.getEnd()).line;
      out.push({ where: `${file}:${first + 1}`, key: `${file} ${functionName(fn, sf)}`, lines: last - first + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'generated') out.push(...sourceFiles(p));
    } else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out.sort();
}

test('the measure sees every kind of function and counts nested ones in their parent', () => {
  const body = (n: number) => Array.from({ length: n }, (_, i) => `  x += ${i};`).join('\n');
  const text = [
    `export function long() {\n${body(119)}\n}`,
    `const arrow = () => {\n${body(10)}\n  const inner = function () {\n${body(3)}\n  };\n};`,
    `class C {\n  constructor() {\n${body(1)}\n  }\n  method() {\n${body(2)}\n  }\n}`,
  ].join('\n');
  const m = new Map(measureFunctions('t.ts', text).map((f) => [f.key, f.lines]));
  assert.equal(m.get('t.ts long'), 121);
  assert.equal(m.get('t.ts arrow'), 17);
  assert.equal(m.get('t.ts inner'), 5);
  assert.equal(m.get('t.ts constructor'), 3);
  assert.equal(m.get('t.ts method'), 4);
});

test(`no hand-written function in src/ is longer than ${MAX_LINES} lines`, () => {
  const files = sourceFiles(join(ROOT, 'src'));
  assert.ok(files.length > 100, 'the walk found the sources');
  const tooLong: string[] = [];
  for (const abs of files) {
    const file = relative(ROOT, abs).split('\\').join('/');
    for (const f of measureFunctions(file, readFileSync(abs, 'utf8'))) {
      const allowed = ALLOWED[f.key];
      if (f.lines > (allowed ? allowed.lines : MAX_LINES)) tooLong.push(`${f.where} ${f.key.split(' ')[1]}: ${f.lines} lines`);
    }
  }
  assert.equal(tooLong, [], `split these functions (at most ${MAX_LINES} lines each)`);
});

test.run();
