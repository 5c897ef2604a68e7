import type { Rule } from '../types.ts';
import { checkRe2 } from '../../regex/re2.ts';
import { analysable } from '../../regex/depth.ts';

/**
 * Does every way a (valid RE2) pattern can match go through a literal `?`
 * (`\?`, `[?]`, `\x3F`)? A request path never holds one: the query string is
 * cut off before matching (meshc `why`, Envoy path matchers, OSM), so such a
 * pathRegex can never match. Structural and conservative: a `?` inside an
 * optional part (`(\?.*)?`) or in only some alternatives does not count.
 */
class Scanner {
  i = 0;
  constructor(readonly p: string) {}

  /** Alternatives up to ')' or the end: true when every one requires a literal '?'. */
  alternatives(): boolean {
    let all = true;
    let current = false;
    while (this.i < this.p.length) {
      const c = this.p[this.i];
      if (c === ')') break;
      if (c === '|') {
        all &&= current;
        current = false;
        this.i++;
        continue;
      }
      const requiresQ = this.atom();
      const min = this.quantifierMin();
      if (requiresQ && min > 0) current = true;
    }
    return all && current;
  }

  /** One atom; true when it requires a literal '?'. */
  private atom(): boolean {
    const p = this.p;
    const c = p[this.i]!;
    if (c === '\\') {
      const n = p[this.i + 1];
      this.i += 2;
      if (n === '?') return true;
      if (n === 'x') {
        const braced = /^\{0*3[fF]\}/.exec(p.slice(this.i));
        if (braced) { this.i += braced[0].length; return true; }
        if (/^3[fF]/.test(p.slice(this.i, this.i + 2))) { this.i += 2; return true; }
        if (p[this.i] === '{') this.i = p.indexOf('}', this.i) + 1;
        else this.i += 2;
        return false;
      }
      if ((n === 'p' || n === 'P') && p[this.i] === '{') this.i = p.indexOf('}', this.i) + 1;
      else if (n === 'Q') {
        const end = p.indexOf('\\E', this.i);
        const text = p.slice(this.i, end < 0 ? p.length : end);
        this.i = end < 0 ? p.length : end + 2;
        return text.includes('?');
      }
      return false;
    }
    if (c === '[') return this.charClass();
    if (c === '(') {
      this.i++;
      if (p[this.i] === '?') {
        // (?:…), (?P<name>…), (?<name>…), (?i)…, (?i:…)
        const m = /^\?(P?<[^>]*>|[a-zA-Z-]*:?)/.exec(p.slice(this.i))!;
        this.i += m[0].length;
        if (p[this.i] === ')' && !m[0].endsWith(':') && !m[0].includes('<')) {
          this.i++;
          return false; // flags only
        }
      }
      const inner = this.alternatives();
      this.i++; // ')'
      return inner;
    }
    this.i++;
    return false;
  }

  /** A bracket expression; true when it matches nothing but '?'. */
  private charClass(): boolean {
    const p = this.p;
    this.i++;
    const negated = p[this.i] === '^';
    if (negated) this.i++;
    const start = this.i;
    if (p[this.i] === ']') this.i++;
    while (this.i < p.length && p[this.i] !== ']') {
      if (p[this.i] === '\\') this.i += 2;
      else if (p[this.i] === '[' && p[this.i + 1] === ':') this.i = p.indexOf(':]', this.i + 2) + 2;
      else this.i++;
    }
    const body = p.slice(start, this.i);
    this.i++;
    return !negated && (body === '?' || body === '\\?');
  }

  /** The minimum repeat count of an optional quantifier after an atom (1 when there is none). */
  private quantifierMin(): number {
    const p = this.p;
    const c = p[this.i];
    let min = 1;
    if (c === '*' || c === '?') { min = 0; this.i++; }
    else if (c === '+') this.i++;
    else if (c === '{') {
      const m = /^\{(\d+)(,\d*)?\}/.exec(p.slice(this.i));
      if (!m) return 1;
      min = Number(m[1]);
      this.i += m[0].length;
    } else return 1;
    if (p[this.i] === '?') this.i++; // lazy
    return min;
  }
}

export function requiresLiteralQuestionMark(pattern: string): boolean {
  // Too deeply nested to scan without deep recursion: claim nothing.
  return analysable(pattern) && new Scanner(pattern).alternatives();
}

/** MESH0311: a pathRegex that needs a literal "?" can never match a path (the query string is never part of it). */
export const pathRegexQueryString: Rule = {
  id: 'path-regex-query-string',
  description: 'pathRegex that requires a literal "?": the path never includes the query string, so it can never match',
  codes: ['MESH0311'],
  inputs: ['httpRouteGroups'],
  run(ctx) {
    for (const group of ctx.mesh.httpRouteGroups) {
      group.matches.forEach((m, i) => {
        if (!m.pathRegex || !/\?|\\x/.test(m.pathRegex)) return;
        // Invalid RE2 is MESH0303's finding.
        if (!checkRe2(m.pathRegex).ok || !requiresLiteralQuestionMark(m.pathRegex)) return;
        const cut = m.pathRegex.search(/\\\?|\[\\?\?\]|\\x\{?0*3[fF]/);
        // Suggest the part before the "?" only when it is a plain literal path.
        const suggestion = cut > 0 && !/[()[\]{}|*+^$\\]/.test(m.pathRegex.slice(0, cut)) ? m.pathRegex.slice(0, cut) : '';
        ctx.report('MESH0311', {
          pattern: JSON.stringify(m.pathRegex), match: m.name,
          fix: suggestion ? `match the path alone (for example ${JSON.stringify(suggestion)})` : 'match the path alone',
        }, { meta: group.meta, path: ['spec', 'matches', i, 'pathRegex'] });
      });
    }
  },
};
