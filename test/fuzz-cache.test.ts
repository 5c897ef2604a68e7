// Differential fuzzing of the caches (issue 15: "outputs byte-identical to the uncached, single-threaded path;
// a corrupted or stale cache entry is detected and ignored, never trusted"). Random sequences of edits
// change a project big enough to use the parse and findings caches: text mutations, port changes, broken
// references, comments, files reverted to an earlier state, removed, copied, documents moved between files,
// and other settings; some sequences also have a TypeScript DSL file. After every edit, a run with the disk
// caches (what `meshc check` does, with and without parse workers) and a run of a `check --watch` session
// (the disk caches, shared parses and the document memo, its model objects frozen) must show exactly what a
// fresh run without any cache shows: findings, model, resource count, files and settings. One cache
// directory serves every sequence, so a sequence also meets the entries of states other sequences left
// under the same paths. CI runs a fixed seed and a few sequences; `npm run fuzz` runs more.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { generateMesh } from '../bench/generate.ts';
import { check, type CheckOptions, type CheckResult } from '../src/pipeline/check.ts';
import { exactJson } from '../src/core/cache-file.ts';
import { DocumentMemo, sweepSharedParses, type SharedParses } from '../src/index.ts';
import { ROOT } from './helpers/cli.ts';
import { tempDir } from './helpers/temp.ts';
import { apply, op, type Op } from './helpers/mutate.ts';

const SEQUENCES = Number(process.env.MESHC_FUZZ_CACHE_RUNS ?? 6);
const SEED = Number(process.env.MESHC_FUZZ_SEED ?? 20261207);

/** The project every sequence starts from: a generated mesh, fixtures with builder findings of many kinds, GAMMA routes. */
function template(): string {
  const dir = tempDir('meshc-fuzz-cache-template-');
  generateMesh(join(dir, 'mesh', 'generated'), { services: 60, servicesPerFile: 10 });
  mkdirSync(join(dir, 'mesh', 'bad'));
  const fixtures = ['MESH0012-duplicate-resource.yaml', 'MESH0114-invalid-quantity.yaml', 'MESH1204-gamma-route-and-split-same-service.yaml',
    'MESH0106-draft-api.yaml', 'MESH0010-unknown-kind-skipped.yaml', 'MESH1113-permissive-ignores-traffic-targets.yaml', 'MESH0212-subject-not-found.yaml'];
  for (const [i, f] of fixtures.entries()) {
    const text = readFileSync(join(ROOT, 'fixtures', 'bad', f), 'utf8');
    writeFileSync(join(dir, 'mesh', 'bad', f), text.replace(/\bshop\b/g, `shop${i}`)); // each in a namespace of its own
  }
  cpSync(join(ROOT, 'fixtures', 'gamma-rules'), join(dir, 'mesh', 'gamma'), { recursive: true });
  // A TypeScript DSL file, removed for some sequences: its objects come through no parse cache entry, so with it the
  // findings cache keys the model itself (without it, the files' content digests: check-cached.ts).
  mkdirSync(join(dir, 'mesh', 'dsl'));
  writeFileSync(join(dir, 'mesh', 'dsl', 'mesh.ts'), readFileSync(join(ROOT, 'fixtures', 'bookstore-ts', 'mesh.ts'), 'utf8').replace(/\bbookstore\b/g, 'bookstore-dsl'));
  return dir;
}

type Edit =
  | { kind: 'text'; file: number; op: Op }
  | { kind: 'port'; file: number; port: number }
  | { kind: 'rename'; file: number; nth: number }
  | { kind: 'comment'; file: number }
  | { kind: 'revert'; file: number; back: number }
  | { kind: 'remove'; file: number }
  | { kind: 'copy'; file: number }
  | { kind: 'moveDoc'; from: number; to: number };

const file = fc.nat({ max: 1 << 16 });
const edit: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('text' as const), file, op }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('port' as const), file, port: fc.oneof(fc.integer({ min: 1, max: 65535 }), fc.constantFrom(0, 9090, 70000)) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('rename' as const), file, nth: fc.nat({ max: 40 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('comment' as const), file }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('revert' as const), file, back: fc.nat({ max: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('remove' as const), file }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('copy' as const), file }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('moveDoc' as const), from: file, to: file }) },
);

/** Settings of a step: most steps keep the defaults, so that the caches' entries of earlier steps apply. */
const settings: fc.Arbitrary<Partial<CheckOptions>> = fc.oneof(
  { weight: 6, arbitrary: fc.constant({}) },
  { weight: 1, arbitrary: fc.constant({ permissive: true }) },
  { weight: 1, arbitrary: fc.constant<Partial<CheckOptions>>({ disableRules: ['service-unreachable'] }) },
  { weight: 1, arbitrary: fc.constant({ draft: true }) },
);

const step = fc.record({ edit, settings, workers: fc.constantFrom(0, 1) });

function manifestFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) manifestFiles(p, out);
    else out.push(p);
  }
  return out;
}

/** A project being edited: its files and every text each file has had. */
class Project {
  readonly history = new Map<string, string[]>();
  private copies = 0;
  constructor(readonly dir: string) {
    for (const f of manifestFiles(join(dir, 'mesh'))) this.history.set(f, [readFileSync(f, 'utf8')]);
  }

  private files(): string[] {
    return manifestFiles(join(this.dir, 'mesh'));
  }

  private write(path: string, text: string): void {
    writeFileSync(path, text);
    const seen = this.history.get(path) ?? [];
    this.history.set(path, [...seen, text]);
  }

