// Assembles README.md from docs/: the head (what a newcomer needs first: the
// two commands, the tour, the commands, the exit codes), a contents list that
// links every guide in docs/ and its sections, and the development notes.
// The guides stay in docs/, read on their own. `node scripts/readme.mjs
// --check` exits 1 when README.md is out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { headings } from './markdown.mjs';

const root = new URL('..', import.meta.url);
const read = (p) => readFileSync(new URL(p, root), 'utf8').trimEnd() + '\n';
export const GUIDES = [
  'docs/guide-check.md', 'docs/guide-rules.md', 'docs/guide-reach.md', 'docs/guide-diff.md', 'docs/guide-gamma.md', 'docs/smi-choices.md',
  'docs/guide-compile.md', 'docs/guide-validation.md', 'docs/guide-serve.md', 'docs/guide-osm.md', 'docs/guide-dsl.md', 'docs/ci.md',
  'docs/architecture.md',
];

/** `- [Top heading](file)` and, under it, a link to each section one level below. */
function contentsEntry(file) {
  const all = headings(read(file));
  const top = Math.min(...all.map((h) => h.level));
  const [title, ...rest] = all.filter((h) => h.level <= top + 1);
  const lines = [`- [${title.text}](${file})`];
  for (const h of rest) if (h.level === top + 1) lines.push(`  - [${h.text}](${file}#${h.anchor})`);
  return lines.join('\n');
}

/** Lowers every heading of the development notes by one level, so they sit under the README's title. */
const underTitle = (text) => text.replace(/^(#{1,5}) /gm, '#$1 ');

export function composeReadme() {
  const contents = ['## Guides', '', 'Each guide is a file in [docs/](docs/); start with `meshc check`.', '', ...GUIDES.map(contentsEntry), ''].join('\n');
  return [read('docs/readme-head.md'), contents, underTitle(read('docs/readme-dev.md'))].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const readme = composeReadme();
  if (process.argv.includes('--check')) {
    const current = readFileSync(new URL('README.md', root), 'utf8');
    if (current !== readme) {
      console.error('README.md is out of date: run node scripts/readme.mjs');
      process.exit(1);
    }
  } else {
    writeFileSync(new URL('README.md', root), readme);
  }
}
