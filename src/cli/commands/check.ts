import { parseArgs } from 'node:util';
import { check } from '../../pipeline/check.ts';
import { atOrAbove } from '../../core/diagnostics.ts';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, type CommandModule } from '../command.ts';

export const command: CommandModule = {
  summary: 'validate and lint SMI manifests',
  async run(argv) {
    let parsed;
    try {
      parsed = parseArgs({ args: argv, allowPositionals: true, options: { namespace: { type: 'string', short: 'n' } } });
    } catch (err) {
      process.stderr.write(`meshc check: ${(err as Error).message}\n`);
      return EXIT_USAGE;
    }
    const paths = parsed.positionals.length > 0 ? parsed.positionals : ['.'];
    const result = await check(paths, { namespace: parsed.values.namespace });
    for (const d of result.diagnostics) {
      const at = d.range ? `${d.range.file}:${d.range.line}:${d.range.column}: ` : '';
      process.stdout.write(`${at}${d.severity} ${d.code} ${d.message}\n`);
    }
    if (result.diagnostics.some((d) => d.code === 'MESH0001' || d.code === 'MESH0002')) return EXIT_USAGE;
    return result.diagnostics.some((d) => atOrAbove(d.severity, 'error')) ? EXIT_FINDINGS : EXIT_OK;
  },
};
