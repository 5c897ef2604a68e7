import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { status as Status } from '@grpc/grpc-js';
import { anyBytes, connect, GRPC_NODE, sotwStream, startTestServer, type TestServer } from './helpers/serve-client.ts';
import { CLUSTER, decodeAny, ENDPOINT, grpcSplitResources, writeCompiledOutput, type FixtureNode } from './helpers/serve-fixtures.ts';
import type { ReloadOutcome } from '../src/server/watch.ts';

const NODE = 'shop/deployment/web';
const WATCH = { watch: { debounceMs: 50, pollMs: 100 } };

function mesh(port: number, extraNode = false): FixtureNode[] {
  const nodes: FixtureNode[] = [{ id: NODE, resources: grpcSplitResources('svc', [{ cluster: 'a', port, weight: 1 }]) }];
  if (extraNode) nodes.push({ id: 'shop/deployment/extra', resources: grpcSplitResources('x', [{ cluster: 'x', port: 1, weight: 1 }]) });
  return nodes;
}

/** Resolves with the first reload outcome (from the watcher, not called by the test) that matches. */
function nextReload(t: TestServer, match: (o: ReloadOutcome) => boolean): Promise<ReloadOutcome> {
  return new Promise((resolve) => {
    t.server.onReload = (o) => {
      if (match(o)) {
        t.server.onReload = null;
        resolve(o);
      }
    };
  });
}

function port(buf: ReturnType<typeof anyBytes>): number {
  return decodeAny(buf).message.endpoints[0].lb_endpoints[0].endpoint.address.socket_address.port_value;
}

async function edsStream(t: TestServer) {
  const client = connect(t.server.address);
  const s = sotwStream(client);
  s.send({ node: GRPC_NODE(NODE), type_url: ENDPOINT, resource_names: ['a'] });
  const first = await s.next();
  s.send({ type_url: ENDPOINT, resource_names: ['a'], version_info: first.version_info, response_nonce: first.nonce });
  return { client, s, first };
}

test('the watcher picks up an atomic rename of a new output and pushes it to connected proxies', async () => {
  const t = await startTestServer(mesh(5001), WATCH);
  const { client, s, first } = await edsStream(t);
  try {
    assert.is(port(anyBytes(first.resources[0]!)), 5001);
    const reloaded = nextReload(t, (o) => o.changed);
    writeCompiledOutput(t.dir, mesh(5002));
    await reloaded;
    const pushed = await s.next();
    assert.is(port(anyBytes(pushed.resources[0]!)), 5002);
    assert.is(t.events('reload').length, 1);
    assert.is(t.events('reload')[0]!.fields.changed, 1);
  } finally {
    client.close();
    await t.close();
  }
});

