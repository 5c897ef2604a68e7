// Entry point of scripts/prebuild-protos.mjs: loads the Envoy protos from
// their .proto text and writes the descriptor bundle loadEnvoyApi() prefers.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { bundlePath } from './index.ts';
import { loadRootFromProtos, makeBundle } from './load.ts';
import { locateProtos } from './locate.ts';

/** Writes the bundle (only when its content changed); returns what happened. */
export function writeProtoBundle(path = bundlePath()): { path: string; written: boolean; files: number; bytes: number } {
  const sources = locateProtos();
  const text = `${JSON.stringify(makeBundle(loadRootFromProtos(sources), sources))}\n`;
  const same = existsSync(path) && readFileSync(path, 'utf8') === text;
  if (!same) {
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  }
  return { path, written: !same, files: sources.files.length, bytes: Buffer.byteLength(text) };
}
