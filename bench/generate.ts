/**
 * Synthetic mesh generator shared by every benchmark.
 *
 * Writes a mesh of N services: per service a ServiceAccount, a Service, a
 * Deployment, an HTTPRouteGroup with a few matches and a TCPRoute; TrafficTargets
 * granting each destination to a few random callers (sparse policy, about
 * `edgesPerIdentity` destinations per identity); and, for every
 * `splitEvery`-th service, a TrafficSplit over two versioned backends.
 * Deterministic: the same options give the same files (seeded PRNG).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface GenerateOptions {
  services: number;
  /** TrafficTargets per destination service. */
  targetsPerService: number;
  /** Average number of destinations each identity may reach. */
  edgesPerIdentity: number;
  namespaces: number;
  /** Every n-th service is a TrafficSplit root (0 = no splits). */
  splitEvery: number;
  /** Services per file (files hold several documents, like real repos). */
  servicesPerFile: number;
  seed: number;
}

export const DEFAULTS: GenerateOptions = {
  services: 5000, targetsPerService: 4, edgesPerIdentity: 5, namespaces: 50, splitEvery: 10, servicesPerFile: 10, seed: 42,
};

/** mulberry32: a small seedable generator (also picks the steps of seeded tests). */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GeneratedMesh {
  dir: string;
  files: string[];
  services: number;
  trafficTargets: number;
  /** Allowed (source identity, destination service) pairs. */
  edges: number;
  bytes: number;
}

const ns = (i: number, o: GenerateOptions) => `ns-${i % o.namespaces}`;
const svc = (i: number) => `svc-${i}`;

