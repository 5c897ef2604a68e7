import picomatch from 'picomatch';
import type { MeshcConfig } from '../../config/types.ts';
import { nameProblem } from '../../schema/kinds.ts';

type Matcher = (s: string) => boolean;

interface Compiled {
  whole: Matcher[];
  /** Per pattern: [kind, namespace] segment matchers, for "anything of this kind in this namespace" questions. */
  prefix: { kind: Matcher; namespace: Matcher; whole: Matcher; segmented: boolean }[];
}

const compiled = new WeakMap<MeshcConfig, Compiled>();

function compile(config: MeshcConfig): Compiled {
  let c = compiled.get(config);
  if (c) return c;
  const options = { dot: true };
  c = { whole: [], prefix: [] };
  for (const pattern of config.assumeExternal) {
    const whole = picomatch(pattern, options);
    c.whole.push(whole);
    const parts = pattern.split('/');
    const segmented = parts.length === 3;
    c.prefix.push({
      whole,
      segmented,
      kind: segmented ? picomatch(parts[0]!.replace(/\*\*/g, '*'), options) : () => false,
      namespace: segmented ? picomatch(parts[1]!.replace(/\*\*/g, '*'), options) : () => false,
    });
  }
  compiled.set(config, c);
  return c;
}

/**
 * `config.assumeExternal`: objects that live outside the given files,
 * written 'Kind/namespace/name' with globs (e.g. 'ServiceAccount/monitoring/*').
 * A reference to such an object is never reported as missing.
 */
export function isExternal(config: MeshcConfig, kind: string, namespace: string, name: string): boolean {
  if (config.assumeExternal.length === 0) return false;
  // A glob such as Service/shop/* matches the literal name "*" too, but no Kubernetes object anywhere can be
  // named so: such a reference stays "not found" (SMI has no wildcard references, smi#18).
  if (nameProblem(name, 'dns1123-subdomain') || (namespace !== '' && nameProblem(namespace, 'dns1123-label'))) return false;
  const subject = `${kind}/${namespace}/${name}`;
  return compile(config).whole.some((m) => m(subject));
}

/** Whether some object of one of these kinds in this namespace may be external (its properties are then unknown). */
export function mayHaveExternal(config: MeshcConfig, kinds: readonly string[], namespace: string): boolean {
  if (config.assumeExternal.length === 0) return false;
  return compile(config).prefix.some((p) =>
    kinds.some((kind) => (p.segmented ? p.kind(kind) && p.namespace(namespace) : p.whole(`${kind}/${namespace}/x`))));
}
