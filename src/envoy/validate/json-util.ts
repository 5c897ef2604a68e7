// Small helpers for reading proto3 JSON resources defensively.
import { typeNameOf } from '../protos/type-urls.ts';

export type J = Record<string, unknown>;

export const HCM = 'envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager';
export const TCP_PROXY = 'envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy';
export const ROUTER = 'envoy.extensions.filters.http.router.v3.Router';

export const obj = (v: unknown): J => (v && typeof v === 'object' && !Array.isArray(v) ? (v as J) : {});
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** A uint32 in proto3 JSON (number, or a wrapper given as a bare number or a decimal string). */
export function uint(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  if (v && typeof v === 'object' && 'value' in v) return uint((v as J).value);
  return 0;
}

/** Whether an Any in JSON form holds the message `typeName`. */
export function isType(any: J, typeName: string): boolean {
  return typeof any['@type'] === 'string' && typeNameOf(any['@type']) === typeName;
}
