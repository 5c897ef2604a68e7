/**
 * meshc serve benchmark (issue 15, item 5), on this machine:
 * - 1,000 concurrent state-of-the-world ADS streams (one TCP connection each,
 *   ~9 proxies per workload node, like replicas) all receive their full
 *   snapshot (CDS, EDS, LDS, RDS): target within 1 s of the first connect;
 * - the server's resident memory: target under 200 MB at its peak;
 * - a recompiled output (every node's listeners change) swapped into the
 *   watched directory reaches all 1,000 streams: target within 0.5 s.
 *
 * The server is the real CLI (`meshc serve`, default logging, JSON to a pipe)
 * in its own process; the clients run in a second process (this file with
 * `--clients`), so neither one's work is counted as the other's. Snapshots
 * come from `meshc compile` of the synthetic mesh (bench/generate.ts, 100
 * services) plus Endpoints, so EDS is not empty.
 */
import { fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { generateMesh } from './generate.ts';
import { mb, median } from './lib/measure.ts';

const STREAMS = Number(process.env.BENCH_STREAMS ?? 1000);
const SERVICES = Number(process.env.BENCH_SERVICES ?? 100);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SOTW = '/envoy.service.discovery.v3.AggregatedDiscoveryService/StreamAggregatedResources';
const CDS = 'type.googleapis.com/envoy.config.cluster.v3.Cluster';
const EDS = 'type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment';
const LDS = 'type.googleapis.com/envoy.config.listener.v3.Listener';
const RDS = 'type.googleapis.com/envoy.config.route.v3.RouteConfiguration';

type Msg =
  | { kind: 'initial'; perStream: number[]; wallMs: number; failed: number; bytes: number; cpuMs: number }
  | { kind: 'armed' }
  | { kind: 'updated'; at: number[]; missing: number };

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

// ---------------------------------------------------------------- clients

async function clients(): Promise<void> {
  // Raw HTTP/2 (node:http2) rather than grpc-js channels: per-connection client overhead would
  // otherwise dominate the figures on a 2-core machine shared with the server.
  const http2 = await import('node:http2');
  const { WireReader, WireWriter, WIRE } = await import('../src/server/wire.ts');
  const address = process.env.SERVE_ADDRESS!;
  const manifest = JSON.parse(readFileSync(process.env.SERVE_MANIFEST!, 'utf8')) as {
    nodes: { id: string; resources: Record<string, { name: string }[]> }[];
  };
  const send = (process as unknown as { send(m: Msg): void }).send.bind(process);

  const request = (type: string, names: string[], nonce = '', version = '', node?: string): Buffer => {
    const w = new WireWriter().stringField(1, version);
    if (node) w.bytesField(2, new WireWriter().stringField(1, node).stringField(2, 'bench').stringField(6, 'envoy').finish());
    for (const n of names) w.stringField(3, n);
    const msg = w.stringField(4, type).stringField(5, nonce).finish();
    const head = Buffer.alloc(5);
    head.writeUInt32BE(msg.length, 1);
    return Buffer.concat([head, msg]);
  };

  interface StreamState { start: number; done: number; counts: Map<string, number>; expect: Map<string, number>; lds: string; updatedAt: number }
  const states: StreamState[] = [];
  const sessions: import('node:http2').ClientHttp2Session[] = [];
  let armed = false;
  let complete = 0;
  let bytes = 0;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage(); // the initial phase only, not this process's start-up (tsx compiling this file)
  let resolveInitial: () => void;
  const initial = new Promise<void>((r) => (resolveInitial = r));
  let resolveUpdated: (() => void) | null = null;
  let updated = 0;

  for (let i = 0; i < STREAMS; i++) {
    const node = manifest.nodes[i % manifest.nodes.length]!;
    const names = (t: string) => node.resources[t]!.map((r) => r.name);
    const expect = new Map<string, number>([[CDS, names(CDS).length], [EDS, names(EDS).length], [LDS, names(LDS).length], [RDS, names(RDS).length]]);
    const st: StreamState = { start: performance.now(), done: 0, counts: new Map(), expect, lds: '', updatedAt: 0 };
    states.push(st);
    const session = http2.connect(`http://${address}`);
    session.on('error', () => {});
    sessions.push(session);
    const call = session.request({ ':method': 'POST', ':path': SOTW, 'content-type': 'application/grpc', te: 'trailers' });
    call.on('error', () => {});
    let pending: Buffer = Buffer.alloc(0);
    const onMessage = (buf: Buffer): void => {
      const r = new WireReader(buf);
      let version = '';
      let type = '';
      let nonce = '';
      let count = 0;
      while (!r.done) {
        const [field, wire] = r.tag();
        if (field === 1 && wire === WIRE.LEN) version = r.string();
        else if (field === 2 && wire === WIRE.LEN) {
          r.skip(wire);
          count++;
        } else if (field === 4 && wire === WIRE.LEN) type = r.string();
        else if (field === 5 && wire === WIRE.LEN) nonce = r.string();
        else r.skip(wire);
      }
      const named = type === EDS || type === RDS;
      call.write(request(type, named ? names(type) : [], nonce, version)); // ACK
      st.counts.set(type, named ? (st.counts.get(type) ?? 0) + count : count);
      if (type === LDS && !st.lds) st.lds = version;
      else if (type === LDS && armed && version !== st.lds && !st.updatedAt) {
        st.updatedAt = Date.now();
        if (++updated === STREAMS) resolveUpdated?.();
      }
      if (!st.done && [...st.expect].every(([t, n]) => (st.counts.get(t) ?? -1) >= n || (n === 0 && (t === EDS || t === RDS)))) {
        st.done = performance.now();
        if (++complete === STREAMS) resolveInitial();
      }
    };
    call.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      while (pending.length >= 5) {
        const len = pending.readUInt32BE(1);
        if (pending.length < 5 + len) break;
        onMessage(pending.subarray(5, 5 + len));
        pending = pending.subarray(5 + len);
      }
    });
    // Envoy's order: CDS, EDS, LDS, RDS (wildcard for CDS/LDS, named for EDS/RDS).
    call.write(request(CDS, [], '', '', node.id));
    if (names(EDS).length) call.write(request(EDS, names(EDS)));
    call.write(request(LDS, []));
    if (names(RDS).length) call.write(request(RDS, names(RDS)));
  }
  const guard = setTimeout(() => resolveInitial(), 60_000);
  await initial;
  clearTimeout(guard);
  const cpu = process.cpuUsage(cpu0);
  send({ kind: 'initial', perStream: states.filter((s) => s.done).map((s) => s.done - s.start), wallMs: performance.now() - t0, failed: STREAMS - complete, bytes, cpuMs: (cpu.user + cpu.system) / 1000 });

  process.on('message', async (m: { cmd: string }) => {
    if (m.cmd !== 'arm') return;
    armed = true;
    const done = new Promise<void>((r) => (resolveUpdated = r));
    send({ kind: 'armed' });
    const guard2 = setTimeout(() => resolveUpdated?.(), 30_000);
    await done;
    clearTimeout(guard2);
    send({ kind: 'updated', at: states.filter((s) => s.updatedAt).map((s) => s.updatedAt), missing: STREAMS - updated });
    for (const c of sessions) c.destroy();
    setTimeout(() => process.exit(0), 200).unref();
  });
}

