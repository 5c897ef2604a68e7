/**
 * `meshc diff --base-ref REF`: the base tree is the same PATHs as they are
 * in commit REF of the git repository around the working directory. The
 * files are read with `git ls-tree` + `git cat-file --batch` (no work tree
 * is touched, nothing is checked out) into a temporary directory that
 * mirrors the repository layout, so the base is read with the same relative
 * paths (and reported with the same file names) as the head. The caller
 * removes it with `cleanup()`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

export interface BaseTree {
  /** The working directory to read the base from (mirrors cwd inside the temporary tree). */
  cwd: string;
  /** The PATHs that exist at REF, as they should be given to the loader (relative to `cwd`). */
  paths: string[];
  cleanup(): void;
}

export type BaseTreeResult = { ok: true; tree: BaseTree } | { ok: false; reason: string };

const MAX_BUFFER = 1024 * 1024 * 1024;

function git(args: string[], cwd: string, input?: Buffer | string): { ok: boolean; stdout: Buffer; stderr: string } {
  const r = spawnSync('git', args, { cwd, input, maxBuffer: MAX_BUFFER });
  if (r.error) return { ok: false, stdout: Buffer.alloc(0), stderr: (r.error as NodeJS.ErrnoException).code === 'ENOENT' ? 'git is not installed (not on PATH)' : r.error.message };
  return { ok: r.status === 0, stdout: r.stdout, stderr: r.stderr.toString('utf8').trim().split('\n')[0] ?? '' };
}

interface TreeEntry { mode: string; oid: string; path: string }

function parseLsTree(out: Buffer): TreeEntry[] {
  const entries: TreeEntry[] = [];
  for (const record of out.toString('utf8').split('\0')) {
    if (!record) continue;
    const tab = record.indexOf('\t');
    const [mode, type, oid] = record.slice(0, tab).split(' ');
    // Submodules (commit entries) hold no manifests of this repository.
    if (type === 'blob' && mode && oid) entries.push({ mode, oid, path: record.slice(tab + 1) });
  }
  return entries;
}

/** Reads every blob in one `git cat-file --batch` run (output: `<oid> blob <size>\n<bytes>\n` per object). */
function readBlobs(oids: string[], root: string): Buffer[] | string {
  if (oids.length === 0) return [];
  const r = git(['cat-file', '--batch'], root, `${oids.join('\n')}\n`);
  if (!r.ok) return `git cat-file failed: ${r.stderr}`;
  const blobs: Buffer[] = [];
  let at = 0;
  for (const oid of oids) {
    const nl = r.stdout.indexOf(10, at);
    const header = r.stdout.subarray(at, nl).toString('utf8').split(' ');
    if (header[0] !== oid || header[1] !== 'blob') return `git cat-file: unexpected answer for ${oid}`;
    const size = Number(header[2]);
    blobs.push(r.stdout.subarray(nl + 1, nl + 1 + size));
    at = nl + 1 + size + 1;
  }
  return blobs;
}

/** Materialises PATHs (relative to cwd, or absolute inside the repository) as of git REF. */
export function readBaseTree(ref: string, paths: string[], cwd: string): BaseTreeResult {
  const top = git(['rev-parse', '--show-toplevel'], cwd);
  if (!top.ok) return { ok: false, reason: `the working directory is not inside a git repository (${top.stderr || 'git rev-parse failed'})` };
  const root = top.stdout.toString('utf8').trim();
  if (ref.startsWith('-')) return { ok: false, reason: `'${ref}' is not a revision` };
  const commit = git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], root);
  if (!commit.ok) return { ok: false, reason: `'${ref}' names no commit in ${root} (fetch it first, e.g. actions/checkout with fetch-depth: 0)` };
  const sha = commit.stdout.toString('utf8').trim();
  const rels: string[] = [];
  for (const p of paths) {
    const rel = relative(root, resolve(cwd, p));
    if (rel.startsWith('..') || isAbsolute(rel)) return { ok: false, reason: `${p} is outside the git repository ${root}` };
    rels.push(rel === '' ? '.' : rel.split(sep).join('/'));
  }
  const listed = git(['ls-tree', '-r', '-z', '--full-tree', sha, '--', ...rels], root);
  if (!listed.ok) return { ok: false, reason: `git ls-tree failed: ${listed.stderr}` };
  const entries = parseLsTree(listed.stdout);
  const blobs = readBlobs(entries.map((e) => e.oid), root);
  if (typeof blobs === 'string') return { ok: false, reason: blobs };
  const dir = mkdtempSync(join(tmpdir(), 'meshc-diff-base-'));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  try {
    entries.forEach((e, i) => {
      const target = join(dir, ...e.path.split('/'));
      mkdirSync(dirname(target), { recursive: true });
      if (e.mode === '120000') symlinkSync(blobs[i]!.toString('utf8'), target);
      else writeFileSync(target, blobs[i]!);
    });
    const baseCwd = join(dir, relative(root, cwd));
    mkdirSync(baseCwd, { recursive: true });
    // A PATH the base does not have yet (the change adds it) contributes nothing to the base.
    const present = paths.filter((p) => existsSync(join(dir, relative(root, resolve(cwd, p)))));
    return { ok: true, tree: { cwd: baseCwd, paths: present.map((p) => (isAbsolute(p) ? join(dir, relative(root, p)) : p)), cleanup } };
  } catch (err) {
    cleanup();
    return { ok: false, reason: `cannot write the base tree: ${(err as Error).message}` };
  }
}
