import type { Severity } from '../core/types.ts';

/**
 * Parsers for the values of configuration settings, shared by the
 * command-line flags and the configuration file so both accept exactly the
 * same things. Each returns the value or what was expected instead.
 */
export type Parsed<T> = { value: T } | { error: ValueProblem };

/** What a value should have been and what it was (shown), for `{field} must be {expected} (got {actual})`. */
export interface ValueProblem { expected: string; actual: string }

export const FAIL_LEVELS: readonly Severity[] = ['error', 'warning', 'info'];

/** The largest --max-file-size: far above any manifest, and below V8's longest string. */
export const MAX_FILE_SIZE_CAP = 256 * 1024 * 1024;

export function parseFailLevel(input: unknown): Parsed<Severity> {
  if (typeof input === 'string' && (FAIL_LEVELS as string[]).includes(input)) return { value: input as Severity };
  return { error: { expected: `one of ${FAIL_LEVELS.join(', ')}`, actual: show(input) } };
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A Kubernetes namespace name (RFC 1123 label). */
export function parseNamespace(input: unknown): Parsed<string> {
  if (typeof input === 'string' && input.length <= 63 && DNS_LABEL.test(input)) return { value: input };
  return { error: { expected: "a Kubernetes namespace name (lower-case letters, digits and '-', at most 63 characters)", actual: show(input) } };
}

/** A DNS domain such as cluster.local (trust domain, cluster domain). */
export function parseDomain(input: unknown): Parsed<string> {
  if (typeof input === 'string' && input.length <= 253 && input.split('.').every((l) => l.length <= 63 && DNS_LABEL.test(l))) return { value: input };
  return { error: { expected: 'a DNS domain such as cluster.local', actual: show(input) } };
}

const SIZE_UNITS: Record<string, number> = { '': 1, k: 1e3, K: 1e3, M: 1e6, G: 1e9, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3 };

/** Bytes: an integer, optionally with a suffix k/M/G (powers of 1000) or Ki/Mi/Gi (powers of 1024). */
export function parseSize(input: unknown): Parsed<number> {
  let bytes: number | undefined;
  if (typeof input === 'number') bytes = input;
  else if (typeof input === 'string') {
    const m = /^\s*(\d+)\s*(k|K|M|G|Ki|Mi|Gi)?\s*$/.exec(input);
    if (m) bytes = Number(m[1]) * SIZE_UNITS[m[2] ?? '']!;
  }
  if (bytes === undefined || !Number.isSafeInteger(bytes) || bytes < 1) {
    return { error: { expected: 'a positive number of bytes, such as 16777216 or 16Mi', actual: show(input) } };
  }
  if (bytes > MAX_FILE_SIZE_CAP) return { error: { expected: `at most ${MAX_FILE_SIZE_CAP} (256Mi)`, actual: show(input) } };
  return { value: bytes };
}

/** 'Kind/namespace/name' with globs, as read by the rules (picomatch; '**' may span segments). */
export function parseExternalPattern(input: unknown): Parsed<string> {
  if (typeof input === 'string') {
    const parts = input.split('/');
    if ((parts.length === 3 && parts.every((p) => p.length > 0 && !/\s/.test(p))) || (input.includes('**') && !/\s/.test(input))) return { value: input };
  }
  return { error: { expected: 'Kind/namespace/name, globs allowed, such as ServiceAccount/monitoring/*', actual: show(input) } };
}

export function show(input: unknown): string {
  if (typeof input === 'string') return JSON.stringify(input);
  if (input === null || input === undefined) return 'nothing';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'a mapping';
  return String(input);
}
