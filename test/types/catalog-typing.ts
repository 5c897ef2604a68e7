/**
 * Type-level test of the typed catalogue, checked by `npm run typecheck`
 * (tsconfig includes test/): each `@ts-expect-error` line must fail to
 * compile, or tsc reports the directive as unused and typecheck fails.
 * Nothing here runs.
 */
import { catalogMessage, type Code, type MessageArgs } from '../../src/core/catalog/index.ts';
import { DiagnosticSink } from '../../src/core/diagnostics.ts';
import type { RuleContext } from '../../src/rules/types.ts';

declare const sink: DiagnosticSink;
declare const ctx: RuleContext;
declare const at: Parameters<RuleContext['report']>[2];

// The right code with every argument of its template compiles.
sink.report('MESH0501', { selector: 'app=a', namespace: 'ns' }, null);
ctx.report('MESH0501', { selector: 'app=a', namespace: 'ns' }, at);

// @ts-expect-error a mistyped code (no such entry)
sink.report('MESH9999', { detail: 'x' }, null);
// @ts-expect-error a mistyped code through a rule's context
ctx.report('MESH05O1', { selector: 'app=a', namespace: 'ns' }, at);
// @ts-expect-error a missing message argument ({namespace})
sink.report('MESH0501', { selector: 'app=a' }, null);
// @ts-expect-error a missing message argument through a rule's context
ctx.report('MESH0501', { selector: 'app=a' }, at);
// @ts-expect-error an argument the template has no placeholder for
sink.report('MESH0501', { selector: 'app=a', namespace: 'ns', extra: 1 }, null);
// @ts-expect-error a retired code cannot be reported (MESH0211 stays in the catalogue for `explain` only)
sink.report('MESH0211', {}, null);
// @ts-expect-error findings handed on as data are checked the same way
catalogMessage('MESH1002', { where: '--suppress', entry: 'x' });
// Codes split out of prose templates take their named arguments, not the old clause.
catalogMessage('MESH1048', { option: '--format', allowed: 'text, json', value: '"xml"' });
// @ts-expect-error MESH0108 no longer takes {detail}: its template needs {apiVersion}
catalogMessage('MESH0108', { detail: 'top-level matches' });
// @ts-expect-error MESH0713 needs {port} and {ports} besides {case} and {to}
catalogMessage('MESH0713', { case: 'c', to: 'shop/reviews' });

// `{ … }` in a template is text, not a placeholder (formatMessage takes `{word}` only).
const noExports: MessageArgs<'MESH0905'> = { exports: '' };
// @ts-expect-error ... so MESH0905 has exactly one argument
const withText: MessageArgs<'MESH0905'> = { exports: '', ' … ': '' };

// Code is the union of catalogued codes, not string.
const code: Code = 'MESH0001';
// @ts-expect-error a string is not a Code
const notCode: Code = 'MESH' as string;

export { noExports, withText, code, notCode };
