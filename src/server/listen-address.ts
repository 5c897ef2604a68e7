/** `HOST:PORT` / `[IPv6]:PORT` for --listen; dependency-free so the CLI can check it before loading gRPC. */
export function parseListenOrNull(listen: string): { host: string; port: number } | null {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]\s]+)):(\d{1,5})$/.exec(listen);
  if (!m) return null;
  const port = Number(m[3]);
  if (!(port >= 0 && port <= 65535)) return null;
  return { host: m[1] ?? m[2]!, port };
}

/** The inverse: `HOST:PORT`, with an IPv6 host in brackets. */
export function formatListen(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
