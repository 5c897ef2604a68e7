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
import { osmCatalog } from './osm.ts';
import { diffCatalog } from './diff.ts';
import { gammaCatalog } from './gamma.ts';

export type { CatalogEntry } from './types.ts';

/**
 * The diagnostic catalogue: every code meshc can report. Each area keeps its
 * entries in a file of its own (add yours to AREAS); codes are never reused.
 * Each area's array is `<const>[...]` so its codes and message templates stay
 * literal types; `satisfies` checks every entry's shape here.
 */
const AREAS = [
  loadingCatalog, schemaCatalog, accessCatalog, specsCatalog, splitCatalog, topologyCatalog, reachCatalog, policyTestCatalog, compileCatalog, dslCatalog, cliCatalog, osmCatalog, gammaCatalog, diffCatalog,
] as const satisfies readonly (readonly CatalogEntry[])[];

type AnyEntry = (typeof AREAS)[number][number];
/** Entries a stage may still report (a retired code stays in the catalogue for `explain`, never in new findings). */
type LiveEntry = Exclude<AnyEntry, { retired: true }>;

/** Every code meshc reports: a mistyped code at a `report()` call is a type error. */
export type Code = LiveEntry['code'];

type WordChar = 'a' | 'b' | 'c' | 'd' | 'e' | 'f' | 'g' | 'h' | 'i' | 'j' | 'k' | 'l' | 'm' | 'n' | 'o' | 'p' | 'q' | 'r' | 's' | 't' | 'u' | 'v' | 'w' | 'x' | 'y' | 'z'
  | 'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'G' | 'H' | 'I' | 'J' | 'K' | 'L' | 'M' | 'N' | 'O' | 'P' | 'Q' | 'R' | 'S' | 'T' | 'U' | 'V' | 'W' | 'X' | 'Y' | 'Z'
  | '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '_';
/** True for what formatMessage's `\{(\w+)\}` takes as a key (so `defineMesh({ … })` in a message is text). */
type IsWord<S extends string> = S extends `${infer C}${infer Rest}` ? (C extends WordChar ? (Rest extends '' ? true : IsWord<Rest>) : false) : false;

/** The `{key}` placeholders of a message template, as a union of key names. */
type Placeholders<T extends string> = T extends `${string}{${infer Key}}${infer Rest}`
  ? (IsWord<Key> extends true ? Key : never) | Placeholders<Rest>
  : never;

/** A value a placeholder is filled with. */
export type MessageArg = string | number | boolean;

/**
 * The arguments the message of `C` needs: one per placeholder, each required.
 * For a union of codes, the union of their argument sets (a stage that reports
 * one of several codes hands on arguments that fit one of them).
 */
export type MessageArgs<C extends Code> = C extends Code ? { [K in Placeholders<Extract<LiveEntry, { code: C }>['message']>]: MessageArg } : never;

/** A code with its message arguments, for stages that hand findings on before they are reported. */
export type CatalogMessage = { [C in Code]: { code: C; args: MessageArgs<C> } }[Code];

/** Builds a CatalogMessage with its arguments checked against the code's template. */
export function catalogMessage<C extends Code>(code: C, args: MessageArgs<C>): CatalogMessage {
  return { code, args } as CatalogMessage;
}

const byCode = new Map<string, CatalogEntry>();
for (const area of AREAS as readonly (readonly CatalogEntry[])[]) {
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
