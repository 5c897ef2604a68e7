import { ask } from '../../daemon/client.ts';
import { DaemonUnavailable, daemonPlace } from '../../daemon/place.ts';
import { PROTOCOL } from '../../daemon/protocol.ts';
import { runDaemon } from '../../daemon/server.ts';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, type CommandModule } from '../command.ts';
import { argumentsFailure, conflictFailure, formFailure, runCommand, type CommandContext, type CommandSpec } from '../common.ts';

const DEFAULT_IDLE_SECONDS = 900;

const SPEC: CommandSpec = {
  name: 'daemon',
  usage: `usage: meshc daemon status|stop|run [options]

The check daemon of the project in the working directory (one per meshc
build and cache directory). 'meshc check --daemon' (or MESHC_DAEMON=1)
starts it when none runs and sends it the check; it keeps the files it parsed
and the documents it modelled, so a re-check after an edit is several times
faster, with the output and exit code of a check in a process of its own.
It listens on a Unix socket in a directory only you can open
($XDG_RUNTIME_DIR/meshc-UID, else the temporary directory), and exits after
--idle seconds without a check.

  status    is one running? (exit 0: yes, 1: no)
  stop      stop it (exit 0, also when none runs)
  run       run it in the foreground, logging to stderr (Ctrl-C stops)

options:
  --idle SECONDS   run: exit after this long without a check (default: 900, or MESHC_DAEMON_IDLE)
  -h, --help       this text
`,
  options: { idle: { type: 'string' } },
};

function idleSeconds(ctx: CommandContext): number {
  const given = (ctx.values.idle as string | undefined) ?? ctx.env.MESHC_DAEMON_IDLE;
  if (given === undefined) return DEFAULT_IDLE_SECONDS;
  const n = Number(given);
  if (!/^\d+$/.test(given) || n < 1 || n > 7 * 24 * 3600) throw formFailure('--idle', { expected: 'whole seconds from 1 to 604800', actual: JSON.stringify(given) });
  return n;
}

async function status(ctx: CommandContext, stop: boolean): Promise<number> {
  const place = daemonPlace(ctx.cwd, ctx.env);
  let reply;
  try {
    reply = await ask(place.socket, { op: stop ? 'stop' : 'status', protocol: PROTOCOL });
  } catch {
    process.stdout.write(`no check daemon runs for ${ctx.cwd}\n`);
    return stop ? EXIT_OK : EXIT_FINDINGS;
  }
  if (reply.op === 'status') {
    const up = Math.round((Date.now() - reply.started) / 1000);
    const mib = (reply.rss / 1024 / 1024).toFixed(0);
    process.stdout.write(`check daemon running: pid ${reply.pid}, up ${up} s, ${reply.checks} check(s), ${mib} MiB resident, exits after ${reply.idleSeconds} s idle\n  socket ${place.socket}\n  log    ${place.log}\n`);
    return EXIT_OK;
  }
  if (reply.op === 'stop') {
    process.stdout.write('check daemon stopped\n');
    return EXIT_OK;
  }
  process.stderr.write(`meshc daemon: the daemon answered: ${reply.op === 'error' ? reply.message : reply.op}\n`);
  return EXIT_USAGE;
}

async function run(ctx: CommandContext): Promise<number> {
  const idle = idleSeconds(ctx);
  const place = daemonPlace(ctx.cwd, ctx.env);
  const log = (line: string) => process.stderr.write(`${new Date().toISOString()} meshc daemon: ${line}\n`);
  try {
    const code = await runDaemon({ socket: place.socket, idleSeconds: idle, log });
    // What the checks left behind (the parse workers of big inputs) must not keep a stopped daemon alive.
    process.exit(code);
  } catch (err) {
    process.stderr.write(`meshc daemon: cannot listen on ${place.socket}: ${(err as Error).message}\n`);
    return EXIT_USAGE;
  }
}

export const command: CommandModule = {
  summary: 'the check daemon behind check --daemon: status, stop, run',
  run: (argv) => runCommand(SPEC, argv, async (ctx) => {
    const [action, ...extra] = ctx.positionals;
    if (extra.length > 0 || !action || !['status', 'stop', 'run'].includes(action)) {
      throw argumentsFailure('daemon', 'one of status, stop, run', ctx.positionals.length ? ctx.positionals.join(' ') : 'none');
    }
    if (action !== 'run' && ctx.values.idle !== undefined) throw conflictFailure('--idle', `daemon ${action}`);
    try {
      return action === 'run' ? await run(ctx) : await status(ctx, action === 'stop');
    } catch (err) {
      if (!(err instanceof DaemonUnavailable)) throw err;
      process.stderr.write(`meshc daemon: ${(err as Error).message}\n`);
      return EXIT_USAGE;
    }
  }),
};
