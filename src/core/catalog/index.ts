import type { CatalogEntry } from './types.ts';
import { loadingCatalog } from './loading.ts';
import { schemaCatalog } from './schema.ts';
import { accessCatalog } from './access.ts';
import { specsCatalog } from './specs.ts';
import { splitCatalog } from './split.ts';
import { topologyCatalog } from './topology.ts';
import { reachCatalog } from './reach.ts';
import { policyTestCatalog } from './policy-test.ts';
import { compileCatalog } from './compile.ts';
import { dslCatalog } from './dsl.ts';
import { cliCatalog } from './cli.ts';
import { diffCatalog } from './diff.ts';
import { gammaCatalog } from './gamma.ts';

export type { CatalogEntry } from './types.ts';

/**
 * The diagnostic catalogue: every code meshc can report. Each area keeps its
 * entries in a file of its own (add yours to AREAS); codes are never reused.
 */
const AREAS: CatalogEntry[][] = [
  loadingCatalog, schemaCatalog, accessCatalog, specsCatalog, splitCatalog, topologyCatalog, reachCatalog, policyTestCatalog, compileCatalog, dslCatalog, cliCatalog, gammaCatalog, diffCatalog,
];

const byCode = new Map<string, CatalogEntry>();
for (const area of AREAS) {
  for (const entry of area) {
    if (byCode.has(entry.code)) throw new Error(`catalogue: code ${entry.code} defined twice`);
    byCode.set(entry.code, entry);
  }
}

export function catalogEntry(code: string): CatalogEntry {
  const entry = byCode.get(code);
  if (!entry) throw new Error(`catalogue: unknown code ${code}`);
  return entry;
}

export function findCatalogEntry(codeOrName: string): CatalogEntry | undefined {
  const upper = codeOrName.toUpperCase();
  return byCode.get(upper) ?? [...byCode.values()].find((e) => e.name === codeOrName);
}

/** Every code, sorted by code. */
export function allCatalogEntries(): CatalogEntry[] {
  return [...byCode.values()].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

/** Fills `{key}` placeholders; unknown keys stay visible so a typo shows in tests. */
export function formatMessage(template: string, args: Record<string, unknown>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in args ? String(args[key]) : whole));
}
