import type { Rule } from '../types.ts';
import type { ObjectMeta } from '../../model/types.ts';
import { osmSettings, type FeatureFlag } from '../../model/osm-settings.ts';

export const osmFeatureFlags: Rule = {
  id: 'osm-feature-flags',
  description: 'Egress, IngressBackend and Retry policies take effect only when the MeshConfig turns their feature flag on',
  codes: ['MESH1112'],
  inputs: ['egresses', 'ingressBackends', 'retries'],
  run(ctx) {
    const settings = osmSettings(ctx.mesh, ctx.config);
    const mc = settings.meshConfig;
    if (!mc) return;
    const check = (flag: FeatureFlag, items: { meta: ObjectMeta }[]) => {
      if (settings.features[flag] || items.length === 0) return;
      const written = flag in mc.featureFlags;
      const hint = written ? '' : ' (it leaves the flag out, which OSM reads as false)';
      for (const item of items) {
        ctx.report('MESH1112', { kind: item.meta.kind, name: `${item.meta.namespace}/${item.meta.name}`, meshConfig: `${mc.meta.namespace}/${mc.meta.name}`, flag, hint },
          { meta: item.meta, path: ['kind'] },
          [{ message: 'the MeshConfig', at: { meta: mc.meta, path: written ? ['spec', 'featureFlags', flag] : ['metadata', 'name'] } }]);
      }
    };
    check('enableEgressPolicy', ctx.mesh.egresses);
    check('enableIngressBackendPolicy', ctx.mesh.ingressBackends);
    check('enableRetryPolicy', ctx.mesh.retries);
  },
};
