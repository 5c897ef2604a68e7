/**
 * Flip one policy, compile before and after, and check that exactly the
 * expected resources change (manifest per-resource hashes), and that every
 * other node keeps its version.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './helpers/cli.ts';
import { compileTo, diagnosticLines, manifestDiff, readManifest, tempDir } from './helpers/compile.ts';
import type { Manifest } from '../src/snapshot/layout.ts';

/** Compiles the bookstore fixture as is and after `edit` (file → new text); returns both manifests. */
async function flip(edit: (read: (file: string) => string) => Record<string, string>): Promise<{ before: Manifest; after: Manifest; warnings: string[] }> {
  const tmp = tempDir();
  try {
    const src = join(tmp.dir, 'mesh');
    cpSync(join(ROOT, 'fixtures/bookstore'), src, { recursive: true });
    const before = await compileTo([src], join(tmp.dir, 'before'));
    assert.equal(before.status, 'written', diagnosticLines(before).join('\n'));
    const changes = edit((f) => readFileSync(join(src, f), 'utf8'));
    for (const [f, text] of Object.entries(changes)) writeFileSync(join(src, f), text);
    const after = await compileTo([src], join(tmp.dir, 'after'));
    assert.equal(after.status, 'written', diagnosticLines(after).join('\n'));
    return { before: readManifest(join(tmp.dir, 'before')), after: readManifest(join(tmp.dir, 'after')), warnings: diagnosticLines(after).filter((l) => l.includes(' MESH08')) };
  } finally {
    tmp.cleanup();
  }
}

function changedNodes(a: Manifest, b: Manifest): string[] {
  const va = new Map(a.nodes.map((n) => [n.id, n.version]));
  return b.nodes.filter((n) => va.get(n.id) !== n.version).map((n) => n.id).sort();
}

const ACCESS = 'policy/access.yaml';
const SPLIT = 'policy/split.yaml';

test('removing the TrafficTarget that admits bookbuyer to bookstore-v2 changes bookstore-v2 RBAC and drops bookbuyer\'s direct route to it; the split keeps its weights, that share is denied there', async () => {
  const { before, after, warnings } = await flip((read) => {
    const docs = read(ACCESS).split('\n---\n');
    return { [ACCESS]: docs.filter((d) => !/name: bookstore-v2\n  namespace: bookstore\nspec:/.test(d)).join('\n---\n') };
  });
  // The split keeps its declared weights and the bookstore-v2 cluster (why and meshc test report the denied share,
  // check MESH0606); nothing is re-weighted. Only the virtual host for calling bookstore-v2 directly goes away.
  assert.equal(manifestDiff(before, after), {
    added: [],
    removed: [],
    changed: [
      'bookbuyer/deployment/bookbuyer RouteConfiguration rds-outbound.14001',
      'bookstore/deployment/bookstore-v2 Listener inbound-listener',
      'bookstore/deployment/bookstore-v2 RouteConfiguration rds-inbound.14001',
    ],
  });
  assert.equal(changedNodes(before, after), ['bookbuyer/deployment/bookbuyer', 'bookstore/deployment/bookstore-v2']);
  assert.not.ok(warnings.some((w) => w.includes('MESH0856')), warnings.join('\n'));
});

test('changing the split weights changes one route configuration of one node', async () => {
  const { before, after } = await flip((read) => ({ [SPLIT]: read(SPLIT).replace('weight: 90', 'weight: 80').replace('weight: 10', 'weight: 20') }));
  assert.equal(manifestDiff(before, after), { added: [], removed: [], changed: ['bookbuyer/deployment/bookbuyer RouteConfiguration rds-outbound.14001'] });
  assert.equal(changedNodes(before, after), ['bookbuyer/deployment/bookbuyer']);
});

test('scaling every weight by the same factor changes nothing (weights are reduced by their GCD)', async () => {
  const { before, after } = await flip((read) => ({ [SPLIT]: read(SPLIT).replace('weight: 90', 'weight: 900').replace('weight: 10', 'weight: 100') }));
  assert.equal(manifestDiff(before, after), { added: [], removed: [], changed: [] });
  assert.equal(after, before);
});

test('admitting bookthief to bookstore gives bookthief its outbound config (the whole split: bookstore-v2 denies it there) and changes only bookstore-v1 RBAC', async () => {
  const { before, after } = await flip((read) => ({
    [ACCESS]: read(ACCESS).replace(
      '  sources:\n    - kind: ServiceAccount\n      name: bookbuyer\n      namespace: bookbuyer\n---\nkind: TrafficTarget\napiVersion: access.smi-spec.io/v1alpha3\nmetadata:\n  name: bookstore-v2',
      '  sources:\n    - kind: ServiceAccount\n      name: bookbuyer\n      namespace: bookbuyer\n    - kind: ServiceAccount\n      name: bookthief\n      namespace: bookthief\n---\nkind: TrafficTarget\napiVersion: access.smi-spec.io/v1alpha3\nmetadata:\n  name: bookstore-v2',
    ),
  }));
  const d = manifestDiff(before, after);
  assert.equal(d.removed, []);
  assert.equal(d.changed, ['bookstore/deployment/bookstore-v1 Listener inbound-listener']);
  assert.equal(d.added, [
    'bookthief/deployment/bookthief Cluster bookstore/bookstore-v1|14001',
    'bookthief/deployment/bookthief Cluster bookstore/bookstore-v2|14001',
    'bookthief/deployment/bookthief Listener outbound-listener',
    'bookthief/deployment/bookthief RouteConfiguration rds-outbound.14001',
  ]);
  assert.equal(changedNodes(before, after), ['bookstore/deployment/bookstore-v1', 'bookthief/deployment/bookthief']);
});

test.run();
