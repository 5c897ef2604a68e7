import type { Rule } from '../types.ts';
import { resolves } from '../util/refs.ts';
import { missingHint } from '../util/osm.ts';
import { defaultedNote } from '../util/refs.ts';

export const ingressBackendRefs: Rule = {
  id: 'ingress-backend-refs',
  description: 'IngressBackend backends are Services of its namespace on one of their target ports; source Services exist',
  codes: ['MESH1130', 'MESH1131', 'MESH1134'],
  inputs: ['ingressBackends'],
  run(ctx) {
    for (const ib of ctx.mesh.ingressBackends) {
      const { namespace } = ib.meta;
      ib.backends.forEach((b, i) => {
        const service = ctx.index.services.get(`${namespace}/${b.name}`);
        if (!service) {
          if (!resolves(ctx, 'Service', namespace, b.name)) {
            ctx.report('MESH1130', { name: b.name, namespace, hint: missingHint(ctx, 'Service', namespace, b.name) + defaultedNote(ib.meta) }, { meta: ib.meta, path: ['spec', 'backends', i, 'name'] });
          }
          return;
        }
        // OSM compares port.number with the Service port's targetPort (a named target port never equals a number).
        const targets = service.ports.map((p) => p.targetPort);
        if (!targets.includes(b.port.number)) {
          const ports = service.ports.map((p) => (p.targetPort === p.port ? String(p.port) : `${p.targetPort} (Service port ${p.port})`)).join(', ') || 'none';
          ctx.report('MESH1131', { name: b.name, namespace, port: b.port.number, ports }, { meta: ib.meta, path: ['spec', 'backends', i, 'port', 'number'] },
            [{ message: `Service ${namespace}/${b.name}`, at: { meta: service.meta, path: ['spec', 'ports'] } }]);
        }
      });
      ib.sources.forEach((s, i) => {
        if (s.kind !== 'Service' || s.namespace === '' || resolves(ctx, 'Service', s.namespace, s.name)) return;
        ctx.report('MESH1134', { namespace: s.namespace, name: s.name, hint: missingHint(ctx, 'Service', s.namespace, s.name) }, { meta: ib.meta, path: ['spec', 'sources', i, 'name'] });
      });
    }
  },
};
