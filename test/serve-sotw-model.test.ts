/**
 * State-of-the-world subscriptions against a model (seeded, so a failure
 * replays): random subscription changes (reordered, duplicated, dropped,
 * unknown names) and recompiles, each ACKed as a client would; whenever the
 * stream is quiet, what the client holds must be exactly what the current
 * output offers for its subscription - CDS as a full set, EDS resource by
 * resource. This guards the server's shortcuts (a repeated subscription or
 * an unchanged snapshot is not planned again).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { anyBytes, connect, GRPC_NODE, sotwStream, startTestServer, type DiscoveryResponse, type TestStream } from './helpers/serve-client.ts';
import { prng } from '../bench/generate.ts';
import { CLUSTER, decodeAny, ENDPOINT, grpcSplitResources, LISTENER, ROUTE, type FixtureNode } from './helpers/serve-fixtures.ts';

const NODE = 'shop/deployment/web';
const POOL = ['a', 'b', 'c'];

interface Backend { port: number; timeout: number }

function output(backends: Map<string, Backend>): FixtureNode[] {
  const list = [...backends].map(([cluster, b]) => ({ cluster, port: b.port, weight: 1 }));
  const resources = grpcSplitResources('svc', list);
  resources[CLUSTER] = (resources[CLUSTER] as { name: string }[]).map((c) => ({ ...c, connect_timeout: { seconds: backends.get(c.name)!.timeout } }));
  return [{ id: NODE, target: 'grpc', resources }];
}

class Client {
  readonly subscribed = new Map<string, string[]>([[CLUSTER, []], [ENDPOINT, []], [LISTENER, ['svc']], [ROUTE, []]]);
  readonly nonces = new Map<string, string>();
  /** What the client holds: CDS name -> connect timeout, EDS name -> port. */
  clusters = new Map<string, number>();
  readonly endpoints = new Map<string, number>();
  constructor(private readonly s: TestStream<DiscoveryResponse>) {}

  /** A new subscription; like gRPC's xDS client, the client forgets what it no longer subscribes to. */
  request(type: string, names: string[]): void {
    this.subscribed.set(type, names);
    const held = type === CLUSTER ? this.clusters : type === ENDPOINT ? this.endpoints : null;
    for (const name of held?.keys() ?? []) if (!names.includes(name)) held!.delete(name);
    this.s.send({ type_url: type, resource_names: names, response_nonce: this.nonces.get(type) ?? '' });
  }

  /** Takes a response in and ACKs it. */
  apply(r: DiscoveryResponse): void {
    this.nonces.set(r.type_url, r.nonce);
    const decoded = r.resources.map((a) => decodeAny(anyBytes(a)).message);
    if (r.type_url === CLUSTER) this.clusters = new Map(decoded.map((m) => [m.name, m.connect_timeout?.seconds ?? 0]));
    if (r.type_url === ENDPOINT) for (const m of decoded) this.endpoints.set(m.cluster_name, m.endpoints[0].lb_endpoints[0].endpoint.address.socket_address.port_value);
    this.s.send({ type_url: r.type_url, resource_names: this.subscribed.get(r.type_url), version_info: r.version_info, response_nonce: r.nonce });
  }

  /**
   * Waits until the stream is quiet: drops and re-subscribes the route (answered after whatever CDS and EDS
   * are due: RDS is pushed last), ACKing everything on the way. Quiet is two rounds in a row that bring no CDS
   * or EDS and whose requests the server took (a route pushed by a recompile makes them stale; and the ACK
   * of a round's route may release a cluster held for make-before-break).
   */
  async settle(staleNonces: () => number): Promise<void> {
    for (let clean = 0; clean < 2; ) {
      const stale = staleNonces();
      this.request(ROUTE, []);
      this.request(ROUTE, ['svc-route']);
      let others = 0;
      for (;;) {
        const r = await this.s.next();
        this.apply(r);
        if (r.type_url === ROUTE) break;
        if (r.type_url !== LISTENER) others++;
      }
      clean = others === 0 && staleNonces() === stale ? clean + 1 : 0;
    }
  }
}

function pick<T>(rand: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rand() * xs.length)]!;
}

async function run(seed: number, steps: number): Promise<void> {
  const rand = prng(seed);
  let backends = new Map<string, Backend>([['a', { port: 5001, timeout: 1 }], ['b', { port: 5002, timeout: 1 }]]);
  const t = await startTestServer(output(backends));
  const grpc = connect(t.server.address);
  try {
    const s = sotwStream(grpc);
    s.send({ node: GRPC_NODE(NODE), type_url: LISTENER, resource_names: ['svc'] });
    const client = new Client(s);
    client.apply(await s.next());
    for (let step = 0; step < steps; step++) {
      const what = rand();
      let did: string;
      if (what < 0.55) {
        const type = rand() < 0.5 ? CLUSTER : ENDPOINT;
        const names = Array.from({ length: Math.floor(rand() * 5) }, () => pick(rand, [...POOL, 'z']));
        client.request(type, names);
        did = `subscribe ${type === CLUSTER ? 'CDS' : 'EDS'} [${names}]`;
      } else {
        const next = new Map<string, Backend>();
        for (const name of POOL) {
          if (rand() < 0.3 && next.size < 2) continue;
          const old = backends.get(name);
          const change = rand();
          next.set(name, {
            port: change < 0.4 ? 6000 + step : old?.port ?? 7000 + step,
            timeout: change > 0.7 ? 2 + step : old?.timeout ?? 1,
          });
        }
        backends = next;
        await t.publish(output(backends));
        did = `publish ${[...backends].map(([n, b]) => `${n}:${b.port}/${b.timeout}`)}`;
      }
      await client.settle(() => t.server.stats.staleNonces);
      const context = `seed ${seed}, step ${step} (${did})`;
      const want = (type: string) => [...new Set(client.subscribed.get(type))].filter((n) => backends.has(n)).sort();
      assert.equal(
        Object.fromEntries(client.clusters),
        Object.fromEntries(want(CLUSTER).map((n) => [n, backends.get(n)!.timeout])),
        `${context}: CDS holds exactly the subscribed clusters, current`,
      );
      for (const n of want(ENDPOINT)) assert.is(client.endpoints.get(n), backends.get(n)!.port, `${context}: EDS ${n} is current`);
    }
  } finally {
    grpc.close();
    await t.close();
  }
}

for (const seed of [1, 7, 42, 2026, 31337]) {
  test(`random subscriptions and recompiles, ACKed as a client does: the client ends up with exactly the current output (seed ${seed})`, async () => {
    await run(seed, 60);
  });
}

test.run();