  /** Applies `e`; a description of what it did, for a failure's message. */
  apply(e: Edit): string {
    const files = this.files();
    const known = [...this.history.keys()];
    if (files.length === 0 && e.kind !== 'revert') return 'nothing to edit';
    const pick = (n: number) => files[n % files.length]!;
    const text = (p: string) => readFileSync(p, 'utf8');
    const name = (p: string) => relative(this.dir, p);
    switch (e.kind) {
      case 'text': this.write(pick(e.file), apply(text(pick(e.file)), e.op)); return `${e.op.op} in ${name(pick(e.file))}`;
      case 'port': this.write(pick(e.file), text(pick(e.file)).replace(/port: \d+/, `port: ${e.port}`)); return `port ${e.port} in ${name(pick(e.file))}`;
      case 'rename': {
        let n = 0;
        this.write(pick(e.file), text(pick(e.file)).replace(/(name: )(\S+)/g, (all, key: string, value: string) => (n++ === e.nth ? `${key}${value}-renamed` : all)));
        return `name ${e.nth} renamed in ${name(pick(e.file))}`;
      }
      case 'comment': this.write(pick(e.file), `# a comment\n#\n${text(pick(e.file))}`); return `comment on ${name(pick(e.file))}`;
      case 'revert': {
        const path = known[e.file % known.length]!;
        const versions = this.history.get(path)!;
        const back = versions[Math.max(0, versions.length - 1 - e.back)]!;
        this.write(path, back);
        return `${name(path)} reverted ${e.back} version(s)`;
      }
      case 'remove': rmSync(pick(e.file)); return `${name(pick(e.file))} removed`;
      case 'copy': {
        mkdirSync(join(this.dir, 'mesh', 'copies'), { recursive: true });
        const to = join(this.dir, 'mesh', 'copies', `copy-${this.copies++}.yaml`);
        this.write(to, text(pick(e.file)));
        return `${name(pick(e.file))} copied to ${name(to)}`;
      }
      case 'moveDoc': {
        const [from, to] = [pick(e.from), pick(e.to)];
        if (from === to) return 'no move';
        const docs = text(from).split(/^---\n/m);
        const moved = docs.pop()!;
        this.write(from, docs.join('---\n'));
        this.write(to, `${text(to).replace(/\n?$/, '\n')}---\n${moved}`);
        return `last document of ${name(from)} moved to ${name(to)}`;
      }
    }
  }
}

/** What a check shows, the model included (a cached run builds its model when read). */
const shown = (r: CheckResult) => exactJson({ diagnostics: r.diagnostics, mesh: r.mesh, resources: r.resources, files: r.files, config: r.config });

test(`${SEQUENCES} random edit sequences (seed ${SEED}): after every edit, the cached run and the --watch session show what a fresh uncached run shows`, async () => {
  const base = template();
  const cache = tempDir('meshc-fuzz-cache-');
  // The session's disk caches are its own: it then models what changed itself (with the cached run's entries it would only replay them).
  const watchCache = tempDir('meshc-fuzz-cache-watch-');
  const saved = process.env.MESHC_CACHE_DIR;
  process.env.MESHC_CACHE_DIR = cache;
  let steps = 0;
  let reused = 0;
  try {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), fc.boolean(), async (sequence, dsl) => {
        const dir = tempDir('meshc-fuzz-cache-project-');
        cpSync(base, dir, { recursive: true });
        if (!dsl) rmSync(join(dir, 'mesh', 'dsl'), { recursive: true });
        const project = new Project(dir);
        const parses: SharedParses = new Map();
        const memo = new DocumentMemo(true);
        const done: string[] = [];
        for (const s of [{ edit: null, settings: {}, workers: 0 }, ...sequence]) {
          if (s.edit) done.push(project.apply(s.edit));
          const what = `after ${done.join('; ') || 'no edit'} (settings ${JSON.stringify(s.settings)}, ${s.workers} worker(s))`;
          const fresh = shown(await check(['mesh'], { cwd: dir, workers: 0, ...s.settings }));
          const cached = shown(await check(['mesh'], { cwd: dir, cache: true, workers: s.workers, workersOnly: s.workers > 0, ...s.settings }));
          assert.is(cached, fresh, `cached run ${what}`);
          const before = memo.hits;
          process.env.MESHC_CACHE_DIR = watchCache;
          const watched = shown(await check(['mesh'], { cwd: dir, cache: true, parseCache: parses, documentMemo: memo, ...s.settings }));
          process.env.MESHC_CACHE_DIR = cache;
          sweepSharedParses(parses);
          reused += memo.hits - before;
          assert.is(watched, fresh, `--watch session ${what}`);
          steps++;
        }
        rmSync(dir, { recursive: true, force: true });
      }),
      { seed: SEED, numRuns: SEQUENCES, endOnFailure: process.env.MESHC_FUZZ_SHRINK !== '1' },
    );
  } finally {
    if (saved === undefined) delete process.env.MESHC_CACHE_DIR;
    else process.env.MESHC_CACHE_DIR = saved;
  }
  // Not a vacuous comparison: the caches were written and used.
  for (const kind of ['parse', 'findings']) {
    for (const root of [cache, watchCache]) assert.ok(existsSync(join(root, kind)) && readdirSync(join(root, kind)).length > 0, `the ${kind} cache holds entries`);
  }
  assert.ok(reused > 0, 'the watch session reused modelled documents');
  console.log(`  fuzz: ${steps} checked states in ${SEQUENCES} edit sequences (seed ${SEED}); the watch session reused ${reused} modelled documents`);
});

test.run();
