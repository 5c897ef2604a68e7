import type { Rule } from '../types.ts';
import { osmSettings } from '../../model/osm-settings.ts';

export const permissiveMode: Rule = {
  id: 'permissive-mode',
  description: 'Says when the MeshConfig\'s permissive traffic policy mode makes every TrafficTarget ineffective',
  codes: ['MESH1113'],
  inputs: ['meshConfigs'],
  run(ctx) {
    // Only the MeshConfig's own mode: --permissive is the user's explicit request for that analysis.
    const settings = osmSettings(ctx.mesh, { permissive: false });
    if (!settings.permissive || !settings.meshConfig || ctx.mesh.trafficTargets.length === 0) return;
    ctx.report('MESH1113', { source: settings.permissiveSource ?? 'the MeshConfig', count: ctx.mesh.trafficTargets.length },
      { meta: settings.meshConfig.meta, path: ['spec', 'traffic', 'enablePermissiveTrafficPolicyMode'] });
  },
};
