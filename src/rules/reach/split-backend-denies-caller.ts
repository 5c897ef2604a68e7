import { splitRootKey } from '../../reach/compute.ts';
import type { Rule } from '../types.ts';
import { identityKeyProblem } from '../../reach/identity-name.ts';
import { SUBJECTS_EXIST_RULE } from '../util/refs.ts';
import { percent, reachabilityOf } from './shared.ts';
import { listNames } from '../util/text.ts';

/**
 * MESH0606: callers allowed to a TrafficSplit root (or some backend) whom a
 * weighted backend's identity does not admit: that share of their requests fails.
 */
export const splitBackendDeniesCaller: Rule = {
  id: 'split-backend-denies-caller',
  description: 'TrafficSplit backends whose identity does not admit callers allowed to the root',
  codes: ['MESH0606'],
  inputs: ['trafficSplits'],
  run(ctx) {
    if (ctx.config.permissive) return;
    const reach = reachabilityOf(ctx);
    // split key → backend index → callers
    const denied = new Map<string, Map<number, Set<string>>>();
    // split key → weight the shares are out of (backends that take no traffic on the port are excluded)
    const outOf = new Map<string, number>();
    // A source that cannot be an identity (`"*"`) is MESH0212's finding, not a caller: one finding, not two.
    const subjectsChecked = !ctx.config.disableRules.includes(SUBJECTS_EXIST_RULE);
    for (const [source, list] of Object.entries(reach.outbound)) {
      // Only split roots have verdicts: the (costlier) name check waits for the first.
      let checked = false;
      for (const pa of list) {
        const v = pa.split;
        if (!v) continue;
        if (!checked) {
          if (subjectsChecked && identityKeyProblem(source)) break;
          checked = true;
        }
        const anyAllowed = v.rules.some((r) => r.allowedWeight > 0);
        v.rules.forEach((rv, r) => {
          if (rv.totalWeight <= 0 || (!anyAllowed && pa.grants.length === 0)) return;
          // The TrafficSplit (for a GAMMA route, the lowered rule) whose backend denies: one finding per backend of it.
          const key = reach.splits[pa.service]!.rules[r]!.split;
          rv.backends.forEach((b, i) => {
            if (b.denied !== 'no-grant' || b.weight <= 0) return;
            if (!outOf.has(key)) outOf.set(key, rv.totalWeight);
            let perBackend = denied.get(key);
            if (!perBackend) denied.set(key, (perBackend = new Map()));
            let callers = perBackend.get(i);
            if (!callers) perBackend.set(i, (callers = new Set()));
            callers.add(source);
          });
        });
      }
    }
    if (denied.size === 0) return;
    const splits = ctx.index.trafficSplits;
    for (const [key, perBackend] of [...denied].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const split = splits.get(key)!;
      const info = reach.splits[splitRootKey(split)]!;
      const rule = info.rules.find((r) => r.split === key)!;
      for (const [i, callers] of [...perBackend].sort(([a], [b]) => a - b)) {
        const names = [...callers].sort();
        const backend = rule.backends[i]!;
        ctx.report('MESH0606', {
          callers: listNames(names), root: info.root, percent: percent(backend.weight, outOf.get(key) ?? rule.totalWeight),
          backend: backend.service, who: names.length === 1 ? names[0] : 'them',
        }, { meta: split.meta, path: ['spec', 'backends', i] });
      }
    }
  },
};
