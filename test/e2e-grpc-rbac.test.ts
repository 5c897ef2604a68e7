/**
 * End to end, proxyless gRPC authorization: SMI TrafficTarget → `meshc compile
 * --target grpc` → `meshc serve` → a real @grpc/grpc-js-xds XdsServer (its own
 * process, GRPC_XDS_EXPERIMENTAL_RBAC=true) and real xDS clients with
 * XdsChannelCredentials. mTLS certificates come from each workload's
 * bootstrap certificate provider; the server's RBAC admits the caller the
 * TrafficTarget names and refuses another identity with PERMISSION_DENIED,
 * even one that dials with the admitted client's own routing configuration.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Client, credentials, status as Status } from '@grpc/grpc-js';
import { register, XdsChannelCredentials } from '@grpc/grpc-js-xds';
import { ROOT, runCli } from './helpers/cli.ts';
import { ServeProcess } from './helpers/serve-process.ts';
import { hasOpenssl, makePki } from './helpers/serve-certs.ts';
import { tempDir } from './helpers/temp.ts';

register();

const ECHO = '/grpc.testing.EchoTestService/Echo';
const TARGET = 'xds:///echo.demo.svc.cluster.local:50051';
const spiffe = (sa: string) => `spiffe://cluster.local/ns/demo/sa/${sa}`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

function meshYaml(port: number): string {
  const deployment = (name: string, ports = '') => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: demo}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      serviceAccountName: ${name}
      containers: [{name: app, image: example/${name}:1${ports}}]
`;
  return [
    ...['client', 'intruder', 'echo'].map((n) => `apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: ${n}, namespace: demo}\n`),
    deployment('client'),
    deployment('intruder'),
    deployment('echo', `, ports: [{name: grpc, containerPort: ${port}}]`),
    `apiVersion: v1
kind: Service
metadata: {name: echo, namespace: demo}
spec:
  selector: {app: echo}
  ports: [{name: grpc, port: 50051, targetPort: grpc, appProtocol: grpc}]
`,
    `apiVersion: v1
kind: Endpoints
metadata: {name: echo, namespace: demo}
subsets:
  - addresses: [{ip: 127.0.0.1}]
    ports: [{name: grpc, port: ${port}}]
`,
    `apiVersion: specs.smi-spec.io/v1alpha4
kind: HTTPRouteGroup
metadata: {name: echo-rpcs, namespace: demo}
spec:
  matches: [{name: echo, pathRegex: '/grpc\\.testing\\.EchoTestService/.*', methods: [POST]}]
`,
    `apiVersion: access.smi-spec.io/v1alpha3
kind: TrafficTarget
metadata: {name: echo, namespace: demo}
spec:
  destination: {kind: ServiceAccount, name: echo, namespace: demo}
  rules: [{kind: HTTPRouteGroup, name: echo-rpcs, matches: [echo]}]
  sources: [{kind: ServiceAccount, name: client, namespace: demo}]
`,
  ].join('---\n');
}

/** A node's compiled bootstrap, pointed at the real serve port and at this workload's own certificate files. */
function bootstrapFor(out: string, nodeId: string, serveAddress: string, files: { cert: string; key: string; ca: string }): string {
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
  const node = manifest.nodes.find((n: { id: string }) => n.id === nodeId);
  const boot = JSON.parse(readFileSync(join(out, node.files.bootstrap), 'utf8'));
  boot.xds_servers[0].server_uri = serveAddress;
  Object.assign(boot.certificate_providers.meshc.config, { certificate_file: files.cert, private_key_file: files.key, ca_certificate_file: files.ca });
  return JSON.stringify(boot);
}

function call(client: Client): Promise<string> {
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest<Buffer, Buffer>(ECHO, (b) => b, (b) => b, Buffer.from('ping'), { deadline: Date.now() + 5000 }, (err, res) =>
      err ? reject(err) : resolve(res!.toString()));
  });
}

