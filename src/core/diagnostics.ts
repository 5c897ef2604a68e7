import { catalogEntry, formatMessage, type CatalogMessage, type Code, type MessageArgs } from './catalog/index.ts';
import { compareText as cmp } from './compare.ts';
import type { Diagnostic, ResourceRef, Severity, SourceRange } from './types.ts';
import { SEVERITY_RANK } from './types.ts';

export type ReportExtra = Pick<Diagnostic, 'related'> & { severity?: Severity };

/** Collects diagnostics; stages report instead of throwing. */
export class DiagnosticSink {
  readonly items: Diagnostic[] = [];

  /** Reports `code`; its message arguments are checked against the catalogue template at compile time. */
  report<C extends Code>(code: C, args: MessageArgs<C>, range: SourceRange | null, resource?: ResourceRef | null, extra?: ReportExtra): Diagnostic;
  /**
   * Transitional: a code held as a plain `string` (the IR builder's Reporter,
   * until the translator split types it). A literal code never takes this
   * signature: `string extends S` fails for a literal type, so a mistyped one
   * is still an error.
   */
  report<S extends string>(code: string extends S ? S : never, args: Record<string, unknown>, range: SourceRange | null, resource?: ResourceRef | null, extra?: ReportExtra): Diagnostic;
  report(code: string, args: Record<string, unknown>, range: SourceRange | null, resource: ResourceRef | null = null, extra: ReportExtra = {}): Diagnostic {
    return this.reportMessage({ code, args } as CatalogMessage, range, resource, extra);
  }

  /** Reports a finding handed on as data (a CatalogMessage built where its arguments were checked). */
  reportMessage(message: CatalogMessage, range: SourceRange | null, resource: ResourceRef | null = null, extra: ReportExtra = {}): Diagnostic {
    const { code, args } = message;
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
