/**
 * A watch session (`meshc check --watch`) keeps the files it parsed in
 * memory (src/load/shared-parses.ts) and parses only those whose text
 * changed. Through a series of edits — comments only, a changed object, a
 * broken file, its repair, a removed file, a new one — every run must give
 * exactly what a fresh run without any cache gives, and the memory must hold
 * only what the last run read.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { generateMesh } from '../bench/generate.ts';
import { sweepSharedParses, type SharedParses } from '../src/load/index.ts';
import { check } from '../src/pipeline/check.ts';
import { tempDir } from './helpers/temp.ts';

const strip = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;

test('a watch session gives, after every edit, what a fresh uncached run gives, and keeps only the files it last read', async () => {
  const dir = tempDir('meshc-watch-session-');
  // Big enough (over 64 KiB) for the disk parse cache and the findings cache to take part.
  const mesh = generateMesh(dir, { services: 120, servicesPerFile: 6 });
  const saved = process.env.MESHC_CACHE_DIR;
  process.env.MESHC_CACHE_DIR = tempDir('meshc-watch-session-cache-');
  const files = mesh.files;
  const withPort = files.find((f) => readFileSync(f, 'utf8').includes('port: 9090'))!;
  const original = readFileSync(withPort, 'utf8');
  const edits: [string, () => void][] = [
    ['the first run', () => {}],
    ['nothing changed', () => {}],
    ['a comment added at the top of a file', () => writeFileSync(files[1]!, `# moved\n# every line\n${readFileSync(files[1]!, 'utf8')}`)],
    ['a Service port changed', () => writeFileSync(withPort, original.replace('port: 9090', 'port: 9091'))],
    ['a file broken', () => writeFileSync(files[2]!, `${readFileSync(files[2]!, 'utf8')}\nkind: [unclosed\n`)],
    ['the port changed back', () => writeFileSync(withPort, original)],
    ['a file removed', () => rmSync(files[3]!)],
    ['a new file with a finding', () => writeFileSync(join(dir, 'new.yaml'), 'apiVersion: v1\nkind: Service\nmetadata: {name: extra, namespace: ns-0}\nspec:\n  ports: [{port: 70000}]\n')],
  ];
  const shared: SharedParses = new Map();
  try {
    for (const [what, edit] of edits) {
      edit();
      const session = await check(['.'], { cwd: dir, cache: true, parseCache: shared });
      sweepSharedParses(shared);
      const fresh = await check(['.'], { cwd: dir });
      assert.equal(session.diagnostics, fresh.diagnostics, `${what}: findings`);
      assert.equal(strip(session.mesh), strip(fresh.mesh), `${what}: model`);
      assert.equal(session.files, fresh.files, `${what}: files`);
      assert.equal([...shared.keys()].sort(), [...fresh.files].sort(), `${what}: the memory holds the files read, no others`);
      for (const [file, byText] of shared) {
        assert.equal([...byText.keys()], [readFileSync(join(dir, file), 'utf8')], `${what}: ${relative(dir, join(dir, file))} held once, as it is now`);
      }
    }
    const last = await check(['.'], { cwd: dir });
    assert.ok(last.diagnostics.some((d) => d.range?.file === 'new.yaml'), 'the new file has a finding');
    assert.ok(last.diagnostics.some((d) => d.range?.file === relative(dir, files[2]!)), 'the broken file has a finding');
  } finally {
    if (saved === undefined) delete process.env.MESHC_CACHE_DIR;
    else process.env.MESHC_CACHE_DIR = saved;
  }
});

test.run();
