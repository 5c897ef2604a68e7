import { loadMesh } from '../../pipeline/check.ts';
import { noteInputErrors } from '../input-errors.ts';
import { casesOf, runPolicyTests } from '../../policy-test/index.ts';
import { TARGETS } from '../../envoy/translate/ir.ts';
import type { CommandModule } from '../command.ts';
import { CONFIG_HELP, CONFIG_OPTIONS, REPORT_HELP, REPORT_OPTIONS, finishReport, oneOf, runCommand, useCache, type CommandSpec } from '../common.ts';

const SPEC: CommandSpec = {
  name: 'test',
  usage: `usage: meshc test [options] [PATH...]

Run the policy tests: every ReachabilityTest document (apiVersion
meshc.dev/v1alpha1) in PATH states cases such as "bookbuyer may GET
/books-bought on bookstore" or "bookthief may not reach bookstore"; meshc
checks each against the reachability of the manifests in PATH. A failed
case is an error at the line of the case, with the chain of resources that
decided it. Input errors (YAML, schema) are reported too.

options:
  --target TARGET           whose configuration the cases are answered for, as compile builds it:
                            envoy (sidecars, default) or grpc (proxyless gRPC clients; see meshc why)
${CONFIG_HELP}${REPORT_HELP}  -h, --help                this text

exit codes (the same for every format):
  0  every case passed
  1  a case failed, a test document is invalid, or no test was found
  2  usage or configuration error, unreadable path, internal error
`,
  options: { ...CONFIG_OPTIONS, ...REPORT_OPTIONS, target: { type: 'string' } },
};

export const command: CommandModule = {
  summary: 'run ReachabilityTest policy tests against the manifests',
  run: (argv) => runCommand(SPEC, argv, async (ctx) => {
    const target = oneOf('target', ctx.values.target, TARGETS, 'envoy');
    const loaded = await loadMesh(ctx.settings.paths, { ...ctx.settings.config, cwd: ctx.cwd, cache: useCache(ctx) });
    const tests = runPolicyTests(loaded, ctx.settings.paths, target);
    // Input errors can change what the tests see; warnings about the manifests belong to `meshc check`.
    const inputErrors = loaded.diagnostics.filter((d) => d.severity === 'error');
    const code = finishReport(ctx, { diagnostics: [...inputErrors, ...tests.diagnostics], files: loaded.files.length, resources: loaded.resources, loaded });
    noteInputErrors('test', ctx, loaded, { lintOnly: true });
    if (!ctx.settings.quiet && tests.documents > 0) {
      const c = casesOf(tests);
      const notRun = c.notRun > 0 ? `, ${c.notRun} could not run (invalid, or naming what the mesh does not have)` : '';
      process.stderr.write(`policy tests: ${c.total} case(s) in ${tests.documents} ReachabilityTest document(s): ${c.passed} passed, ${c.failed} failed${notRun}\n`);
    }
    return code;
  }),
};
