/**
 * Typed access to the validators compiled from schemas/ at build time
 * (scripts/prebuild-schemas.mjs): `meshc check` never loads ajv itself.
 */
import { closedFields, validators } from './generated/validators.ts';

/** The part of an ajv error object meshc reads. */
export interface AjvError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: Record<string, unknown>;
}

export type Validator = ((data: unknown) => boolean) & { errors?: AjvError[] | null };

export const VALIDATORS = validators as unknown as Readonly<Record<string, Validator>>;

/** Fields of each closed object: schema key → ajv schemaPath of the object → field names. */
export const CLOSED_FIELDS = closedFields as unknown as Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
