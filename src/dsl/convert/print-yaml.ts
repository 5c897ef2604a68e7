/** Kubernetes-style objects → one multi-document YAML text (`meshc export`), deterministic. */
import { stringify } from 'yaml';

export function printYaml(objects: Record<string, unknown>[], header: string[] = []): string {
  const docs = objects.map((o) => stringify(o, { lineWidth: 0, aliasDuplicateObjects: false, indentSeq: true }));
  return `${header.map((h) => `# ${h}\n`).join('')}${docs.map((d, i) => (i === 0 ? d : `---\n${d}`)).join('')}`;
}
