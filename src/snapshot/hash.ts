/** The content hashes of the compiled output (docs/architecture.md), computed alike by the writer and the server. */
import { createHash } from 'node:crypto';

/** Resource hashes and versions: sha256, hex, first 16 characters. */
export function shortHash(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex').slice(0, 16);
}

/**
 * A type's version, `version_info` of `<stem>.json` and what `meshc serve`
 * sends: the hash of its resources' names and hashes, in order.
 */
export function typeVersion(list: readonly { name: string; hash: string }[]): string {
  return shortHash(list.map((r) => `${r.name}\u0000${r.hash}\n`).join(''));
}
