import { catalogEntry, formatMessage } from './catalog/index.ts';
import { compareText as cmp } from './compare.ts';
import type { Diagnostic, ResourceRef, Severity, SourceRange } from './types.ts';
import { SEVERITY_RANK } from './types.ts';

/** Collects diagnostics; stages report instead of throwing. */
export class DiagnosticSink {
  readonly items: Diagnostic[] = [];

  report(
    code: string,
    args: Record<string, unknown>,
    range: SourceRange | null,
    resource: ResourceRef | null = null,
    extra: Pick<Diagnostic, 'related'> & { severity?: Severity } = {},
  ): Diagnostic {
    const entry = catalogEntry(code);
    const diagnostic: Diagnostic = {
      code,
      severity: extra.severity ?? entry.severity,
      message: formatMessage(entry.message, args),
      range,
      resource,
    };
    if (extra.related && extra.related.length > 0) diagnostic.related = extra.related;
    this.items.push(diagnostic);
    return diagnostic;
  }

  push(diagnostics: Iterable<Diagnostic>): void {
    // A loop, not push(...list): spreading 100,000+ items overflows the call stack.
    for (const d of diagnostics) this.items.push(d);
  }
}

/** Deterministic order: file, line, column, code, message. File-less findings first. */
export function sortDiagnostics(list: Diagnostic[]): Diagnostic[] {
  return [...list].sort((a, b) => {
    const ra = a.range;
    const rb = b.range;
    if (!ra || !rb) {
      if (ra !== rb) return ra ? 1 : -1;
    } else {
      const d = cmp(ra.file, rb.file) || cmp(ra.line, rb.line) || cmp(ra.column, rb.column);
      if (d) return d;
    }
    return cmp(a.code, b.code) || cmp(a.message, b.message);
  });
}

/** Removes exact duplicates (same code, place and message). */
export function dedupeDiagnostics(list: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return list.filter((d) => {
    const key = JSON.stringify([d.code, d.range, d.message]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function atOrAbove(severity: Severity, level: Severity): boolean {
  return SEVERITY_RANK[severity] >= SEVERITY_RANK[level];
}
