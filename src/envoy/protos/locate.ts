// Finds the Envoy API protos that ship with @grpc/grpc-js-xds and decides which
// of them can be loaded: the package ships the v3 API plus some v2-era files
// whose imports (envoy/api/v2/…, opencensus, prometheus) are not included;
// a file is loadable when its whole import closure exists.
import { createRequire } from 'node:module';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Well-known types protobufjs carries itself (`protobuf.common`). */
const BUILTIN = new Set([
  'google/protobuf/any.proto', 'google/protobuf/duration.proto', 'google/protobuf/timestamp.proto',
  'google/protobuf/empty.proto', 'google/protobuf/struct.proto', 'google/protobuf/wrappers.proto',
  'google/protobuf/field_mask.proto',
]);

export interface ProtoSources {
  /** Include directories, searched in order. */
  includeDirs: string[];
  /** Loadable files under envoy/ (relative to an include dir), sorted. */
  files: string[];
  /** Files under envoy/ left out because an import is missing, with the first missing import. */
  excluded: { file: string; missing: string }[];
  /** Versions that identify the proto set (for bundle freshness). */
  versions: { grpcJsXds: string; protobufjs: string };
}

/** The meshc package root (the directory of its package.json), from src/ or dist/. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if (JSON.parse(readFileSync(pkg, 'utf8')).name === 'meshc') return dir;
      } catch {
        // not ours; keep walking up
      }
    }
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the meshc package root');
    dir = up;
  }
}

function packageDir(req: NodeJS.Require, name: string): string {
  return dirname(req.resolve(`${name}/package.json`));
}

export function protoVersions(): ProtoSources['versions'] {
  const req = createRequire(import.meta.url);
  const version = (name: string) => String(JSON.parse(readFileSync(join(packageDir(req, name), 'package.json'), 'utf8')).version);
  return { grpcJsXds: version('@grpc/grpc-js-xds'), protobufjs: version('protobufjs') };
}

function walk(dir: string, out: string[]): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.proto')) out.push(p);
  }
  return out;
}

const IMPORT = /^\s*import\s+(?:public\s+|weak\s+)?"([^"]+)"\s*;/gm;

export function locateProtos(): ProtoSources {
  const req = createRequire(import.meta.url);
  const deps = join(packageDir(req, '@grpc/grpc-js-xds'), 'deps');
  const includeDirs = ['envoy-api', 'xds', 'googleapis', 'protoc-gen-validate'].map((d) => join(deps, d));
  // google/protobuf/descriptor.proto (imported by the annotation protos) comes with protobufjs.
  includeDirs.push(packageDir(req, 'protobufjs'));
  const resolve = (file: string): string | null => {
    for (const dir of includeDirs) {
      const p = join(dir, file);
      if (existsSync(p)) return p;
    }
    return null;
  };
  const missingOf = new Map<string, string | null>();
  const firstMissing = (file: string, stack: Set<string>): string | null => {
    if (missingOf.has(file)) return missingOf.get(file)!;
    if (BUILTIN.has(file) || stack.has(file)) return null;
    const path = resolve(file);
    if (!path) {
      missingOf.set(file, file);
      return file;
    }
    stack.add(file);
    let missing: string | null = null;
    for (const m of readFileSync(path, 'utf8').matchAll(IMPORT)) {
      missing = firstMissing(m[1]!, stack);
      if (missing) break;
    }
    stack.delete(file);
    missingOf.set(file, missing);
    return missing;
  };
  const all = walk(join(includeDirs[0]!, 'envoy'), []).map((p) => relative(includeDirs[0]!, p).split(sep).join('/'));
  const files: string[] = [];
  const excluded: ProtoSources['excluded'] = [];
  for (const file of all) {
    const missing = firstMissing(file, new Set());
    if (missing) excluded.push({ file, missing });
    else files.push(file);
  }
  return { includeDirs, files, excluded, versions: protoVersions() };
}

/** Resolves an import against the include dirs (protobufjs `resolvePath`). */
export function makeResolver(includeDirs: string[]): (origin: string, target: string) => string {
  return (_origin, target) => {
    if (BUILTIN.has(target)) return target;
    for (const dir of includeDirs) {
      const p = join(dir, target);
      if (existsSync(p)) return p;
    }
    return target;
  };
}
