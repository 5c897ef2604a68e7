import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { anchoringAgnostic } from '../../src/regex/anchoring.ts';
import { re2Matcher } from '../../src/regex/re2.ts';
import { groupDepth, MAX_ANALYSED_DEPTH } from '../../src/regex/depth.ts';
import { requiresLiteralQuestionMark } from '../../src/rules/specs/path-regex-query-string.ts';

// [pattern, readings agree?]
const CASES: [string, boolean][] = [
  ['/api/.*', true], ['/api$', true], ['/api\\z', true], ['.*', true], ['^/api.*', true], ['/x.+', true], ['/x.{2,}', true],
  ['(/a|/b).*', true], ['/a(?:b$|c.*)', true], ['x(.*|$)', true], ['x(.*|)', true], ['/api(.*)?', true], ['(?P<n>/a.*)', true],
  ['(?i)/api.*', true], ['/api.*(?i)', true], ['/a.*?', true], ['/api/v1/items.*', true],
  ['/api', false], ['/books-bought', false], ['.*a-book.*new', false], ['/a.*|/b', false], ['/api(/.*)?', false],
  ['/x.{2}', false], ['/a(?:b|c.*)', false], ['/a\\.*', false], ['[.]*', false], ['/a\\Q.*\\E', false], ['(a|)', false],
  ['/a\\b', false], ['/a[.*]', false], ['/api/v1/items/[0-9]+', false],
];

test('the structural check classifies common path regexes', () => {
  for (const [pattern, agree] of CASES) assert.is(anchoringAgnostic(pattern), agree, pattern);
});

// The check must be sound: whenever it says the readings agree, they do on sample paths.
const SAMPLES = ['', '/', '/a', '/b', '/ab', '/api', '/api/', '/api/v1', '/apix', '/x', '/xy', '/xyz', 'a', 'x', 'xz', '/a.b', '/a..', '/books-bought/1'];

test('patterns classified as agreeing admit the same sample paths under both readings', () => {
  for (const [pattern, agree] of CASES) {
    if (!agree) continue;
    const m = re2Matcher(pattern)!;
    for (const s of SAMPLES) assert.is(m.prefixMatch(s), m.fullMatch(s), `${pattern} on ${JSON.stringify(s)}`);
  }
});

test('patterns classified as disagreeing have a witness path among the samples', () => {
  for (const [pattern, agree] of CASES) {
    if (agree || pattern === '(a|)' || pattern === '/a\\b') continue;
    const m = re2Matcher(pattern)!;
    const witness = SAMPLES.concat(['/api/v1/items/1x', '/a.xyz', '/a.*z', '/a[', '/xy/z', '/books-bought', 'a-booknewx', '/a.', '/acx', '/abx'])
      .find((s) => m.prefixMatch(s) !== m.fullMatch(s));
    assert.ok(witness !== undefined, `${pattern}: no witness`);
  }
});

test('group depth: escapes and bracket expressions do not count', () => {
  assert.is(groupDepth('/api'), 0);
  assert.is(groupDepth('(a)(b)'), 1);
  assert.is(groupDepth('((?:a|(b)))'), 3);
  assert.is(groupDepth('\\((a)\\)'), 1);
  assert.is(groupDepth('[(][[:alpha:](](a)'), 1);
  assert.is(groupDepth('[]()]'), 0);
});

test('patterns nested deeper than the analysis goes are left alone, without overflowing the stack', () => {
  const nest = (n: number, inner: string) => `/${'('.repeat(n)}${inner}${')'.repeat(n)}`;
  assert.is(anchoringAgnostic(nest(MAX_ANALYSED_DEPTH, 'a')), false, 'analysed up to the limit');
  assert.is(requiresLiteralQuestionMark(nest(MAX_ANALYSED_DEPTH, 'a\\?')), true, 'analysed up to the limit');
  assert.is(anchoringAgnostic(nest(50_000, 'a')), true, 'nothing claimed beyond it');
  assert.is(requiresLiteralQuestionMark(nest(50_000, 'a\\?')), false, 'nothing claimed beyond it');
});

test.run();