function deployment(name: string, namespace: string, sa: string, labels: Record<string, string>): string {
  const l = Object.entries(labels).map(([k, v]) => `        ${k}: ${v}`).join('\n');
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  replicas: 2
  selector:
    matchLabels:
${l.replace(/^ {8}/gm, '      ')}
  template:
    metadata:
      labels:
${l}
    spec:
      serviceAccountName: ${sa}
      containers:
        - name: app
          image: example/${name}:1.0.0
          ports:
            - name: http
              containerPort: 8080
            - name: admin
              containerPort: 9090
`;
}

function service(name: string, namespace: string, selector: Record<string, string>): string {
  const s = Object.entries(selector).map(([k, v]) => `    ${k}: ${v}`).join('\n');
  return `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  selector:
${s}
  ports:
    - name: http
      port: 80
      targetPort: 8080
    - name: admin
      port: 9090
`;
}

function appDocs(i: number, o: GenerateOptions): string[] {
  const n = svc(i);
  const namespace = ns(i, o);
  const docs = [
    `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ${n}\n  namespace: ${namespace}\n`,
    service(n, namespace, { app: n }),
  ];
  if (o.splitEvery > 0 && i % o.splitEvery === 0) {
    for (const v of ['v1', 'v2']) {
      docs.push(service(`${n}-${v}`, namespace, { app: n, version: v }));
      docs.push(deployment(`${n}-${v}`, namespace, n, { app: n, version: v }));
    }
    docs.push(`apiVersion: split.smi-spec.io/v1alpha4
kind: TrafficSplit
metadata:
  name: ${n}-canary
  namespace: ${namespace}
spec:
  service: ${n}
  backends:
    - service: ${n}-v1
      weight: 90
    - service: ${n}-v2
      weight: 10
`);
  } else {
    docs.push(deployment(n, namespace, n, { app: n, version: 'v1' }));
  }
  docs.push(`apiVersion: specs.smi-spec.io/v1alpha4
kind: HTTPRouteGroup
metadata:
  name: ${n}-routes
  namespace: ${namespace}
spec:
  matches:
    - name: read
      pathRegex: /api/v1/items.*
      methods: [GET, HEAD]
    - name: write
      pathRegex: /api/v1/items/[0-9]+$
      methods: [PUT, POST, DELETE]
    - name: health
      pathRegex: /healthz$
      methods: [GET]
      headers:
        x-probe: ".*"
`);
  docs.push(`apiVersion: specs.smi-spec.io/v1alpha4
kind: TCPRoute
metadata:
  name: ${n}-admin
  namespace: ${namespace}
spec:
  matches:
    ports: [9090]
`);
  return docs;
}

function targetDocs(i: number, o: GenerateOptions, rnd: () => number): { docs: string[]; edges: number } {
  const n = svc(i);
  const namespace = ns(i, o);
  const docs: string[] = [];
  // Spread edgesPerIdentity * services edges over the targets of all services.
  const mean = Math.max(1, o.edgesPerIdentity / o.targetsPerService);
  const callers = new Set<number>();
  for (let t = 0; t < o.targetsPerService; t++) {
    const sourcesPerTarget = Math.floor(mean) + (rnd() < mean - Math.floor(mean) ? 1 : 0);
    const sources: number[] = [];
    while (sources.length < sourcesPerTarget) {
      const c = Math.floor(rnd() * o.services);
      if (c !== i && !sources.includes(c)) sources.push(c);
    }
    sources.forEach((c) => callers.add(c));
    const rule = t % 4 === 3
      ? `    - kind: TCPRoute\n      name: ${n}-admin\n`
      : `    - kind: HTTPRouteGroup\n      name: ${n}-routes\n      matches: [${['read', 'write', 'health'][t % 3]}]\n`;
    docs.push(`apiVersion: access.smi-spec.io/v1alpha3
kind: TrafficTarget
metadata:
  name: ${n}-t${t}
  namespace: ${namespace}
spec:
  destination:
    kind: ServiceAccount
    name: ${n}
    namespace: ${namespace}
  rules:
${rule}  sources:
${sources.map((c) => `    - kind: ServiceAccount\n      name: ${svc(c)}\n      namespace: ${ns(c, o)}\n`).join('')}`);
  }
  return { docs, edges: callers.size };
}

export function generateMesh(dir: string, options: Partial<GenerateOptions> = {}): GeneratedMesh {
  const o = { ...DEFAULTS, ...options };
  const rnd = prng(o.seed);
  mkdirSync(join(dir, 'apps'), { recursive: true });
  mkdirSync(join(dir, 'policy'), { recursive: true });
  const files: string[] = [];
  let bytes = 0;
  let edges = 0;
  let targets = 0;
  const write = (path: string, docs: string[]) => {
    const text = docs.join('---\n');
    writeFileSync(path, text);
    files.push(path);
    bytes += Buffer.byteLength(text);
  };
  const nsDocs: string[] = [];
  for (let n = 0; n < Math.min(o.namespaces, o.services); n++) nsDocs.push(`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns-${n}\n`);
  write(join(dir, 'apps', 'namespaces.yaml'), nsDocs);
  for (let start = 0; start < o.services; start += o.servicesPerFile) {
    const apps: string[] = [];
    const policy: string[] = [];
    for (let i = start; i < Math.min(o.services, start + o.servicesPerFile); i++) {
      apps.push(...appDocs(i, o));
      const t = targetDocs(i, o, rnd);
      policy.push(...t.docs);
      edges += t.edges;
      targets += t.docs.length;
    }
    const chunk = String(start / o.servicesPerFile).padStart(5, '0');
    write(join(dir, 'apps', `apps-${chunk}.yaml`), apps);
    write(join(dir, 'policy', `policy-${chunk}.yaml`), policy);
  }
  return { dir, files, services: o.services, trafficTargets: targets, edges, bytes };
}

// CLI: tsx bench/generate.ts DIR [services]
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const [dir, count] = process.argv.slice(2);
  if (!dir) {
    process.stderr.write('usage: tsx bench/generate.ts DIR [services]\n');
    process.exit(2);
  }
  const g = generateMesh(dir, count ? { services: Number(count) } : {});
  process.stdout.write(`${g.files.length} files, ${g.services} services, ${g.trafficTargets} TrafficTargets, ${g.edges} allowed edges, ${g.bytes} bytes\n`);
}
