/** Supporting Kubernetes and SMI objects for rule tests (plain YAML text, one document each). */

export const namespace = (name: string) => `apiVersion: v1
kind: Namespace
metadata:
  name: ${name}
`;

export const serviceAccount = (ns: string, name: string) => `apiVersion: v1
kind: ServiceAccount
metadata:
  name: ${name}
  namespace: ${ns}
`;

export interface PortSpec { port: number; targetPort?: number | string; name?: string; protocol?: string }

export function service(ns: string, name: string, selector: Record<string, string> | null, ports: PortSpec[] = [{ port: 80, name: 'http' }]): string {
  const sel = selector === null ? '' : `  selector:\n${Object.entries(selector).map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`).join('\n')}\n`;
  const portLines = ports.map((p) => [
    `    - port: ${p.port}`,
    p.name ? `      name: ${p.name}` : '',
    p.targetPort !== undefined ? `      targetPort: ${typeof p.targetPort === 'string' ? JSON.stringify(p.targetPort) : p.targetPort}` : '',
    p.protocol ? `      protocol: ${p.protocol}` : '',
  ].filter(Boolean).join('\n')).join('\n');
  return `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${ns}
spec:
${sel}  ports:
${portLines}
`;
}

export interface ContainerPortSpec { containerPort: number; name?: string; protocol?: string }

export function deployment(ns: string, name: string, labels: Record<string, string>, serviceAccountName: string | null, ports: ContainerPortSpec[] = []): string {
  const l = (indent: string) => Object.entries(labels).map(([k, v]) => `${indent}${k}: ${JSON.stringify(v)}`).join('\n');
  const sa = serviceAccountName === null ? '' : `      serviceAccountName: ${serviceAccountName}\n`;
  const portLines = ports.length === 0 ? '' : `          ports:\n${ports.map((p) => [
    `            - containerPort: ${p.containerPort}`,
    p.name ? `              name: ${p.name}` : '',
    p.protocol ? `              protocol: ${p.protocol}` : '',
  ].filter(Boolean).join('\n')).join('\n')}\n`;
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  selector:
    matchLabels:
${l('      ')}
  template:
    metadata:
      labels:
${l('        ')}
    spec:
${sa}      containers:
        - name: app
          image: example/${name}:1.0.0
${portLines}`;
}

export const tcpRoute = (ns: string, name: string, ports: number[] = []) => `apiVersion: specs.smi-spec.io/v1alpha4
kind: TCPRoute
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  matches:
    ports: [${ports.join(', ')}]
`;

export const udpRoute = (ns: string, name: string, ports: number[] = []) => `apiVersion: specs.smi-spec.io/v1alpha4
kind: UDPRoute
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  matches:
    ports: [${ports.join(', ')}]
`;

/** An HTTPRouteGroup whose matches each allow GET on a path. */
export const routeGroup = (ns: string, name: string, matches: string[]) => `apiVersion: specs.smi-spec.io/v1alpha4
kind: HTTPRouteGroup
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  matches:
${matches.map((m) => `    - name: ${m}\n      pathRegex: /${m}/.*\n      methods: [GET]`).join('\n')}
`;

export function trafficSplit(ns: string, name: string, root: string, backends: [string, number][]): string {
  return `apiVersion: split.smi-spec.io/v1alpha4
kind: TrafficSplit
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  service: ${root}
  backends:
${backends.map(([s, w]) => `    - service: ${s}\n      weight: ${w}`).join('\n')}
`;
}

/** A TrafficTarget granting a TCPRoute to sources, all in `ns`. */
export function trafficTarget(ns: string, name: string, destination: string, sources: string[], route = 'all'): string {
  return `apiVersion: access.smi-spec.io/v1alpha3
kind: TrafficTarget
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  destination:
    kind: ServiceAccount
    name: ${destination}
    namespace: ${ns}
  rules:
    - kind: TCPRoute
      name: ${route}
  sources:
${sources.map((s) => `    - kind: ServiceAccount\n      name: ${s}\n      namespace: ${ns}`).join('\n')}
`;
}
