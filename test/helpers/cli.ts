import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface CliResult { code: number; stdout: string; stderr: string }

/** Runs the built CLI (dist/) like a user would. */
export function runCli(args: string[], options: { cwd?: string; input?: string | Buffer; env?: Record<string, string> } = {}): CliResult {
  const r = spawnSync(process.execPath, [`${ROOT}/bin/meshc.js`, ...args], {
    cwd: options.cwd ?? ROOT,
    input: options.input,
    env: { ...process.env, NO_COLOR: '1', GITHUB_ACTIONS: '', ...options.env },
    encoding: 'utf8',
    timeout: 180_000, // generous: a starved machine (swapping) must not turn a slow run into a failure; a hang still ends
    maxBuffer: 64 * 1024 * 1024, // a SARIF report of fixtures/bad is over the default 1 MiB
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
