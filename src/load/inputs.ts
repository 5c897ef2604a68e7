import { lstatSync, readdirSync, realpathSync, statSync, type Stats } from 'node:fs';
import { join, relative, resolve, sep, extname } from 'node:path';
import type { DiagnosticSink } from '../core/diagnostics.ts';
import { fileStart } from '../source/yaml-doc.ts';
import { MANIFEST, NODES_DIR } from '../snapshot/layout.ts';
import { probeManifest } from '../snapshot/manifest-probe.ts';
import { specialKind } from '../core/regular-file.ts';
import { isToolFile } from './tool-files.ts';

export const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'];
/** Extensions handled by other loaders (the TypeScript DSL); found in directories only when enabled. */
export interface InputFile {
  /** Absolute path, or '-' for standard input. */
  path: string;
  /** What diagnostics show: relative to the working directory. */
  display: string;
  /** Found while walking a directory, not named on the command line (a file that is plainly not a manifest is then skipped). */
  walked: boolean;
}

export interface ExpandOptions {
  cwd: string;
  /** Extensions to pick up while walking directories. Explicit file arguments are always taken. */
  extensions?: string[];
  /** The names walks take, as shown in MESH0015 (default: `*` + each extension). */
  patterns?: string[];
  /** Further filter for files found while walking (by base name). */
  accept?: (name: string) => boolean;
  /** Absolute paths walks pass over silently (compile's own --out directory); a path named explicitly is still read. */
  skip?: readonly string[];
}

export function displayPath(cwd: string, abs: string): string {
  const rel = relative(cwd, abs) || '.';
  return sep === '/' ? rel : rel.split(sep).join('/');
}

/**
 * Expands command-line paths into a sorted, de-duplicated file list.
 * Directories are walked recursively (skipping dot-files, dot-directories,
 * node_modules and other tools' files such as package.json), each real
 * directory once, so symlink loops end.
 */
export async function expandInputs(paths: string[], sink: DiagnosticSink, options: ExpandOptions): Promise<InputFile[]> {
  const extensions = options.extensions ?? MANIFEST_EXTENSIONS;
  const files = new Map<string, InputFile>();
  const visitedDirs = new Set<string>();
  // Files (and special files) named like a manifest that walks came across; a directory argument that adds none is MESH0015.
  let candidates = 0;

  const walk = (dir: string): void => {
    let real: string;
    try {
      real = realpathSync.native(dir);
    } catch (err) {
      sink.report('MESH0002', { path: displayPath(options.cwd, dir), reason: reason(err) }, fileStart(displayPath(options.cwd, dir)));
      return;
    }
    if (visitedDirs.has(real)) {
      sink.report('MESH0011', { path: displayPath(options.cwd, dir) }, fileStart(displayPath(options.cwd, dir)));
      return;
    }
    visitedDirs.add(real);
    if (isCompileOutput(dir)) {
      const manifest = displayPath(options.cwd, join(dir, MANIFEST));
      sink.report('MESH0013', { path: displayPath(options.cwd, dir), manifest }, fileStart(manifest));
      return;
    }
    let entries: string[];
    try {
      entries = readdirSync(dir).sort();
    } catch (err) {
      sink.report('MESH0002', { path: displayPath(options.cwd, dir), reason: reason(err) }, fileStart(displayPath(options.cwd, dir)));
      return;
    }
    for (const name of entries) {
      if (name.startsWith('.') || name === 'node_modules' || isToolFile(name)) continue;
      const full = join(dir, name);
      if (options.skip?.includes(resolve(options.cwd, full))) continue;
      let info;
      try {
        info = statSync(full);
      } catch (err) {
        // A dangling link or a link loop (ELOOP) is reported, never followed forever.
        sink.report('MESH0002', { path: displayPath(options.cwd, full), reason: reason(err) }, fileStart(displayPath(options.cwd, full)));
        continue;
      }
      if (info.isDirectory()) walk(full);
      else if (!extensions.includes(extname(name).toLowerCase()) || (options.accept && !options.accept(name))) continue;
      else if ((candidates++, info.isFile())) add(full, true);
      // A FIFO, socket or device named like a manifest: reading it could block or never end.
      else sink.report('MESH0002', { path: displayPath(options.cwd, full), reason: notReadable(info) }, fileStart(displayPath(options.cwd, full)));
    }
  };

  // Keyed by real path: a file reached twice (through a symbolic link, or named twice) is read once.
  // Named on the command line and also walked: named wins (its mistakes stay errors).
  const add = (abs: string, walked: boolean) => {
    let real = abs;
    try {
      real = realpathSync.native(abs);
    } catch {
      // unreadable: keyed by its path (reading it reports why)
    }
    const known = files.get(real);
    if (!known) files.set(real, { path: abs, display: displayPath(options.cwd, abs), walked });
    else if (!walked) known.walked = false;
  };

  for (const arg of paths) {
    if (arg === '-') {
      files.set('-', { path: '-', display: '<stdin>', walked: false });
      continue;
    }
    const abs = resolve(options.cwd, arg);
    let info;
    try {
      info = statSync(abs);
    } catch (err) {
      // lstat tells a dangling or looping symlink from a path that does not exist at all.
      let isLink = false;
      try {
        isLink = lstatSync(abs).isSymbolicLink();
      } catch {
        // not there at all
      }
      sink.report('MESH0002', { path: arg, reason: isLink ? `broken or looping symbolic link (${reason(err)})` : reason(err) }, fileStart(arg));
      continue;
    }
    if (info.isDirectory()) {
      const before = candidates;
      const reported = sink.items.length;
      walk(abs);
      // Nothing named like a manifest, and nothing else said about the walk (a loop, a compile output, an unreadable entry).
      if (candidates === before && sink.items.length === reported) {
        const shown = displayPath(options.cwd, abs);
        sink.report('MESH0015', { path: shown, patterns: (options.patterns ?? extensions.map((e) => `*${e}`)).join(', ') }, fileStart(shown));
      }
    } else if (info.isFile()) add(abs, false);
    else sink.report('MESH0002', { path: arg, reason: notReadable(info) }, fileStart(arg));
  }
  return [...files.values()].sort((a, b) => (a.display < b.display ? -1 : a.display > b.display ? 1 : 0));
}

/**
 * Does `dir` hold what `meshc compile --out` writes: a manifest.json whose
 * top-level object has a "meshc" key, and a nodes/ directory?
 */
function isCompileOutput(dir: string): boolean {
  const manifest = probeManifest(join(dir, MANIFEST));
  if (!manifest) return false;
  // An output of no nodes (a mesh without workloads) has no nodes/ directory: its manifest alone says what it is.
  if (manifest.noNodes) return true;
  try {
    return statSync(join(dir, NODES_DIR)).isDirectory();
  } catch {
    return false;
  }
}

/** MESH0002's reason for a path that is neither a regular file nor a directory. */
function notReadable(info: Stats): string {
  return `not a regular file or directory: ${specialKind(info)}`;
}

export function reason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'ENOENT': return 'no such file or directory';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'ELOOP': return 'too many levels of symbolic links';
    case 'EISDIR': return 'is a directory';
    case 'ENOTDIR': return 'a component of the path is not a directory';
    default: return e?.message ?? String(err);
  }
}
