/** Small helpers shared by `meshc export`, `meshc import`, `meshc init` and `meshc graph --output`. */
import { existsSync, mkdirSync, realpathSync, renameSync, rmSync, statSync, writeFileSync, type Stats } from 'node:fs';
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

/** What a path that exists is when it is no regular file ("a directory"), for the message that refuses to replace it. */
function notRegular(st: Stats): string {
  if (st.isDirectory()) return 'it is a directory';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'it is a device, not a regular file';
  if (st.isFIFO()) return 'it is a named pipe (FIFO), not a regular file';
  if (st.isSocket()) return 'it is a socket, not a regular file';
  return 'it is not a regular file';
}

/**
 * Writes a file atomically (temp file + rename): never a half-written output.
 * A path that exists must be a regular file: the rename would put a file in
 * place of a device, a pipe or a socket (`--out /dev/stdout` as root would
 * replace the device node). A symbolic link to a regular file is written
 * through: the file it points to is replaced, the link stays.
 */
export function writeAtomic(path: string, text: string): void {
  let st: Stats | undefined;
  try {
    st = statSync(path);
  } catch {
    // Nothing there (or a dangling link): a new file.
  }
  if (st && !st.isFile()) throw new Error(notRegular(st));
  const target = st ? realpathSync(path) : path;
  mkdirSync(dirname(target), { recursive: true });
  const tmp = `${target}.meshc-${process.pid}.tmp`;
  try {
    writeFileSync(tmp, text, { flag: 'wx' });
    renameSync(tmp, target);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

export function exists(path: string): boolean {
  return existsSync(path);
}
