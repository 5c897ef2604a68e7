#!/usr/bin/env node
// Boot only: everything lives in the bundled CLI.
import('../dist/cli.js').then((m) => m.main(process.argv.slice(2))).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`meshc: internal error: ${err && err.stack ? err.stack : err}\n`); process.exitCode = 2; },
);
