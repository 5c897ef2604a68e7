/**
 * Process-wide safety nets, installed once by main(): an uncaught exception or
 * unhandled rejection anywhere becomes MESH0001 in one line on stderr and
 * exit code 2 (the stack only with MESHC_DEBUG=1); a stdout closed early
 * (`meshc check … | head -1`) ends the output quietly instead of an EPIPE
 * stack trace; a stdout that cannot be written (a full disk under
 * `meshc check --format sarif > out.sarif`) is MESH1020 and exit code 2, so
 * CI never takes a lost report for a clean run. Kept tiny: `meshc --version`
 * loads only this and main.
 */
import { catalogEntry } from '../core/catalog/index.ts';

/** One line for an internal error (the stack follows only with MESHC_DEBUG=1). */
export function internalErrorLine(err: unknown, env: NodeJS.ProcessEnv = process.env): string {
  const message = (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
  const entry = catalogEntry('MESH0001');
  const stack = env.MESHC_DEBUG === '1' && err instanceof Error && err.stack ? `${err.stack}\n` : '';
  const hint = stack ? '' : ' (set MESHC_DEBUG=1 for the stack trace)';
  return `meshc: error MESH0001 ${entry.message.replace('{detail}', message)}${hint} [${entry.name}]\n${stack}`;
}

let installed = false;

export function installSafetyNets(): void {
  if (installed) return;
  installed = true;
  const fatal = (err: unknown) => {
    try {
      process.stderr.write(internalErrorLine(err));
    } finally {
      process.exit(2);
    }
  };
  process.on('uncaughtException', fatal);
  process.on('unhandledRejection', fatal);
  // EPIPE (reader gone) and writes after it: drop the rest of the output, keep the exit code.
  // Any other failure (ENOSPC, EIO): the output is lost, and the exit code says so.
  let lost: NodeJS.ErrnoException | undefined;
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') lost ??= err;
  });
  process.stderr.on('error', () => {});
  process.on('exit', () => {
    if (!lost) return;
    process.stderr.write(`${outputLostLine(lost)}\n`);
    process.exitCode = 2;
  });
}

const ERRNO_WORDS: Record<string, string> = {
  ENOENT: 'no such directory', ENOTDIR: 'a part of the path is not a directory', EACCES: 'permission denied', EPERM: 'permission denied',
  EROFS: 'read-only file system', ENOSPC: 'no space left on the device', EISDIR: 'it is a directory', EEXIST: 'a file of that name is in the way',
};

/** Why an output could not be written, in words for the common errno codes, else the error's first line (MESH1020's reason). */
export function writeFailureReason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return (e.code && ERRNO_WORDS[e.code]) ?? (e.message ?? String(err)).split('\n')[0]!;
}

/** MESH1020 for standard output. */
export function outputLostLine(err: NodeJS.ErrnoException): string {
  const entry = catalogEntry('MESH1020');
  const reason = writeFailureReason(err);
  return `meshc: error MESH1020 ${entry.message.replace('{path}', 'standard output').replace('{reason}', reason).replace('{written}', '')} [${entry.name}]`;
}
