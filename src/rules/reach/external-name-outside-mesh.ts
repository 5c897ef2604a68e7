import { keyOf } from '../../core/types.ts';
import type { Rule } from '../types.ts';
import { deliveryOf } from './shared.ts';

/**
 * MESH0634: permissive mode lets every identity reach an ExternalName Service for a host outside the cluster, but no
 * proxy forwards to it (src/reach/delivery.ts decides it for compile, MESH0867, and why alike).
 */
export const externalNameOutsideMesh: Rule = {
  id: 'external-name-outside-mesh',
  description: 'ExternalName Services outside the mesh, which permissive mode allows but no proxy forwards to',
  codes: ['MESH0634'],
  inputs: ['services'],
  run(ctx) {
    if (!ctx.config.permissive) return;
    const delivery = deliveryOf(ctx);
    for (const svc of ctx.mesh.services) {
      if (svc.externalName === undefined || !delivery.outsideMesh(keyOf(svc.meta))) continue;
      if (ctx.index.services.get(keyOf(svc.meta)) !== svc) continue; // a duplicate: the first one counts
      ctx.report('MESH0634', { service: keyOf(svc.meta), host: svc.externalName }, { meta: svc.meta, path: ['spec', 'externalName'] });
    }
  },
};
