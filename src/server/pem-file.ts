/**
 * Reading a PEM file (--tls-cert, --tls-key, --client-ca), at start-up and on
 * every TLS reload: a regular file of at most 16 MiB (a CA bundle is a few
 * hundred KB). A named pipe would block the server, /dev/zero fill its memory.
 */
import { readRegularFileSync } from '../core/regular-file.ts';

export const MAX_PEM_FILE = 16 * 1024 * 1024;

export function readPemFile(path: string): Buffer {
  return readRegularFileSync(path, MAX_PEM_FILE);
}
