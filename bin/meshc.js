#!/usr/bin/env node
// Boot only: everything lives in the bundled CLI. `meshc check` starts from a bundle
// of its own with a V8 code cache (src/cli/check-boot.ts).
const argv = process.argv.slice(2);
import(argv[0] === 'check' ? '../dist/check.js' : '../dist/cli.js').then((m) => m.main(argv)).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`meshc: internal error: ${err && err.stack ? err.stack : err}\n`); process.exitCode = 2; },
);
