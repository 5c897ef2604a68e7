/** Small helpers shared by `meshc export`, `meshc import` and `meshc init`. */
import { existsSync, renameSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { exitCodeFor } from '../cli/common.ts';
import type { Diagnostic, Severity } from '../core/types.ts';
import { formatLine } from '../report/text.ts';
import { useColor } from '../report/color.ts';

/**
 * Pulls `--format VALUE` / `--format=VALUE` out of argv: these commands' format
 * is an output language (smi, ts), not a report format.
 */
export function takeFormat(argv: string[]): { argv: string[]; format?: string; missingValue?: true } {
  const rest: string[] = [];
  let format: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') { rest.push(...argv.slice(i)); break; }
    if (a === '--format') {
      if (i + 1 >= argv.length) return { argv, missingValue: true };
      format = argv[++i];
    } else if (a.startsWith('--format=')) format = a.slice('--format='.length);
    else rest.push(a);
  }
  return { argv: rest, format };
}

/** Findings on stderr (stdout may carry the output), then the exit code check would give. */
export function reportToStderr(diagnostics: Diagnostic[], failLevel: Severity = 'error'): number {
  const color = useColor(process.stderr, process.env);
  for (const d of diagnostics) process.stderr.write(`${formatLine(d, color)}\n`);
  return exitCodeFor(diagnostics, failLevel);
}

/** Writes a file atomically (temp file + rename): never a half-written output. */
export function writeAtomic(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.meshc-${process.pid}.tmp`;
  try {
    writeFileSync(tmp, text, { flag: 'wx' });
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

export function exists(path: string): boolean {
  return existsSync(path);
}
