import type { Severity } from '../types.ts';

/**
 * One entry of the diagnostic catalogue. Codes are stable and never reused:
 * a retired code stays in its file with `retired: true`.
 */
export interface CatalogEntry {
  code: string;
  /** kebab-case rule name, shown in text output and used as SARIF rule name. */
  name: string;
  severity: Severity;
  /** Message template; `{key}` is replaced by the argument of that name. */
  message: string;
  /** What it means, why it matters, how to fix it (printed by `meshc explain`). */
  doc: string;
  /** Which stage or rule module reports it. */
  area: string;
  retired?: boolean;
  /** Findings that make the run's view of the mesh incomplete exit with 2, whatever --fail-level says. */
  incomplete?: boolean;
}
