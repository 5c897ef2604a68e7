/**
 * Typed access to the validators compiled from schemas/ at build time
 * (scripts/prebuild-schemas.mjs): `meshc check` never loads ajv itself.
 *
 * Each schema's validator is its own module, loaded (synchronously, with
 * require) the first time a document of that kind and version is validated:
 * V8 compiles only the validators a run needs, not all 2.4 MB of them
 * (start-up of a one-file check). From source (tests, benchmarks under tsx)
 * the modules are generated/validators/<key>.ts; in the bundle they are
 * dist/validators/<key>.cjs, which scripts/build.mjs writes and points
 * MESHC_VALIDATORS_DIR at (relative to the chunk this file is bundled into).
 */
import { createRequire } from 'node:module';
import { SCHEMA_KEYS } from './generated/validators.ts';

/** The part of an ajv error object meshc reads. */
export interface AjvError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: Record<string, unknown>;
}

export type Validator = ((data: unknown) => boolean) & { errors?: AjvError[] | null };

type ClosedFields = Readonly<Record<string, readonly string[]>>;

/** What one generated module exports. */
interface SchemaModule {
  validate: Validator;
  closedFields: ClosedFields;
}

const requireHere = createRequire(import.meta.url);
const bundledDir = process.env.MESHC_VALIDATORS_DIR;
const loaded = new Map<string, SchemaModule>();

function schemaModule(key: string): SchemaModule {
  let found = loaded.get(key);
  if (!found) {
    const file = bundledDir ? `${bundledDir}${key}.cjs` : `./generated/validators/${key}.ts`;
    found = requireHere(file) as SchemaModule;
    loaded.set(key, found);
  }
  return found;
}

/** A table with one entry per schema key whose value is computed from that schema's module on first read. */
function lazyTable<T>(pick: (m: SchemaModule) => T): Readonly<Record<string, T>> {
  const table: Record<string, T> = {};
  for (const key of SCHEMA_KEYS) {
    Object.defineProperty(table, key, { enumerable: true, get: () => pick(schemaModule(key)) });
  }
  return Object.freeze(table);
}

/** Validator of each schema, by its path under schemas/ without ".json" (see schemaKey in kinds.ts). */
export const VALIDATORS = lazyTable((m) => m.validate);

/** Fields of each closed object: schema key → ajv schemaPath of the object → field names. */
export const CLOSED_FIELDS = lazyTable((m) => m.closedFields);

/** The schema keys whose module this process has loaded so far (tests: a run loads only the kinds it meets). */
export function loadedSchemaKeys(): string[] {
  return [...loaded.keys()].sort();
}
