import type { Rule } from '../types.ts';

const SOURCE_KINDS = ['Service', 'AuthenticatedPrincipal', 'IPRange'];

export const ingressBackendSources: Rule = {
  id: 'ingress-backend-sources',
  description: 'IngressBackend sources are Services (with a namespace), AuthenticatedPrincipals or IPRanges, TLS client validation has a principal to validate, and plain http is restricted by address',
  codes: ['MESH1135', 'MESH1185'],
  inputs: ['ingressBackends'],
  run(ctx) {
    for (const ib of ctx.mesh.ingressBackends) {
      ib.sources.forEach((s, i) => {
        if (!SOURCE_KINDS.includes(s.kind)) {
          ctx.report('MESH1135', { what: `kind ${JSON.stringify(s.kind)} is not Service, AuthenticatedPrincipal or IPRange` }, { meta: ib.meta, path: ['spec', 'sources', i, 'kind'] });
        } else if (s.kind === 'Service' && s.namespace === '') {
          ctx.report('MESH1135', { what: `Service ${s.name} needs a namespace (the ingress controller's namespace)` }, { meta: ib.meta, path: ['spec', 'sources', i], key: false });
        }
      });
      const principal = ib.sources.some((s) => s.kind === 'AuthenticatedPrincipal');
      // Plain http admits by address only (OSM wildcards the principal): without a Service/IPRange source, everyone
      // (a source of an unknown kind is MESH1135 already).
      const byAddress = ib.sources.some((s) => s.kind === 'Service' || s.kind === 'IPRange' || !SOURCE_KINDS.includes(s.kind));
      ib.backends.forEach((b, i) => {
        if (b.port.protocol !== 'http' || byAddress) return;
        ctx.report('MESH1185', { name: b.name, port: b.port.number }, { meta: ib.meta, path: ['spec', 'backends', i, 'port', 'protocol'] });
      });
      ib.backends.forEach((b, i) => {
        if (b.port.protocol !== 'https' || principal || b.tls?.skipClientCertValidation === true) return;
        ctx.report('MESH1135', { what: `missing: backend ${b.name} is https and validates client certificates, but no source of kind AuthenticatedPrincipal names the client (or set tls.skipClientCertValidation: true)` },
          { meta: ib.meta, path: ['spec', 'backends', i, 'port', 'protocol'] });
      });
    }
  },
};
