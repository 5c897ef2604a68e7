/**
 * What `meshc init` writes: a small mesh (YAML or the TypeScript DSL) that
 * passes `meshc check`, a ReachabilityTest that passes `meshc test`, and a
 * pre-commit configuration running both.
 */

export type InitFormat = 'yaml' | 'ts';

export const MESH_TS = `// A small mesh in the meshc TypeScript DSL: a frontend that may call the
// backend's API, and nothing else. \`meshc check\` type-checks and lints it;
// \`meshc test\` runs the cases in policy-test.yaml against it.
import { defineMesh } from 'meshc';

export default defineMesh({
  namespaces: {
    demo: {
      serviceAccounts: ['frontend', 'backend'],
      services: {
        backend: {
          selector: { app: 'backend' },
          ports: [{ name: 'http', port: 8080, appProtocol: 'http' }],
        },
      },
      deployments: {
        frontend: {
          replicas: 1,
          serviceAccount: 'frontend',
          podLabels: { app: 'frontend' },
          containers: [{ name: 'frontend', image: 'nginx:1.27' }],
        },
        backend: {
          replicas: 2,
          serviceAccount: 'backend',
          podLabels: { app: 'backend' },
          containers: [{ name: 'backend', image: 'hashicorp/http-echo:1.0', ports: [{ name: 'http', containerPort: 8080 }] }],
        },
      },
      httpRouteGroups: {
        'backend-api': {
          matches: {
            'read-items': { pathRegex: '/api/items(/.*)?$', methods: ['GET'] },
            'add-item': { pathRegex: '/api/items$', methods: ['POST'] },
          },
        },
      },
      trafficTargets: {
        'frontend-to-backend': {
          destination: 'backend',
          rules: [{ kind: 'HTTPRouteGroup', name: 'backend-api', matches: ['read-items', 'add-item'] }],
          sources: ['frontend'],
        },
      },
    },
  },
});
`;

export const MESH_YAML = `# A small mesh: a frontend that may call the backend's API, and nothing else.
# \`meshc check\` lints it; \`meshc test\` runs the cases in policy-test.yaml.
apiVersion: v1
kind: Namespace
metadata:
  name: demo
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: frontend
  namespace: demo
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: backend
  namespace: demo
---
apiVersion: v1
kind: Service
metadata:
  name: backend
  namespace: demo
spec:
  selector:
    app: backend
  ports:
    - name: http
      port: 8080
      appProtocol: http
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: frontend
  namespace: demo
spec:
  replicas: 1
  selector:
    matchLabels:
      app: frontend
  template:
    metadata:
      labels:
        app: frontend
    spec:
      serviceAccountName: frontend
      containers:
        - name: frontend
          image: nginx:1.27
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: backend
  namespace: demo
spec:
  replicas: 2
  selector:
    matchLabels:
      app: backend
  template:
    metadata:
      labels:
        app: backend
    spec:
      serviceAccountName: backend
      containers:
        - name: backend
          image: hashicorp/http-echo:1.0
          ports:
            - name: http
              containerPort: 8080
---
apiVersion: specs.smi-spec.io/v1alpha4
kind: HTTPRouteGroup
metadata:
  name: backend-api
  namespace: demo
spec:
  matches:
    - name: read-items
      pathRegex: /api/items(/.*)?$
      methods: [GET]
    - name: add-item
      pathRegex: /api/items$
      methods: [POST]
---
apiVersion: access.smi-spec.io/v1alpha3
kind: TrafficTarget
metadata:
  name: frontend-to-backend
  namespace: demo
spec:
  destination:
    kind: ServiceAccount
    name: backend
    namespace: demo
  rules:
    - kind: HTTPRouteGroup
      name: backend-api
      matches: [read-items, add-item]
  sources:
    - kind: ServiceAccount
      name: frontend
      namespace: demo
`;

export const POLICY_TEST = `# Policy tests for the mesh: \`meshc test\` checks every case against what
# the TrafficTargets allow. Add a case for each promise your policy makes.
apiVersion: meshc.dev/v1alpha1
kind: ReachabilityTest
metadata:
  name: frontend-reaches-only-the-api
  namespace: demo
spec:
  cases:
    - name: the frontend lists items
      from: demo/frontend
      to: demo/backend:8080
      request: {method: GET, path: /api/items}
      expect: allow
    - name: the frontend adds an item
      from: demo/frontend
      to: demo/backend:8080
      request: {method: POST, path: /api/items}
      expect: allow
    - name: the frontend cannot delete items
      from: demo/frontend
      to: demo/backend:8080
      request: {method: DELETE, path: /api/items/42}
      expect: deny
    - name: nothing else may call the backend
      from: demo/backend
      to: demo/backend:8080
      request: {method: GET, path: /api/items}
      expect: deny
`;

/**
 * A pre-commit (pre-commit.com) configuration; `target` is the mesh directory
 * as seen from the repository root. At the root itself the hooks name no
 * path, so a `.meshc.yaml` added later (its `paths`) decides what they check,
 * as in docs/ci.md.
 */
export function preCommitConfig(target: string): string {
  const path = target === '.' ? '' : ` ${target}`;
  return `# pre-commit (https://pre-commit.com) hooks: lint the mesh and run its policy
# tests before every commit. Install with \`pre-commit install\`; this file
# must sit at the root of the git repository.${path ? '' : `
# The hooks name no path: \`paths\` of a .meshc.yaml decides what they check,
# else the whole repository.`}
repos:
  - repo: local
    hooks:
      - id: meshc-check
        name: meshc check
        entry: npx --no-install meshc check${path}
        language: system
        pass_filenames: false
        require_serial: true
        files: \\.(ya?ml|json|m?ts)$
      - id: meshc-test
        name: meshc test
        entry: npx --no-install meshc test${path}
        language: system
        pass_filenames: false
        require_serial: true
        files: \\.(ya?ml|json|m?ts)$
`;
}

export function scaffold(format: InitFormat, target: string): Record<string, string> {
  return {
    [format === 'ts' ? 'mesh.ts' : 'mesh.yaml']: format === 'ts' ? MESH_TS : MESH_YAML,
    'policy-test.yaml': POLICY_TEST,
    '.pre-commit-config.yaml': preCommitConfig(target),
  };
}
