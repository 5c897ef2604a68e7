/** test/corpus: walking it, the verdicts its README gives, and the implied apiVersion of the SMI prose examples. */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ROOT } from './cli.ts';

export const CORPUS = join(ROOT, 'test/corpus');

/** Every file under test/corpus matching `pattern` (default: YAML), relative to it, sorted. */
export function corpusFiles(pattern = /\.ya?ml$/, dir = CORPUS, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) corpusFiles(pattern, full, out);
    else if (pattern.test(name)) out.push(relative(CORPUS, full));
  }
  return out;
}

export type Verdict = 'does-not-parse' | 'invalid' | 'odd' | 'valid';

export interface CorpusVerdicts {
  verdictOf(file: string): Verdict;
  /** Files with at least one document without apiVersion (the README's own list). */
  withoutApiVersion: Set<string>;
  listed: Record<Exclude<Verdict, 'valid'>, string[]>;
}

/** The file lists of the "Files with known problems" section of test/corpus/README.md. */
export function corpusVerdicts(): CorpusVerdicts {
  const readme = readFileSync(join(CORPUS, 'README.md'), 'utf8');
  const section = (title: RegExp): string[] => {
    const start = readme.search(title);
    if (start < 0) throw new Error(`corpus README: no section ${title}`);
    const rest = readme.slice(start).split('\n').slice(1);
    const end = rest.findIndex((l) => l.startsWith('#'));
    return rest.slice(0, end < 0 ? undefined : end).flatMap((l) => /^- `([^`]+)`$/.exec(l)?.[1] ?? []);
  };
  const listed = {
    'does-not-parse': section(/^### Do not parse as YAML$/m),
    invalid: section(/^### Parse, but are invalid/m),
    odd: section(/^### Parse and are accepted by at least one schema, but are unusual$/m),
  };
  const withoutApiVersion = new Set(section(/^### Kubernetes-style documents without `apiVersion`$/m));
  return {
    listed,
    withoutApiVersion,
    verdictOf: (file) => (Object.keys(listed) as (keyof typeof listed)[]).find((v) => listed[v].includes(file)) ?? 'valid',
  };
}

/** The apiVersion a prose example's document implies (see the "compatible with" line of each SMI document). */
export function impliedApiVersion(file: string, kind: string): string | undefined {
  const m = /^smi-spec\/traffic-(access|specs|split)\/(v1alpha\d)\//.exec(file);
  if (file.startsWith('osm-demo/docs-app-protocol-selection')) return kind === 'TrafficTarget' ? 'access.smi-spec.io/v1alpha3' : 'specs.smi-spec.io/v1alpha4';
  if (!m) return undefined;
  const [, area, version] = m;
  if (kind === 'TrafficTarget' || kind === 'IdentityBinding') return `access.smi-spec.io/${version}`;
  if (kind === 'TrafficSplit') return `split.smi-spec.io/${version}`;
  if (area === 'specs') return `specs.smi-spec.io/${version}`;
  if (area === 'split') return `specs.smi-spec.io/${version}`; // split v1alpha3 ↔ specs v1alpha3, v1alpha4 ↔ v1alpha4
  // traffic-access: v1alpha1 ↔ specs v1alpha1/v1alpha2 (flat), v1alpha2 ↔ specs v1alpha3, v1alpha3/v1alpha4 ↔ specs v1alpha4
  return { v1alpha1: 'specs.smi-spec.io/v1alpha1', v1alpha2: 'specs.smi-spec.io/v1alpha3' }[version!] ?? 'specs.smi-spec.io/v1alpha4';
}

/**
 * A copy of the file with the implied apiVersion inserted before each document
 * that lacks one, and a function mapping a line of the copy back to the original.
 */
export function withApiVersion(file: string, text: string): { text: string; originalLine(line: number): number } | undefined {
  const inserts: [number, string][] = [];
  for (const doc of parseAllDocuments(text)) {
    const kind = doc.errors.length === 0 ? doc.get('kind') : undefined;
    const start = doc.contents?.range?.[0];
    if (doc.has('apiVersion') || typeof kind !== 'string' || start === undefined) continue;
    const apiVersion = impliedApiVersion(file, kind);
    if (!apiVersion) continue;
    const column = start - (text.lastIndexOf('\n', start - 1) + 1);
    inserts.push([start, `apiVersion: ${apiVersion}\n${' '.repeat(column)}`]);
  }
  if (inserts.length === 0) return undefined;
  let out = text;
  for (const [at, line] of [...inserts].reverse()) out = out.slice(0, at) + line + out.slice(at);
  // Line (1-based, in the copy) of each inserted apiVersion line.
  const added = inserts.map(([at], i) => text.slice(0, at).split('\n').length + i);
  return { text: out, originalLine: (line) => line - added.filter((a) => a < line).length };
}
