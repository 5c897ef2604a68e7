// Markdown helpers shared by scripts/readme.mjs and the README test: headings
// with the anchors GitHub gives them, and the links of a document, both
// outside code fences and code spans.

/** GitHub's anchor for a heading text (github-slugger): lower case, punctuation dropped, each space a hyphen. */
export function slug(text) {
  return plainText(text).toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
}

/** A heading's text as rendered: code spans, emphasis and links reduced to their text. */
function plainText(text) {
  return text
    .replace(/`([^`]*)`/g, '$1')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__|\*|_)(\S(?:.*?\S)?)\1/g, '$2')
    .trim();
}

/** The lines of a document outside fenced code blocks, with their 1-based numbers. */
function proseLines(text) {
  const out = [];
  let fence = null;
  text.split('\n').forEach((line, i) => {
    const f = /^\s*(```|~~~)/.exec(line);
    if (f) {
      fence = fence === f[1] ? null : fence ?? f[1];
      return;
    }
    if (!fence) out.push({ line, number: i + 1 });
  });
  return out;
}

/** Headings (ATX, outside code fences): level, text and anchor, duplicates numbered as GitHub does. */
export function headings(text) {
  const seen = new Map();
  const out = [];
  for (const { line } of proseLines(text)) {
    const h = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (!h) continue;
    const base = slug(h[2]);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.push({ level: h[1].length, text: h[2], anchor: n === 0 ? base : `${base}-${n}` });
  }
  return out;
}

/** Inline links `[text](target)` outside code: target and line, absolute URLs included. */
export function links(text) {
  const out = [];
  for (const { line, number } of proseLines(text)) {
    const prose = line.replace(/`[^`]*`/g, '');
    for (const m of prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) out.push({ target: m[1], line: number });
  }
  return out;
}
