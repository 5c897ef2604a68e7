import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { EXIT_OK, EXIT_USAGE, type CommandModule } from '../command.ts';

const HELP = `usage: meshc serve --snapshots DIR [options]

Serves the output of 'meshc compile --out DIR' to Envoy and proxyless gRPC
clients over xDS (ADS state-of-the-world and Delta, plus the CDS/EDS/LDS/RDS
services) and grpc.health.v1. Reloads DIR whenever it changes; a partial or
corrupt output is rejected and the last good one stays in service.

options:
  --snapshots DIR        compiled output directory (required)
  --listen HOST:PORT     address to listen on (default 127.0.0.1:18000; port 0 picks one)
  --log-format FORMAT    text (default) or json, one event per line on stderr
  --log-level LEVEL      debug, info (default), warn or error
  --tls-cert FILE        serve TLS with this certificate chain (PEM)
  --tls-key FILE         and this private key (PEM)
  --client-ca FILE       require client certificates signed by this CA (mTLS); a client
                         then only gets the node whose service account its SPIFFE id names
  --trust-domain TD      with --client-ca: accept SPIFFE ids of this trust domain only
  -h, --help             show this help

Stops on SIGTERM or SIGINT: ends every stream with UNAVAILABLE (proxies reconnect
elsewhere and keep their config) and exits 0.
`;

function fail(message: string): number {
  process.stderr.write(`meshc serve: ${message}\n`);
  return EXIT_USAGE;
}

function readPem(flag: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new Error(`${flag} ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
}

export const command: CommandModule = {
  summary: 'serve compiled xDS snapshots over gRPC (ADS)',
  async run(argv) {
    let values;
    try {
      ({ values } = parseArgs({
        args: argv,
        allowPositionals: false,
        options: {
          snapshots: { type: 'string' },
          listen: { type: 'string' },
          'log-format': { type: 'string' },
          'log-level': { type: 'string' },
          'tls-cert': { type: 'string' },
          'tls-key': { type: 'string' },
          'client-ca': { type: 'string' },
          'trust-domain': { type: 'string' },
          help: { type: 'boolean', short: 'h' },
        },
      }));
    } catch (err) {
      return fail(`${(err as Error).message}\n\n${HELP}`);
    }
    if (values.help) {
      process.stdout.write(HELP);
      return EXIT_OK;
    }
    if (!values.snapshots) return fail(`--snapshots DIR is required\n\n${HELP}`);
    const format = values['log-format'] ?? 'text';
    if (format !== 'text' && format !== 'json') return fail(`--log-format must be text or json, not '${format}'`);
    const level = values['log-level'] ?? 'info';
    if (!['debug', 'info', 'warn', 'error'].includes(level)) return fail(`--log-level must be debug, info, warn or error, not '${level}'`);
    if (!!values['tls-cert'] !== !!values['tls-key']) return fail('--tls-cert and --tls-key go together');
    if (values['client-ca'] && !values['tls-cert']) return fail('--client-ca needs --tls-cert and --tls-key (mTLS is TLS first)');
    if (values['trust-domain'] && !values['client-ca']) return fail('--trust-domain only applies with --client-ca');

    let tls;
    try {
      tls = values['tls-cert']
        ? {
            cert: readPem('--tls-cert', values['tls-cert']),
            key: readPem('--tls-key', values['tls-key']!),
            clientCa: values['client-ca'] ? readPem('--client-ca', values['client-ca']) : undefined,
            trustDomain: values['trust-domain'],
          }
        : undefined;
    } catch (err) {
      return fail((err as Error).message);
    }

    // gRPC is loaded here and only here: no other command pays for it.
    const { startServer, ServeError } = await import('../../server/server.ts');
    const { createLogger } = await import('../../server/log.ts');
    const logger = createLogger({ format, level: level as 'info' });
    // Signals are handled from the start, so one that arrives while starting up still ends cleanly.
    let stopRequested: string | null = null;
    let onStop: ((signal: string) => void) | null = null;
    const handler = (signal: NodeJS.Signals): void => {
      process.off('SIGTERM', handler);
      process.off('SIGINT', handler);
      logger.log('info', 'signal', `received ${signal}`, { signal });
      stopRequested = signal;
      onStop?.(signal);
    };
    process.on('SIGTERM', handler);
    process.on('SIGINT', handler);
    let server;
    try {
      server = await startServer({ snapshots: values.snapshots, listen: values.listen, tls, logger });
    } catch (err) {
      process.off('SIGTERM', handler);
      process.off('SIGINT', handler);
      if (err instanceof ServeError) return fail(err.message);
      throw err;
    }
    const running = server;
    return new Promise<number>((resolveExit) => {
      onStop = () => void running.close().then(() => resolveExit(EXIT_OK));
      if (stopRequested) onStop(stopRequested);
    });
  },
};
