/**
 * Catalogue messages are written in the catalogue, not in code: a template
 * that is one placeholder, or that takes a clause written elsewhere as
 * `{detail}` or `{problem}`, hides the message from `meshc explain`, from the
 * typed arguments and from review. Each distinct message gets its own code
 * with named arguments. A message that is someone else's text (the YAML
 * parser's, Node's, the TypeScript compiler's) is passed through under an
 * argument named for what it is (`{tsMessage}`, `{parseArgsError}`).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { allCatalogEntries } from '../src/core/catalog/index.ts';

/**
 * Codes still taking a clause built in code, each with why. Shrink this list;
 * never add to it (the last test fails when an entry no longer needs it).
 */
const PROSE_ARGUMENT: Record<string, string> = {
  MESH0001: 'internal error: the text of an exception meshc did not expect (a bug), with the stage that threw it',
  MESH0003: 'the yaml library\'s syntax errors, several per place joined; one of them (duplicate key) is meshc\'s own',
  MESH0008: 'YAML resource limits (alias expansion, nesting depth) and the yaml library\'s own limit errors',
};

const live = allCatalogEntries().filter((e) => !e.retired);
const placeholders = (message: string) => [...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);

test('no message template is a single placeholder', () => {
  const bare = live.filter((e) => /^\{\w+\}$/.test(e.message) && !(e.code in PROSE_ARGUMENT)).map((e) => `${e.code} ${e.message}`);
  assert.equal(bare, []);
});

test('no template takes a whole clause as {detail} or {problem}', () => {
  const prose = live.filter((e) => placeholders(e.message).some((p) => p === 'detail' || p === 'problem') && !(e.code in PROSE_ARGUMENT));
  assert.equal(prose.map((e) => `${e.code} ${e.message}`), []);
});

test('{hint} is only the did-you-mean suffix at the end of a message, never a clause inside it', () => {
  const inside = live.filter((e) => e.message.includes('{hint}') && !e.message.endsWith('{hint}'));
  assert.equal(inside.map((e) => `${e.code} ${e.message}`), []);
});

test('every code in PROSE_ARGUMENT still needs to be there, and says why', () => {
  for (const [code, why] of Object.entries(PROSE_ARGUMENT)) {
    const entry = live.find((e) => e.code === code);
    assert.ok(entry, `${code} is no live code`);
    const names = placeholders(entry.message);
    assert.ok(/^\{\w+\}$/.test(entry.message) || names.includes('detail') || names.includes('problem'), `${code} takes no prose argument any more: remove it from PROSE_ARGUMENT`);
    assert.ok(why.length > 20, `${code}: say why`);
  }
});

test.run();
