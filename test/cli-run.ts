// Helpers for the CLI tests of check/explain/rules/config/suppression (not a test file itself).
import { spawnSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ROOT } from './helpers/cli.ts';

/** MESHC_TEST_BIN runs another build of the CLI (e.g. a private one while others rebuild dist/). */
export const BIN = process.env.MESHC_TEST_BIN ?? join(ROOT, 'bin', 'meshc.js');

export interface Run { code: number; stdout: string; stderr: string }

/** A clean environment: none of the variables that change meshc's output, plus `env`. */
export function cleanEnv(env: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['FORCE_COLOR', 'NO_COLOR', 'GITHUB_ACTIONS', 'GITHUB_WORKFLOW', 'MESHC_DEBUG', 'MESHC_TEST_CRASH', 'TERM']) delete base[k];
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete base[k];
    else base[k] = v;
  }
  return base;
}

/** Runs the built CLI in `cwd` with exactly the given extra environment (NO_COLOR=1 unless overridden). */
export function run(args: string[], options: { cwd?: string; input?: string | Buffer; env?: Record<string, string | undefined> } = {}): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    input: options.input ?? '',
    env: cleanEnv({ NO_COLOR: '1', ...options.env }),
    encoding: 'utf8',
    timeout: 120_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Runs the CLI with its stdout piped into a reader that closes after the first line (like `| head -1`). */
export function runClosingStdout(args: string[], cwd: string): Promise<{ code: number; stderr: string; firstLine: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: cleanEnv({ NO_COLOR: '1' }), stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let buffered = '';
    let firstLine = '';
    child.stderr.on('data', (c) => { stderr += c; });
    child.stdout.on('data', (c) => {
      buffered += c;
      const nl = buffered.indexOf('\n');
      if (nl >= 0 && !firstLine) {
        firstLine = buffered.slice(0, nl);
        child.stdout.destroy();
      }
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stderr, firstLine }));
  });
}

/** A temporary directory with the given files (path → content); removed by the returned function. */
export function tempTree(files: Record<string, string | Buffer> = {}): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'meshc-cli-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Parses the JSON report, failing with the raw output when it is not JSON. */
export function json(r: Run): { diagnostics: Record<string, unknown>[]; summary: Record<string, number> } {
  try {
    return JSON.parse(r.stdout);
  } catch {
    throw new Error(`stdout is not JSON (exit ${r.code}):\n${r.stdout}\n--- stderr:\n${r.stderr}`);
  }
}

/** A stack trace line, which must never reach a user. */
export const STACK = /\n\s+at .+:\d+:\d+\)?/;

/** Two findings meshc is sure to report: a YAML syntax error (4:1) and a list document (another file, 1:1). */
export const BROKEN = {
  'manifests/syntax.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n\tname: web\n',
  // Objects written as a YAML list: an error even when walked (a list of scalars alone would be skipped, MESH0016).
  'manifests/list.yaml': '- apiVersion: v1\n  kind: ServiceAccount\n',
};
