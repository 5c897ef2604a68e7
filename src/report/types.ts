import type { Diagnostic } from '../core/types.ts';

export type OutputFormat = 'text' | 'json' | 'sarif' | 'github';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['text', 'json', 'sarif', 'github'];

export interface ReportSummary {
  errors: number;
  warnings: number;
  infos: number;
  /** Files read. */
  files: number;
  /** Resources modelled. */
  resources: number;
}

/** What a command reports: the findings left after suppression, and counts. */
export interface Report {
  diagnostics: Diagnostic[];
  summary: ReportSummary;
  /** Findings hidden by suppressions (shown in the summary line only). */
  suppressed: number;
  /** False when the run could not see the whole input (exit code 2): SARIF executionSuccessful. */
  complete: boolean;
}

export interface RenderContext {
  /** Working directory: files in diagnostics are relative to it. */
  cwd: string;
  /** Colour (text format only). */
  color: boolean;
  toolVersion: string;
  /** Directory SARIF URIs are relative to (the repository root); defaults to cwd. */
  rootDir?: string;
}

export function summarize(diagnostics: Diagnostic[], files: number, resources: number): ReportSummary {
  const count = (s: string) => diagnostics.filter((d) => d.severity === s).length;
  return { errors: count('error'), warnings: count('warning'), infos: count('info'), files, resources };
}
