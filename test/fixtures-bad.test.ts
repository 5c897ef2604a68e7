/**
 * Every file in fixtures/bad/ states the diagnostics it must produce
 * (`# expect: CODE line:col`); this runs the real CLI on each and compares.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync } from 'node:fs';
import { runCli, ROOT } from './helpers/cli.ts';

const DIR = `${ROOT}/fixtures/bad`;

interface Expectation { code: string; line: number; column: number }

function expectations(text: string): { expect: Expectation[]; args: string[] } {
  const expect: Expectation[] = [];
  let args: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^(?:#|\/\/)\s*expect:\s*(MESH\d{4})\s+(\d+):(\d+)/.exec(line);
    if (m) expect.push({ code: m[1]!, line: Number(m[2]), column: Number(m[3]) });
    const a = /^(?:#|\/\/)\s*args:\s*(.*)$/.exec(line);
    if (a) args = a[1]!.trim().split(/\s+/);
  }
  return { expect, args };
}

const files = readdirSync(DIR).filter((f) => /\.(ya?ml|json|ts)$/.test(f)).sort();

for (const file of files) {
  test(`fixtures/bad/${file}`, () => {
    const { expect, args } = expectations(readFileSync(`${DIR}/${file}`, 'utf8'));
    assert.ok(expect.length > 0, 'fixture declares no expectation');
    const r = runCli(['check', '--format', 'json', ...args, `fixtures/bad/${file}`]);
    let report: { diagnostics: { code: string; severity: string; line: number; column: number; file: string }[] };
    try {
      report = JSON.parse(r.stdout);
    } catch {
      throw new Error(`no JSON report (exit ${r.code}): ${r.stderr}`);
    }
    const got = report.diagnostics.map((d) => `${d.code} ${d.line}:${d.column}`);
    for (const e of expect) assert.ok(got.includes(`${e.code} ${e.line}:${e.column}`), `expected ${e.code} at ${e.line}:${e.column}, got: ${got.join(', ')}`);
    const expectedCodes = new Set(expect.map((e) => e.code));
    const unexpected = report.diagnostics.filter((d) => d.severity === 'error' && !expectedCodes.has(d.code));
    assert.equal(unexpected.map((d) => `${d.code} ${d.line}:${d.column}`), [], 'unexpected errors');
    const anyError = report.diagnostics.some((d) => d.severity === 'error');
    assert.is(r.code, anyError ? 1 : 0, 'exit code');
  });
}

test.run();
