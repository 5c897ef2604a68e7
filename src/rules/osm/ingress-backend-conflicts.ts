import type { Rule } from '../types.ts';
import type { IngressBackend } from '../../model/osm-types.ts';

export const ingressBackendConflicts: Rule = {
  id: 'ingress-backend-conflicts',
  description: 'Each backend (name and port) appears once in one IngressBackend',
  codes: ['MESH1132', 'MESH1133'],
  inputs: ['ingressBackends'],
  run(ctx) {
    const owner = new Map<string, { ib: IngressBackend; index: number }>();
    for (const ib of ctx.mesh.ingressBackends) {
      const mine = new Map<string, number>();
      ib.backends.forEach((b, i) => {
        const key = `${ib.meta.namespace}/${b.name}:${b.port.number}`;
        const at = { meta: ib.meta, path: ['spec', 'backends', i] };
        const earlier = mine.get(key);
        if (earlier !== undefined) {
          ctx.report('MESH1132', { name: b.name, port: b.port.number }, at, [{ message: 'first listed here', at: { meta: ib.meta, path: ['spec', 'backends', earlier] } }]);
          return;
        }
        mine.set(key, i);
        const other = owner.get(key);
        if (other) {
          ctx.report('MESH1133', { name: b.name, port: b.port.number, other: `${other.ib.meta.namespace}/${other.ib.meta.name}` }, at,
            [{ message: `IngressBackend ${other.ib.meta.name}`, at: { meta: other.ib.meta, path: ['spec', 'backends', other.index] } }]);
        } else {
          owner.set(key, { ib, index: i });
        }
      });
    }
  },
};
