/** IPv4 CIDR blocks as OSM's CRDs take them (pattern a.b.c.d/n; OSM parses them with net.ParseCIDR). */
import type { Cidr } from './osm-types.ts';

/** The block, or why `text` is not an IPv4 CIDR block. */
export function parseCidr(text: string): { ok: true; value: Cidr } | { ok: false; reason: string } {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text);
  if (!m) {
    const hint = text.includes(':') ? ' (OSM\'s CRD pattern takes IPv4 blocks only)' : !text.includes('/') ? ' (the prefix length is missing: write e.g. 10.0.0.1/32 for one address)' : '';
    return { ok: false, reason: `not an IPv4 CIDR block a.b.c.d/n${hint}` };
  }
  const octets = m.slice(1, 5).map(Number);
  const bad = octets.find((o) => o > 255);
  if (bad !== undefined) return { ok: false, reason: `${bad} is no IPv4 address octet (0–255)` };
  if (m.slice(1, 5).some((o) => o.length > 1 && o.startsWith('0'))) return { ok: false, reason: 'an octet has a leading zero, which Go\'s parser rejects' };
  const prefix = Number(m[5]);
  if (prefix > 32) return { ok: false, reason: `the prefix length ${prefix} is more than 32` };
  const value = octets.reduce((a, o) => a * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  const network = Math.floor(value / size) * size;
  const address = [24, 16, 8, 0].map((s) => Math.floor(network / 2 ** s) % 256).join('.');
  return { ok: true, value: { text, address, prefix } };
}

/** The IPv4 address as a number, or undefined. */
export function ipv4Number(ip: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  return octets.some((o) => o > 255) ? undefined : octets.reduce((a, o) => a * 256 + o, 0);
}

export function cidrContains(block: Cidr, ip: string): boolean {
  const n = ipv4Number(ip);
  const base = ipv4Number(block.address);
  if (n === undefined || base === undefined) return false;
  const size = 2 ** (32 - block.prefix);
  return Math.floor(n / size) * size === base;
}
