import { allCatalogEntries } from '../../core/catalog/index.ts';
import { summaryOf } from '../../report/describe.ts';
import { RULES } from '../../rules/registry.ts';
import { EXIT_OK, type CommandModule } from '../command.ts';
import { runCommand, type CommandSpec } from '../common.ts';

const SPEC: CommandSpec = {
  name: 'rules',
  usage: `usage: meshc rules [--format text|json]

List every diagnostic code (code, default severity, name, summary), then the
lint rules (the ids --disable-rule takes) and the codes each reports.

options:
  --format FORMAT   text (default) or json:
                    {"codes": [{code, name, severity, area, summary, message, doc, incomplete, retired}],
                     "rules": [{id, description, codes}]}
  -h, --help        this text
`,
  options: { format: { type: 'string' } },
  formats: ['text', 'json'],
};

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n');
}

export const command: CommandModule = {
  summary: 'list every diagnostic code and lint rule',
  run: (argv) => runCommand(SPEC, argv, async (ctx) => {
    const entries = allCatalogEntries();
    const rules = [...RULES].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    if (ctx.settings.format === 'json') {
      const codes = entries.map((e) => ({
        code: e.code, name: e.name, severity: e.severity, area: e.area, summary: summaryOf(e), message: e.message, doc: e.doc,
        incomplete: e.incomplete === true, retired: e.retired === true,
      }));
      const list = rules.map((r) => ({ id: r.id, description: r.description, codes: [...r.codes] }));
      process.stdout.write(`${JSON.stringify({ codes, rules: list }, null, 2)}\n`);
      return EXIT_OK;
    }
    const codeRows = [['CODE', 'SEVERITY', 'NAME', 'SUMMARY'], ...entries.map((e) => [e.code, e.retired ? 'retired' : e.severity, e.name, summaryOf(e)])];
    let out = `${table(codeRows)}\n`;
    if (rules.length > 0) {
      out += `\nlint rules (--disable-rule ID):\n\n${table([['RULE', 'CODES', 'DESCRIPTION'], ...rules.map((r) => [r.id, r.codes.join(','), r.description])])}\n`;
    }
    process.stdout.write(out);
    return EXIT_OK;
  }),
};