test('a corrupt or half-written output is rejected with a log line; the last good snapshot keeps being served', async () => {
  const t = await startTestServer(mesh(5001), WATCH);
  const { client, s } = await edsStream(t);
  try {
    // Half-written: a new manifest whose .pb files are not there yet (written in place, not atomically).
    const failed = nextReload(t, (o) => !o.ok);
    const staging = `${t.dir}-staging`;
    writeCompiledOutput(staging, mesh(5003), { atomic: false });
    const manifest = JSON.parse(readFileSync(join(staging, 'manifest.json'), 'utf8'));
    const edsBin = manifest.nodes[0].files.endpointsBinary;
    writeFileSync(join(t.dir, 'manifest.json'), readFileSync(join(staging, 'manifest.json')));
    const outcome = await failed;
    assert.match(outcome.error!, /hashes to .* manifest says/);
    const warn = t.events('reload-failed');
    assert.is(warn.length, 1);
    assert.match(String(warn[0]!.fields.error), 'endpoints.pb');

    // A new stream is still served the last good snapshot.
    const c2 = connect(t.server.address);
    const s2 = sotwStream(c2);
    s2.send({ node: GRPC_NODE(NODE), type_url: ENDPOINT, resource_names: ['a'] });
    assert.is(port(anyBytes((await s2.next()).resources[0]!)), 5001);
    c2.close();

    // Truncated JSON is rejected too (a second, different error is logged once).
    const failedAgain = nextReload(t, (o) => !o.ok && /not valid JSON/.test(o.error!));
    writeFileSync(join(t.dir, 'manifest.json'), '{"nodes": [');
    await failedAgain;

    // A named pipe in its place is refused, not opened blocking (that wedged every later reload and the shutdown).
    const piped = nextReload(t, (o) => !o.ok && /named pipe/.test(o.error!));
    rmSync(join(t.dir, 'manifest.json'));
    spawnSync('mkfifo', [join(t.dir, 'manifest.json')]);
    assert.match((await piped).error!, 'manifest.json: not a regular file: a named pipe (FIFO)');
    rmSync(join(t.dir, 'manifest.json'));

    // The rest of the files land: now it loads and the connected proxy gets the update.
    const loaded = nextReload(t, (o) => o.ok && o.changed);
    writeFileSync(join(t.dir, edsBin), readFileSync(join(staging, edsBin)));
    for (const kind of ['listeners', 'routes', 'clusters', 'endpoints']) {
      writeFileSync(join(t.dir, manifest.nodes[0].files[kind]), readFileSync(join(staging, manifest.nodes[0].files[kind])));
      writeFileSync(join(t.dir, manifest.nodes[0].files[`${kind}Binary`]), readFileSync(join(staging, manifest.nodes[0].files[`${kind}Binary`])));
    }
    writeFileSync(join(t.dir, 'manifest.json'), readFileSync(join(staging, 'manifest.json')));
    await loaded;
    assert.is(port(anyBytes((await s.next()).resources[0]!)), 5003);
    rmSync(staging, { recursive: true, force: true });
  } finally {
    client.close();
    await t.close();
  }
});

test('a snapshot directory deleted under the server: logged, last good kept, recovered when it reappears', async () => {
  const t = await startTestServer(mesh(5001), WATCH);
  const { client, s } = await edsStream(t);
  try {
    const gone = nextReload(t, (o) => !o.ok);
    const aside = `${t.dir}-aside`;
    renameSync(t.dir, aside);
    const outcome = await gone;
    assert.match(outcome.error!, 'does not exist');
    assert.match(String(t.events('reload-failed')[0]!.fields.error), 'does not exist');

    const c2 = connect(t.server.address);
    const s2 = sotwStream(c2);
    s2.send({ node: GRPC_NODE(NODE), type_url: CLUSTER, resource_names: ['a'] });
    assert.is((await s2.next()).resources.length, 1, 'still serving while the directory is gone');
    c2.close();

    rmSync(aside, { recursive: true, force: true });
    const back = nextReload(t, (o) => o.ok);
    writeCompiledOutput(t.dir, mesh(5004));
    await back;
    assert.match(t.events('reload').at(-1)!.msg, 'readable again');
    assert.is(port(anyBytes((await s.next()).resources[0]!)), 5004);
  } finally {
    client.close();
    await t.close();
  }
});

test('a node removed by a new compile has its stream ended with NOT_FOUND; other nodes keep their streams', async () => {
  const t = await startTestServer(mesh(5001, true));
  const client = connect(t.server.address);
  try {
    const gone = sotwStream(client);
    gone.send({ node: GRPC_NODE('shop/deployment/extra'), type_url: CLUSTER, resource_names: ['x'] });
    await gone.next();
    const stays = sotwStream(client);
    stays.send({ node: GRPC_NODE(NODE), type_url: CLUSTER, resource_names: ['a'] });
    await stays.next();
    await t.publish(mesh(5001, false));
    const end = await gone.ended;
    assert.is(end.code, Status.NOT_FOUND);
    assert.match(end.details, 'no longer in the compiled output');
    assert.is(t.server.stats.activeStreams, 1);
  } finally {
    client.close();
    await t.close();
  }
});

test.run();
