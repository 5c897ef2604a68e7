import { allCatalogEntries, findCatalogEntry, type CatalogEntry } from '../../core/catalog/index.ts';
import { DiagnosticSink } from '../../core/diagnostics.ts';
import { nearMatches } from '../../core/suggest.ts';
import { summaryOf } from '../../report/describe.ts';
import { RULES } from '../../rules/registry.ts';
import type { Rule } from '../../rules/types.ts';
import { EXIT_OK, type CommandModule } from '../command.ts';
import { UsageError, runCommand, type CommandSpec } from '../common.ts';

const SPEC: CommandSpec = {
  name: 'explain',
  usage: `usage: meshc explain CODE|NAME...

Print what a diagnostic means, why it matters and how to fix it. CODE is a
code such as MESH0003 (case-insensitive), NAME its rule name (yaml-syntax)
or a lint rule id (as used by --disable-rule). 'meshc rules' lists them all.

options:
  -h, --help    this text
`,
  options: {},
};

/** Word-wraps a paragraph at `width` columns. */
export function wrap(text: string, width = 78, indent = ''): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(indent + line);
  return lines.join('\n');
}

/**
 * A message template for people: `{service}` becomes `<service>` (filled in
 * per finding); a placeholder glued to the end of a word (`kind{hint}`,
 * `name{problem}`) is an optional clause, shown as ` [<hint>]`. A doc that
 * writes a placeholder in braces gets the same treatment.
 */
export function renderTemplate(template: string): string {
  return template.replace(/([a-z])?\{(\w+)\}/g, (_whole, before: string | undefined, key: string) => (before ? `${before} [<${key}>]` : `<${key}>`));
}

function explainEntry(e: CatalogEntry): string {
  const notes = [e.severity, `area ${e.area}`];
  if (e.incomplete) notes.push('exit code 2');
  if (e.retired) notes.push('retired: no longer reported');
  const message = renderTemplate(e.message);
  const optional = message.includes('[<') ? '; [<…>] is added only when it applies' : '';
  const legend = message === e.message ? '' : `\n  (<…> is filled in by each finding${optional})`;
  return `${e.code} ${e.name} (${notes.join(', ')})\n\n  message: ${message}${legend}\n\n${wrap(renderTemplate(e.doc))}\n`;
}

function explainRule(r: Rule): string {
  const codes = r.codes.map((c) => {
    const e = findCatalogEntry(c);
    return `  ${c} ${e ? `${e.name} (${e.severity}): ${summaryOf(e)}` : ''}`.trimEnd();
  });
  return `rule ${r.id}\n\n${wrap(r.description)}\n\nreports:\n${codes.join('\n')}\n\nDisable it with --disable-rule ${r.id}; 'meshc explain CODE' explains each code.\n`;
}

export const command: CommandModule = {
  summary: 'explain a diagnostic code',
  run: (argv) => runCommand(SPEC, argv, async (ctx) => {
    if (ctx.positionals.length === 0) {
      const sink = new DiagnosticSink();
      sink.report('MESH1054', { command: 'explain', expected: 'a code, for example: meshc explain MESH0003', actual: 'none' }, null);
      throw new UsageError(sink.items);
    }
    const parts: string[] = [];
    const sink = new DiagnosticSink();
    for (const arg of ctx.positionals) {
      const entry = findCatalogEntry(arg) ?? findCatalogEntry(arg.trim().toLowerCase());
      const rule = RULES.find((r) => r.id === arg);
      if (entry) parts.push(explainEntry(entry));
      else if (rule) parts.push(explainRule(rule));
      else {
        const entries = allCatalogEntries();
        const near = nearMatches(arg, [...entries.map((e) => e.code), ...entries.map((e) => e.name), ...RULES.map((r) => r.id)]);
        const hint = near.length > 0 ? ` (did you mean ${near.join(', ')}?)` : '';
        sink.report('MESH1055', { name: JSON.stringify(arg), hint }, null);
      }
    }
    if (sink.items.length > 0) throw new UsageError(sink.items);
    process.stdout.write(parts.join('\n'));
    return EXIT_OK;
  }),
};
