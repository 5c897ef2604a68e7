// Assembles README.md from docs/: the head, the user guides (their headings
// shifted so each guide's top heading is "##") and the development notes.
// `node scripts/readme.mjs --check` exits 1 when README.md is out of date.
import { readFileSync, writeFileSync } from 'node:fs';

const root = new URL('..', import.meta.url);
const read = (p) => readFileSync(new URL(p, root), 'utf8').trimEnd() + '\n';
const GUIDES = [
  'docs/guide-check.md', 'docs/guide-rules.md', 'docs/guide-reach.md', 'docs/guide-diff.md', 'docs/guide-gamma.md', 'docs/smi-choices.md',
  'docs/guide-compile.md', 'docs/guide-validation.md', 'docs/guide-serve.md', 'docs/guide-dsl.md', 'docs/ci.md',
];

/** Shifts markdown headings (outside code fences) so the shallowest becomes level `top`. */
function shiftHeadings(text, top) {
  const lines = text.split('\n');
  let fence = null;
  const levels = [];
  const isHeading = [];
  for (const line of lines) {
    const f = /^\s*(```|~~~)/.exec(line);
    if (f) fence = fence === f[1] ? null : fence ?? f[1];
    const h = !fence && !f && /^(#{1,6}) /.exec(line);
    isHeading.push(h ? h[1].length : 0);
    if (h) levels.push(h[1].length);
  }
  const shift = top - Math.min(...levels);
  return lines.map((line, i) => (isHeading[i] ? '#'.repeat(Math.min(6, isHeading[i] + shift)) + line.slice(isHeading[i]) : line)).join('\n');
}

const parts = [read('docs/readme-head.md')];
for (const g of GUIDES) parts.push(shiftHeadings(read(g), 2));
parts.push(read('docs/readme-dev.md'));
const readme = parts.join('\n');

if (process.argv.includes('--check')) {
  const current = readFileSync(new URL('README.md', root), 'utf8');
  if (current !== readme) {
    console.error('README.md is out of date: run node scripts/readme.mjs');
    process.exit(1);
  }
} else {
  writeFileSync(new URL('README.md', root), readme);
}
