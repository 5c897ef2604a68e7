/**
 * Valid/invalid tables for lint rules (in the spirit of ESLint's RuleTester):
 * each case is real YAML run through `check()` — loader, schema, model and
 * every rule — and the findings of the rule under test are compared by code,
 * line and column (and optionally message). Write the object under test
 * first with the y`…` tag (dedented: line 1 is the first line after the
 * backtick) and append supporting objects with docs(...).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { check, type CheckOptions } from '../../src/pipeline/check.ts';
import { RULES } from '../../src/rules/registry.ts';
import type { Diagnostic } from '../../src/core/types.ts';

export interface Expected {
  code: string;
  line: number;
  column: number;
  /** Substring (or pattern) the message must contain. */
  message?: string | RegExp;
}

export interface Case {
  name: string;
  yaml: string;
  options?: Partial<CheckOptions>;
  /** The input deliberately holds schema errors (e.g. to test that a rejected object causes no cascade). */
  allowErrors?: boolean;
}

export interface InvalidCase extends Case {
  errors: Expected[];
}

/** Removes the common indentation and the leading newline of a template literal. */
export function dedent(text: string): string {
  const lines = text.replace(/^\n/, '').replace(/\n[ \t]*$/, '\n').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => l.match(/^ */)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n');
}

/** Template tag: dedented YAML (interpolated values must be single-line). */
export function y(strings: TemplateStringsArray, ...values: unknown[]): string {
  return dedent(String.raw({ raw: strings }, ...values)); // cooked strings: escapes are processed as in a normal literal
}

/** Joins YAML documents into one multi-document stream. */
export function docs(...parts: string[]): string {
  return parts.map((p) => (p.endsWith('\n') ? p : `${p}\n`)).join('---\n');
}

/** Runs `check` on in-memory YAML (read as standard input). */
export async function checkYaml(yaml: string, options: Partial<CheckOptions> = {}): Promise<Diagnostic[]> {
  const result = await check(['-'], { ...options, readStdin: async () => Buffer.from(yaml) });
  return result.diagnostics;
}

const show = (d: Diagnostic) => `${d.code} ${d.range?.line}:${d.range?.column} ${d.message}`;

export function ruleTester(ruleId: string, cases: { valid: Case[]; invalid: InvalidCase[] }): void {
  const rule = RULES.find((r) => r.id === ruleId);
  if (!rule) throw new Error(`no rule ${ruleId} in the registry`);
  const codes = new Set<string>(rule.codes);
  const mine = (all: Diagnostic[]) => all.filter((d) => codes.has(d.code));
  const errorsOf = (all: Diagnostic[]) => all.filter((d) => d.severity === 'error' && !codes.has(d.code) && d.code < 'MESH0200');

  for (const c of cases.valid) {
    test(`${ruleId} valid: ${c.name}`, async () => {
      const all = await checkYaml(c.yaml, c.options);
      if (c.allowErrors) assert.ok(errorsOf(all).length > 0, 'the input was meant to hold a schema error');
      else assert.equal(errorsOf(all).map(show), [], 'the input itself must load and validate');
      assert.equal(mine(all).map(show), []);
    });
  }
  for (const c of cases.invalid) {
    test(`${ruleId} invalid: ${c.name}`, async () => {
      const all = await checkYaml(c.yaml, c.options);
      if (c.allowErrors) assert.ok(errorsOf(all).length > 0, 'the input was meant to hold a schema error');
      else assert.equal(errorsOf(all).map(show), [], 'the input itself must load and validate');
      const got = mine(all);
      assert.equal(got.map((d) => `${d.code} ${d.range?.line}:${d.range?.column}`), c.errors.map((e) => `${e.code} ${e.line}:${e.column}`), got.map(show).join('\n'));
      c.errors.forEach((e, i) => {
        if (e.message === undefined) return;
        const message = got[i]!.message;
        if (typeof e.message === 'string') assert.ok(message.includes(e.message), `"${message}" should contain "${e.message}"`);
        else assert.match(message, e.message);
      });
    });
  }
}
