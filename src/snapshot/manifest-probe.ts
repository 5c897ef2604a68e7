/**
 * Is a manifest.json one `meshc compile` wrote? The loader asks before it
 * passes over a directory (src/load/inputs.ts), the writer before it
 * replaces one (writer.ts: a directory holding some other project's
 * manifest.json is never deleted). Only a regular file is read (a named
 * pipe of that name must not block either), and only its start when large.
 */
import { readRegularFileHeadSync } from '../core/regular-file.ts';

/** Bytes read to recognise a compile output (its "meshc" key comes first; a smaller file is parsed whole). */
const MANIFEST_PEEK = 1 << 16;

export interface ManifestProbe {
  /** The top-level object has the "meshc" key compile writes first. */
  meshc: boolean;
  /** Known to list no nodes (a mesh without workloads: no nodes/ directory either). */
  noNodes: boolean;
}

/** What `file` is, or null when it is no meshc manifest (unreadable, not a regular file, not JSON, no "meshc" key). */
export function probeManifest(file: string): ManifestProbe | null {
  let head: { bytes: Buffer; whole: boolean };
  try {
    head = readRegularFileHeadSync(file, MANIFEST_PEEK);
  } catch {
    return null;
  }
  const text = head.bytes.toString('utf8');
  // A large manifest: meshc writes its "meshc" key first.
  if (!head.whole) return /^\s*\{\s*"meshc"\s*:/.test(text) ? { meshc: true, noNodes: false } : null;
  try {
    const json = JSON.parse(text) as unknown;
    if (!json || typeof json !== 'object' || Array.isArray(json) || !Object.hasOwn(json, 'meshc')) return null;
    const listed = (json as { nodes?: unknown }).nodes;
    return { meshc: true, noNodes: Array.isArray(listed) && listed.length === 0 };
  } catch {
    return null;
  }
}
