import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { ROOT } from './helpers/cli.ts';
// @ts-expect-error plain JavaScript module without declarations
import { headings, links, slug } from '../scripts/markdown.mjs';

type Heading = { level: number; text: string; anchor: string };
type Link = { target: string; line: number };

test('README.md is assembled from docs/ (run node scripts/readme.mjs)', () => {
  const r = spawnSync(process.execPath, ['scripts/readme.mjs', '--check'], { cwd: ROOT, encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
});

test('README starts with the two set-up commands, and both are package scripts', () => {
  const readme = readFileSync(`${ROOT}/README.md`, 'utf8');
  const blocks = [...readme.matchAll(/```sh\n([^`]*)```/g)].slice(0, 2).map((m) => m[1]!.trim());
  assert.equal(blocks, ['npm install && npm start', 'npm test']);
  const pkg = JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8'));
  assert.ok(pkg.scripts.start.includes('fixtures/bookstore'));
  assert.ok(pkg.scripts.test);
  assert.ok(pkg.scripts.prepare, 'npm install must build meshc');
});

test('README keeps to what a newcomer needs first and links every guide of docs/ from its contents', () => {
  const readme = readFileSync(`${ROOT}/README.md`, 'utf8');
  assert.ok(readme.length < 30_000, `README.md is ${readme.length} bytes`);
  const sections = (headings(readme) as Heading[]).filter((h) => h.level === 2).map((h) => h.text);
  for (const s of ['Install', 'A short tour', 'Commands', 'Guides', 'Development']) assert.ok(sections.includes(s), `no "## ${s}" section`);
  const linked = new Set((links(readme) as Link[]).map((l) => l.target.split('#')[0]));
  for (const f of readdirSync(`${ROOT}/docs`).filter((f) => /^guide-.*\.md$/.test(f) || f === 'ci.md' || f === 'smi-choices.md')) {
    assert.ok(linked.has(`docs/${f}`), `README does not link docs/${f}`);
  }
  // Install: the registry package named meshc is another project; say how to install this one.
  assert.match(readme, /npm pack/);
  assert.match(readme, /npm install --save-dev "git\+/);
  // No command in the README or a guide reaches the registry package: npx always with --no-install.
  for (const file of ['README.md', ...readdirSync(`${ROOT}/docs`).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)]) {
    const text = readFileSync(`${ROOT}/${file}`, 'utf8');
    const code = [...text.matchAll(/```[a-z]*\n([\s\S]*?)```/g)].map((m) => m[1]!).join('\n');
    assert.not.match(code, /npm (install|i|add)( -D| --save-dev)? meshc\b/, file);
    assert.not.match(code, /npx meshc\b/, `${file}: npx without --no-install fetches the unrelated registry package when meshc is not installed`);
  }
});

test('anchors are those GitHub makes', () => {
  assert.is(slug('Output formats (`--format`)'), 'output-formats---format');
  assert.is(slug('Configuration (`.meshc.yaml`)'), 'configuration-meshcyaml');
  assert.is(slug('Reachability: `meshc why`, `meshc graph`, `meshc test`'), 'reachability-meshc-why-meshc-graph-meshc-test');
  assert.is(slug('Inbound policy (TrafficTarget → RBAC)'), 'inbound-policy-traffictarget--rbac');
  assert.equal((headings('# A\n```\n# not a heading\n```\n## A\n') as Heading[]).map((h) => h.anchor), ['a', 'a-1']);
});

/** The repository's own markdown (not the third-party copies under test/corpus, not node_modules). */
function markdownFiles(dir = ROOT): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (name.startsWith('.') || name === 'node_modules' || name === 'dist' || name === 'out' || full === join(ROOT, 'test', 'corpus')) continue;
    const info = lstatSync(full); // symbolic links are not followed (fixtures/bad has loops)
    if (info.isDirectory()) out.push(...markdownFiles(full));
    else if (name.endsWith('.md')) out.push(full);
  }
  return out;
}

