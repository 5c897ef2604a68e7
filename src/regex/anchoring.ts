/**
 * Does a path regex admit the same paths under both readings SMI
 * implementations use?
 *
 * - SMI spec: `pathRegex` is anchored at the start only: a path is admitted
 *   when some prefix of it matches.
 * - Envoy `safe_regex` (OSM passes `pathRegex` straight through): the whole
 *   path must match.
 *
 * The readings agree exactly when the regex's language is closed under
 * appending any suffix. We check a sufficient, structural condition on RE2
 * syntax: every way a match can end goes through an "absorbing" element —
 * `.*`/`.+`/`.{n,}` (takes any tail) or `$`/`\z` (no tail possible) — looking
 * through alternations, groups and optional elements. `/api/.*`, `/api$`,
 * `(/a|/b).*` and `.*` agree; `/api`, `/a.*|/b` and `/api(/.*)?` do not.
 * Only call this for patterns that are valid RE2.
 */

import { analysable } from './depth.ts';
import { bracketClose } from './brackets.ts';

type Atom =
  | { type: 'dot' | 'end' | 'other' | 'flags'; min: number; max: number }
  | { type: 'group'; alts: Atom[][]; min: number; max: number };

type Ending = 'absorbing' | 'not' | 'empty';

class Parser {
  i = 0;
  constructor(readonly p: string) {}

  alternatives(depth: number): Atom[][] {
    const alts: Atom[][] = [[]];
    const p = this.p;
    while (this.i < p.length) {
      const c = p[this.i];
      if (c === '|') {
        alts.push([]);
        this.i++;
        continue;
      }
      if (c === ')') {
        if (depth > 0) return alts;
        this.i++;
        continue;
      }
      const atom = this.atom(depth);
      if (atom) alts[alts.length - 1]!.push(this.quantifier(atom));
    }
    return alts;
  }

  private atom(depth: number): Atom | undefined {
    const p = this.p;
    const c = p[this.i]!;
    const one = (type: 'dot' | 'end' | 'other' | 'flags'): Atom => ({ type, min: 1, max: 1 });
    if (c === '(') {
      let j = this.i + 1;
      if (p[j] === '?') {
        j++;
        if (p[j] === 'P' || p[j] === '<') {
          const close = p.indexOf('>', j);
          j = close < 0 ? p.length : close + 1;
        } else {
          while (j < p.length && /[a-zA-Z-]/.test(p[j]!)) j++;
          if (p[j] === ')') {
            this.i = j + 1;
            return one('flags');
          }
          j++; // ':'
        }
      }
      this.i = j;
      const alts = this.alternatives(depth + 1);
      if (p[this.i] === ')') this.i++;
      return { type: 'group', alts, min: 1, max: 1 };
    }
    if (c === '[') {
      this.i = bracketClose(p, this.i) + 1;
      return one('other');
    }
    if (c === '\\') {
      const e = p[this.i + 1];
      this.i += 2;
      if (e === 'z') return one('end');
      if (e === 'Q') {
        const close = p.indexOf('\\E', this.i);
        this.i = close < 0 ? p.length : close + 2;
        return one('other');
      }
      if ((e === 'p' || e === 'P' || e === 'x') && p[this.i] === '{') {
        const close = p.indexOf('}', this.i);
        this.i = close < 0 ? p.length : close + 1;
      } else if (e === 'p' || e === 'P') {
        this.i++;
      } else if (e === 'x') {
        this.i += 2;
      } else if (e !== undefined && /[0-7]/.test(e)) {
        while (this.i < p.length && /[0-7]/.test(p[this.i]!)) this.i++;
      }
      return one('other');
    }
    this.i += c.codePointAt(0)! > 0xffff ? 2 : 1;
    if (c === '.') return one('dot');
    if (c === '$') return one('end');
    return one('other');
  }

  private quantifier(atom: Atom): Atom {
    const p = this.p;
    const c = p[this.i];
    let min = 1;
    let max = 1;
    if (c === '*') [min, max] = [0, Infinity];
    else if (c === '+') [min, max] = [1, Infinity];
    else if (c === '?') [min, max] = [0, 1];
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(p.slice(this.i, this.i + 16));
      if (!m) return atom;
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      this.i += m[0].length - 1;
    } else return atom;
    this.i++;
    if (p[this.i] === '?') this.i++; // non-greedy: same language
    return { ...atom, min: atom.min * min, max: atom.max * max };
  }
}

function endingOfAtom(atom: Atom): Ending {
  switch (atom.type) {
    case 'end': return 'absorbing';
    case 'dot': return atom.max === Infinity ? 'absorbing' : 'not';
    case 'group': return endingOfAlternatives(atom.alts);
    default: return 'not';
  }
}

/** Whether one occurrence of the atom (ignoring its quantifier) can consume no characters. */
function matchesEmpty(atom: Atom): boolean {
  if (atom.type === 'end' || atom.type === 'flags') return true;
  if (atom.type === 'group') return atom.alts.some((seq) => universal(seq) || seq.every((a) => a.min === 0 || matchesEmpty(a)));
  return false;
}

function endingOfSequence(seq: Atom[]): Ending {
  for (let k = seq.length - 1; k >= 0; k--) {
    const atom = seq[k]!;
    if (atom.type === 'flags') continue;
    // A dot repeated without bound absorbs any tail by itself, whatever its minimum.
    if (atom.type === 'dot' && atom.max === Infinity) return 'absorbing';
    const inner = endingOfAtom(atom);
    if (inner === 'not') return 'not';
    // An optional absorbing element that can itself match empty (`(.*)?`) is as good as a mandatory one.
    if (inner === 'absorbing' && (atom.min >= 1 || matchesEmpty(atom))) return 'absorbing';
    // The element may be absent (or end empty): the element before it decides too.
  }
  return 'empty';
}

/** `.*` (possibly with flag groups): matches every path, so a group holding it as an alternative does too. */
function universal(seq: Atom[]): boolean {
  return seq.some((a) => a.type === 'dot') && seq.every((a) => a.type === 'flags' || (a.type === 'dot' && a.min === 0 && a.max === Infinity));
}

function endingOfAlternatives(alts: Atom[][]): Ending {
  if (alts.some(universal)) return 'absorbing';
  let result: Ending = 'absorbing';
  for (const seq of alts) {
    const e = endingOfSequence(seq);
    if (e === 'not') return 'not';
    if (e === 'empty') result = 'empty';
  }
  return result;
}

const agnostic = new Map<string, boolean>();
/** Bound on remembered patterns (a long-running `--watch` or server sees many meshes). */
const MAX_REMEMBERED = 10_000;

/**
 * True when start-anchored and full-match readings of a (valid RE2) path regex
 * admit the same paths — or when the pattern nests groups too deep to analyse
 * (then nothing is claimed).
 */
export function anchoringAgnostic(pattern: string): boolean {
  // Meshes repeat the same few patterns across thousands of matches: each is analysed once per process.
  let known = agnostic.get(pattern);
  if (known === undefined) {
    known = !analysable(pattern) || endingOfAlternatives(new Parser(pattern).alternatives(0)) === 'absorbing';
    if (agnostic.size >= MAX_REMEMBERED) agnostic.clear();
    agnostic.set(pattern, known);
  }
  return known;
}

