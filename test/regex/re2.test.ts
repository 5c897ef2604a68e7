import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { checkRe2, checkRe2WithEngine, re2Matcher, triviallyValidRe2 } from '../../src/regex/re2.ts';

const invalid = (pattern: string, fragment: string) => {
  const r = checkRe2(pattern);
  assert.is(r.ok, false, `${pattern} should be invalid RE2`);
  if (!r.ok) assert.ok(r.error.includes(fragment), `${pattern}: "${r.error}" should mention "${fragment}"`);
};

test('JavaScript/PCRE-only syntax is rejected with RE2\'s own error text', () => {
  invalid('(?=x)', 'invalid perl operator: (?=');
  invalid('(?!x)', 'invalid perl operator');
  invalid('(?<=a)b', 'invalid perl operator');
  invalid('(a)\\1', 'invalid escape sequence: \\1');
  invalid('a++', 'bad repetition operator');
  invalid('(?<name>x)', 'invalid perl operator');
  invalid('\\Z', 'invalid escape sequence');
  invalid('[', 'missing ]');
  invalid('(a', 'missing )');
  invalid('a{1001}', 'invalid repetition size');
});

test('RE2 syntax that JavaScript lacks or spells differently is accepted', () => {
  for (const p of ['(?P<name>x)', '\\pL+', '\\p{Greek}', '[[:alpha:]]+', '(?i)abc', '\\Qa.b\\E', '\\z', '\\C', '(?U)a*', '/api/v[0-9]+/.*', '.*Android.*', '^(?:/a|/b)$']) {
    assert.equal(checkRe2(p), { ok: true }, p);
  }
});

test('a pattern that backtracks catastrophically in JavaScript runs in linear time', () => {
  assert.equal(checkRe2('(a+)+$'), { ok: true });
  const m = re2Matcher('(a+)+$')!;
  // With a backtracking engine this input takes longer than the age of the universe.
  const input = `${'a'.repeat(100_000)}!`;
  assert.is(m.fullMatch(input), false);
  assert.is(m.prefixMatch(input), false, '$ anchors at the end of the input');
  assert.is(m.fullMatch('a'.repeat(100_000)), true);
  const nested = re2Matcher('(x+x+)+y')!;
  assert.is(nested.fullMatch('x'.repeat(50_000)), false);
});

test('full match and start-anchored match differ the way Envoy and the SMI spec differ', () => {
  const m = re2Matcher('/api')!;
  assert.is(m.fullMatch('/api'), true);
  assert.is(m.fullMatch('/api/v1'), false);
  assert.is(m.prefixMatch('/api/v1'), true);
  assert.is(m.prefixMatch('/v1/api'), false);
  const alt = re2Matcher('/a|/b')!;
  assert.is(alt.fullMatch('/b'), true, 'alternation is grouped before anchoring');
  assert.is(alt.fullMatch('/ab'), false);
});

test('an unterminated \\Q literal still compiles once wrapped for matching', () => {
  const m = re2Matcher('/a\\Q.b')!;
  assert.ok(m);
  assert.is(m.fullMatch('/a.b'), true);
  assert.is(m.fullMatch('/axb'), false);
});

test('invalid patterns give no matcher; results are cached per pattern', () => {
  assert.is(re2Matcher('(?=x)'), null);
  assert.is(checkRe2('[a-'), checkRe2('[a-'));
  assert.is(re2Matcher('/x.*'), re2Matcher('/x.*'));
});

test('a pattern valid by its shape alone (checked without the engine) is valid RE2: common path regexes, and any string of path and regex characters', () => {
  for (const p of ['/api/.*', '/api/v1/items/[0-9]+$', '/healthz$', '^/books-bought$', '.*a-book.*new', '[a-zA-Z_]+/x?', '/a.+/b.', '[Z-a]']) {
    assert.ok(triviallyValidRe2(p), p);
    assert.equal(checkRe2WithEngine(p), { ok: true }, p);
  }
  for (const p of ['', '[9-0]', '[a-Z]', 'a**', '*a', '/a|/b', '(a)', '[^a]', 'a{2}', '\\d', '[a-]', '^^a', 'a$$', '.*?x', '+a']) {
    assert.not.ok(triviallyValidRe2(p), p);
  }
  const chars = fc.constantFrom(...'aZ09/_-.*+?[]^$()|{}\\:'.split(''));
  fc.assert(fc.property(fc.array(chars, { maxLength: 14 }).map((a) => a.join('')), (p) => {
    if (triviallyValidRe2(p)) assert.equal(checkRe2WithEngine(p), { ok: true }, p);
  }), { numRuns: 20_000 });
});

test.run();
