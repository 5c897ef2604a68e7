import type { Rule } from '../types.ts';

/** The name osm-controller watches. */
export const OSM_MESH_CONFIG_NAME = 'osm-mesh-config';

export const meshConfig: Rule = {
  id: 'mesh-config',
  description: 'The input holds at most one MeshConfig, named osm-mesh-config as OSM requires',
  codes: ['MESH1110', 'MESH1111'],
  inputs: ['meshConfigs'],
  run(ctx) {
    const [first, ...others] = ctx.mesh.meshConfigs;
    if (!first) return;
    const firstName = `${first.meta.namespace}/${first.meta.name}`;
    for (const mc of others) {
      ctx.report('MESH1110', { name: `${mc.meta.namespace}/${mc.meta.name}`, first: `${firstName} (${ctx.sources.where(first.meta.origin, ['metadata', 'name'])})` },
        { meta: mc.meta, path: ['metadata', 'name'] }, [{ message: 'the MeshConfig in force', at: { meta: first.meta, path: ['metadata', 'name'] } }]);
    }
    if (first.meta.name !== OSM_MESH_CONFIG_NAME) ctx.report('MESH1111', { name: firstName }, { meta: first.meta, path: ['metadata', 'name'] });
  },
};
