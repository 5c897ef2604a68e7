import type { CommandModule } from './command.ts';

/**
 * Subcommands, loaded lazily so `check` never pays for TypeScript, gRPC or
 * the Envoy protos. Each module exports `command: CommandModule`.
 */
const COMMANDS: Record<string, () => Promise<{ command: CommandModule }>> = {
  check: () => import('./commands/check.ts'),
  serve: () => import('./commands/serve.ts'),
};

const USAGE = `usage: meshc <command> [options] [PATH...]

commands:
  check     validate and lint SMI manifests
  serve     serve compiled xDS snapshots to Envoy and gRPC clients (ADS)

Run 'meshc <command> --help' for a command's options.
`;

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE);
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-V') {
    process.stdout.write(`${process.env.MESHC_VERSION ?? '0.1.0'}\n`);
    return 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    process.stderr.write(`meshc: unknown command '${name}'\n\n${USAGE}`);
    return 2;
  }
  const { command } = await load();
  return command.run(rest);
}
