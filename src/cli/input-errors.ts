/**
 * `why` and `graph` answer from the objects that passed validation. When the
 * input has errors (schema or lint), the answer may not be what the author
 * meant — a TrafficTarget rejected for a typo grants nothing, so `why` says
 * DENIED — so they say so on stderr and show the first errors, the way
 * `meshc check` prints them. Their own output and exit code stay as they are.
 */
import { dedupeDiagnostics, sortDiagnostics } from '../core/diagnostics.ts';
import type { Diagnostic } from '../core/types.ts';
import { lint, type LoadedMesh } from '../pipeline/check.ts';
import { formatLine } from '../report/text.ts';
import { applySuppressions } from '../report/suppress.ts';
import type { CommandContext } from './common.ts';

const SHOWN = 3;

/** The reachability rules (MESH06xx) compute reachability again and report no schema-like errors: not needed here. */
const notReach = (rule: { codes: string[] }) => rule.codes.every((c) => !c.startsWith('MESH06'));

/** The errors `meshc check` would report about the input (reading, schema, lint; reachability findings aside). */
function inputErrors(loaded: LoadedMesh, lintOnly: boolean): Diagnostic[] {
  const linted = lint(loaded, notReach);
  return dedupeDiagnostics(lintOnly ? linted : [...loaded.diagnostics, ...linted]).filter((d) => d.severity === 'error');
}

/**
 * `lintOnly`: for `meshc test`, whose report already carries the reading and
 * schema errors as findings; its lint errors are noted, not failed on (they
 * belong to `meshc check`, and a suppressed or tolerated one must not fail the tests).
 */
export function noteInputErrors(command: string, ctx: CommandContext, loaded: LoadedMesh, options: { lintOnly?: boolean } = {}): void {
  const { kept } = applySuppressions(inputErrors(loaded, options.lintOnly ?? false), {
    suppress: ctx.settings.suppressions, inline: !ctx.settings.config.noInlineSuppress, loaded,
  });
  const errors = sortDiagnostics(kept.filter((d) => d.severity === 'error'));
  if (errors.length === 0) return;
  const lines = errors.slice(0, SHOWN).map((d) => `  ${formatLine(d, false)}\n`).join('');
  const more = errors.length > SHOWN ? `  … and ${errors.length - SHOWN} more\n` : '';
  const head = options.lintOnly
    ? `the input has ${errors.length} lint error(s); cases may pass or fail because of them (run 'meshc check')`
    : `the input has ${errors.length} error(s); this answer covers only what is valid, so it may not be what the manifests mean (run 'meshc check')`;
  process.stderr.write(`meshc ${command}: note: ${head}:\n${lines}${more}`);
}