// ---------------------------------------------------------------- orchestrator

function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** CPU time (user + system) of a process so far, in ms. */
function cpuOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks (USER_HZ = 100)
  } catch {
    return NaN;
  }
}

function compileMesh(src: string, out: string, extra: string[]): void {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/meshc.js'), 'compile', src, '--out', out, ...extra], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`meshc compile failed (${r.status}):\n${r.stderr.slice(-2000)}`);
}

function endpointsYaml(services: number, namespaces: number): string {
  const docs: string[] = [];
  for (let i = 0; i < services; i++) {
    for (const n of [`svc-${i}`, ...(i % 10 === 0 ? [`svc-${i}-v1`, `svc-${i}-v2`] : [])]) {
      docs.push(`apiVersion: v1\nkind: Endpoints\nmetadata: {name: ${n}, namespace: ns-${i % namespaces}}\nsubsets:\n  - addresses: [{ip: 10.0.${i % 250}.${(i % 200) + 1}}, {ip: 10.1.${i % 250}.${(i % 200) + 1}}]\n    ports: [{name: http, port: 8080}, {name: admin, port: 9090}]\n`);
    }
  }
  return docs.join('---\n');
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'meshc-bench-serve-'));
  const src = join(root, 'mesh');
  const out = join(root, 'out');
  const next = join(root, 'out-next');
  let server: ChildProcess | null = null;
  let clientProc: ChildProcess | null = null;
  try {
    generateMesh(src, { services: SERVICES, namespaces: 10 });
    writeFileSync(join(src, 'endpoints.yaml'), endpointsYaml(SERVICES, 10));
    compileMesh(src, out, []);
    compileMesh(src, next, ['--stats-port', '15011']); // every node's listeners change
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { nodes: { id: string; resources: Record<string, unknown[]> }[] };
    const resources = manifest.nodes.reduce((n, node) => n + Object.values(node.resources).reduce((m, l) => m + l.length, 0), 0);
    console.log(`snapshot: ${manifest.nodes.length} nodes, ${resources} resources (meshc compile of ${SERVICES} services + endpoints)`);

    const nodeArgs = process.env.BENCH_SERVE_NODE_ARGS ? process.env.BENCH_SERVE_NODE_ARGS.split(' ') : [];
    server = spawn(process.execPath, [...nodeArgs, join(ROOT, 'bin/meshc.js'), 'serve', '--snapshots', out, '--listen', '127.0.0.1:0', '--log-format', 'json'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let log = '';
    let reloadAt = 0;
    const address = await new Promise<string>((resolve, reject) => {
      server!.stderr!.on('data', (d: Buffer) => {
        log += d.toString();
        let nl: number;
        while ((nl = log.indexOf('\n')) >= 0) {
          const line = log.slice(0, nl);
          log = log.slice(nl + 1);
          if (line.includes('"event":"listening"')) resolve(JSON.parse(line).address);
          if (line.includes('"event":"reload"') && !reloadAt) reloadAt = Date.parse(JSON.parse(line).time);
        }
      });
      server!.on('exit', (code) => reject(new Error(`meshc serve exited with ${code}`)));
    });
    await new Promise((r) => setTimeout(r, 300));
    const baseline = rssOf(server.pid!);
    const cpuStart = cpuOf(server.pid!);
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, rssOf(server!.pid!))), 20);

    clientProc = fork(fileURLToPath(import.meta.url), ['--clients'], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, SERVE_ADDRESS: address, SERVE_MANIFEST: join(out, 'manifest.json') },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const messages: Msg[] = [];
    const waiters: ((m: Msg) => void)[] = [];
    clientProc.on('message', (m: Msg) => {
      const w = waiters.shift();
      if (w) w(m);
      else messages.push(m);
    });
    const nextMsg = () => new Promise<Msg>((resolve) => {
      const m = messages.shift();
      if (m) resolve(m);
      else waiters.push(resolve);
    });

    const initial = (await nextMsg()) as Extract<Msg, { kind: 'initial' }>;
    const peakConnect = peak;
    const cpuInitial = cpuOf(server.pid!) - cpuStart;
    await new Promise((r) => setTimeout(r, 300));
    const settled = rssOf(server.pid!);
    clientProc.send({ cmd: 'arm' });
    await nextMsg(); // armed
    const t0 = Date.now();
    // What `meshc compile` does: move the old output aside, rename the new one into place.
    renameSync(out, `${out}-old`);
    renameSync(next, out);
    const updated = (await nextMsg()) as Extract<Msg, { kind: 'updated' }>;
    clearInterval(sampler);
    const lat = updated.at.map((t) => t - t0);

    const ok = (b: boolean) => (b ? 'OK' : 'OVER TARGET');
    const p = initial.perStream;
    console.log(`streams: ${STREAMS} (one connection each), ${initial.failed} without a full snapshot, ${mb(initial.bytes)} received`);
    console.log(`full snapshot per stream: median ${median(p).toFixed(0)} ms, p99 ${pct(p, 99).toFixed(0)} ms, max ${Math.max(...p).toFixed(0)} ms; all ${STREAMS} in ${initial.wallMs.toFixed(0)} ms (target < 1000 ms) ${ok(initial.failed === 0 && initial.wallMs < 1000)}`);
    console.log(`CPU for the initial phase: server ${cpuInitial.toFixed(0)} ms, clients ${initial.cpuMs.toFixed(0)} ms (2 cores shared by both processes)`);
    console.log(`server RSS: ${mb(baseline)} idle, ${mb(settled)} with ${STREAMS} streams, peak ${mb(peak)} (connect peak ${mb(peakConnect)}) (target < 200 MB) ${ok(peak < 200 * 1024 * 1024)}`);
    console.log(`update (directory swapped): reloaded after ${reloadAt ? reloadAt - t0 : NaN} ms (150 ms of it is the watch debounce); reached median ${median(lat).toFixed(0)} ms, max ${Math.max(...lat).toFixed(0)} ms; ${updated.missing} streams missed it (target: all within 500 ms) ${ok(updated.missing === 0 && Math.max(...lat) < 500)}`);
  } finally {
    clientProc?.kill();
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((r) => server!.once('exit', r));
    }
    rmSync(root, { recursive: true, force: true });
  }
}

if (process.argv.includes('--clients')) await clients();
else await main();
