/** Endpoint addresses are resolved in src/reach/endpoints.ts, shared with the delivery analysis (src/reach/delivery.ts). */
export { endpointSetsByService, resolveEndpoints, targetPortOn } from '../../reach/endpoints.ts';