/** The first call needs the whole LDS → RDS → CDS → EDS chain and the TLS handshake: retry until it is answered either way. */
async function settle(client: Client): Promise<{ ok: string } | { code: number; details: string }> {
  let last: { code: number; details: string } = { code: -1, details: 'no call made' };
  for (let i = 0; i < 80; i++) {
    try {
      return { ok: await call(client) };
    } catch (err) {
      const e = err as { code: number; details: string };
      last = { code: e.code, details: e.details };
      if (e.code === Status.PERMISSION_DENIED) return last;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  return last;
}

const skip = !hasOpenssl();

test('an XdsServer admits the identity the TrafficTarget names and refuses another with PERMISSION_DENIED', async () => {
  if (skip) {
    console.log('skipped: no openssl to make certificates');
    return;
  }
  const dir = tempDir('meshc-e2e-rbac-');
  const pki = makePki();
  let serve: ServeProcess | null = null;
  let server: ChildProcess | null = null;
  const clients: Client[] = [];
  try {
    const port = await freePort();
    const src = join(dir, 'mesh');
    const out = join(dir, 'out');
    mkdirSync(src);
    writeFileSync(join(src, 'mesh.yaml'), meshYaml(port));
    const compiled = runCli(['compile', src, '--target', 'grpc', '--out', out]);
    assert.is(compiled.code, 0, compiled.stderr);
    serve = new ServeProcess(['--snapshots', out, '--listen', '127.0.0.1:0', '--log-format', 'json']);
    const address = await serve.address();

    const certs = join(dir, 'certs');
    mkdirSync(certs);
    writeFileSync(join(certs, 'ca.pem'), pki.ca);
    const filesOf = (sa: string) => {
      const pem = pki.workload(sa, `URI:${spiffe(sa)}`);
      writeFileSync(join(certs, `${sa}.pem`), pem.cert);
      writeFileSync(join(certs, `${sa}.key`), pem.key);
      return { cert: join(certs, `${sa}.pem`), key: join(certs, `${sa}.key`), ca: join(certs, 'ca.pem') };
    };
    const serverBoot = join(dir, 'echo-bootstrap.json');
    writeFileSync(serverBoot, bootstrapFor(out, 'demo/deployment/echo', address, filesOf('echo')));
    server = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test/helpers/xds-echo-server.ts'), serverBoot, String(port)], {
      cwd: ROOT, env: { ...process.env, GRPC_XDS_EXPERIMENTAL_RBAC: 'true' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let serverOut = '';
    server.stderr!.on('data', (d) => (serverOut += d));
    const ready = await new Promise<string>((resolve) => {
      server!.stdout!.on('data', (d) => {
        serverOut += d;
        if (/serving|error/.test(serverOut)) resolve(serverOut);
      });
      server!.on('exit', () => resolve(serverOut));
      setTimeout(() => resolve(`${serverOut}\n(no answer in 60 s)`), 60_000).unref();
    });
    assert.match(ready, /serving \d+/, `XdsServer did not take its Listener from meshc serve:\n${ready}\nserve log: ${serve.stderr.slice(-3000)}`);

    const dial = (bootstrap: string) => {
      const c = new Client(TARGET, new XdsChannelCredentials(credentials.createInsecure()), { 'grpc.TEST_ONLY_DO_NOT_USE_IN_PROD.xds_bootstrap_config': bootstrap });
      clients.push(c);
      return c;
    };
    const allowed = await settle(dial(bootstrapFor(out, 'demo/deployment/client', address, filesOf('client'))));
    assert.equal(allowed, { ok: 'echo' }, 'the admitted identity is served over mTLS');
    // The intruder uses the admitted client's own routing configuration, with its own certificate.
    const refused = await settle(dial(bootstrapFor(out, 'demo/deployment/client', address, filesOf('intruder'))));
    assert.is((refused as { code: number }).code, Status.PERMISSION_DENIED, JSON.stringify(refused));
    assert.ok(!serve.lines.some((l) => l.event === 'nack'), `no NACK: ${JSON.stringify(serve.lines.filter((l) => l.event === 'nack'))}`);
  } finally {
    for (const c of clients) c.close();
    server?.kill('SIGKILL');
    await serve?.stop('SIGTERM');
  }
});

test.run();