test('every relative link and #anchor in the repository\'s markdown resolves', () => {
  const files = markdownFiles();
  assert.ok(files.includes(join(ROOT, 'README.md')) && files.length > 10);
  const anchorsOf = new Map<string, Set<string>>();
  const anchors = (file: string) => {
    if (!anchorsOf.has(file)) anchorsOf.set(file, new Set((headings(readFileSync(file, 'utf8')) as Heading[]).map((h) => h.anchor)));
    return anchorsOf.get(file)!;
  };
  const broken: string[] = [];
  let checked = 0;
  for (const file of files) {
    for (const { target, line } of links(readFileSync(file, 'utf8')) as Link[]) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
      checked++;
      const [path, anchor] = target.split('#') as [string, string | undefined];
      const dest = path === '' ? file : resolve(dirname(file), decodeURIComponent(path));
      const where = `${relative(ROOT, file)}:${line}: ${target}`;
      if (!dest.startsWith(ROOT) || !existsSync(dest)) broken.push(`${where} (no such file)`);
      else if (anchor !== undefined && dest.endsWith('.md') && !anchors(dest).has(anchor)) broken.push(`${where} (no such heading)`);
    }
  }
  assert.equal(broken, []);
  assert.ok(checked > 50, `only ${checked} links checked`);
});

/**
 * The short tour, as written in the README, run from a copy of the example mesh: each command
 * exits as documented and prints the lines shown (a line cut with "…" is compared up to it).
 * `serve` runs until stopped: only its arguments are checked (it must refuse a missing directory).
 */
test('the short tour runs as written from the checkout and prints what the README shows', () => {
  const readme = readFileSync(`${ROOT}/README.md`, 'utf8');
  const tour = /## A short tour\n[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)![1]!;
  const steps: { command: string; shown: string[] }[] = [];
  for (const line of tour.split('\n')) {
    if (line.startsWith('$ ')) steps.push({ command: line.slice(2).replace(/\s+#.*$/, ''), shown: [] });
    else if (line.trim() && steps.length > 0) steps.at(-1)!.shown.push(line);
  }
  assert.ok(steps.length >= 6, tour);
  const dir = mkdtempSync(join(tmpdir(), 'meshc-tour-'));
  try {
    cpSync(join(ROOT, 'fixtures/bookstore'), join(dir, 'fixtures/bookstore'), { recursive: true });
    for (const { command, shown } of steps) {
      assert.match(command, /^node bin\/meshc\.js /, `the tour runs meshc as node bin/meshc.js: ${command}`);
      if (command.includes(' serve ')) {
        const r = spawnSync('bash', ['-c', command.replace('out/bookstore', 'no-such-dir').replace('node bin/meshc.js', `node ${ROOT}/bin/meshc.js`)], { cwd: dir, encoding: 'utf8', timeout: 300_000 });
        assert.is(r.status, 2, r.stderr);
        continue;
      }
      const r = spawnSync('bash', ['-c', command.replace('node bin/meshc.js', `node ${JSON.stringify(`${ROOT}/bin/meshc.js`)}`)], {
        cwd: dir, encoding: 'utf8', timeout: 300_000, env: { ...process.env, NO_COLOR: '1', GITHUB_ACTIONS: '' },
      });
      assert.is(r.status, 0, `${command}: ${r.stderr}`);
      const printed = `${r.stdout}\n${r.stderr}`.split('\n');
      for (const want of shown) {
        const cut = want.indexOf('…');
        const ok = cut === -1 ? printed.includes(want) : cut === 0 || printed.some((p) => p.startsWith(want.slice(0, cut)));
        assert.ok(ok, `${command}: the README shows\n${want}\nbut meshc printed\n${printed.join('\n')}`);
      }
    }
    assert.ok(existsSync(join(dir, 'mesh.html')) && existsSync(join(dir, 'out/bookstore/manifest.json')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
