import type { CatalogEntry } from '../core/catalog/index.ts';

/** One-sentence summary of a catalogue entry: the first sentence of its doc. */
export function summaryOf(entry: CatalogEntry): string {
  const doc = entry.doc.replace(/\s+/g, ' ').trim();
  // A sentence ends at . ! ? followed by a space, outside `code` spans.
  let inCode = false;
  for (let i = 0; i < doc.length; i++) {
    const c = doc[i];
    if (c === '`') inCode = !inCode;
    else if (!inCode && (c === '.' || c === '!' || c === '?') && doc[i + 1] === ' ') return doc.slice(0, i + 1);
  }
  return doc;
}
