/**
 * Reachability benchmarks (issue "check, part 2", sections 2 and 3):
 * - computeReachability + the reachability rules vs the yaml package parsing the same files (target ≤ 3x);
 * - `why` answers on the loaded mesh: the slowest of many questions vs that parse time
 *   (target: well under a second; printed as the ratio of one answer to the parse and as milliseconds);
 * - graph construction (json) vs the parse.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { generateMesh } from './generate.ts';
import { compare, median, mb, timeIt, verdict } from './lib/measure.ts';
import { loadMesh } from '../src/index.ts';
import { computeReachability } from '../src/reach/index.ts';
import { ReachQuery } from '../src/reach/query.ts';
import { meshGraph, renderGraph } from '../src/graph/index.ts';
import { DiagnosticSink } from '../src/core/diagnostics.ts';
import { makeRuleContext } from '../src/rules/types.ts';
import { RULES } from '../src/rules/registry.ts';
import { MeshIndex } from '../src/model/index-lookup.ts';

const services = Number(process.env.BENCH_SERVICES ?? 5000);
const dir = mkdtempSync(join(tmpdir(), 'meshc-bench-reach-'));
try {
  const gen = generateMesh(dir, { services });
  console.log(`mesh: ${services} services, ${gen.trafficTargets} TrafficTargets, ${gen.files.length} files, ${mb(gen.bytes)}`);
  const loaded = await loadMesh([dir]);
  const reachRules = RULES.filter((r) => r.codes.some((c) => c.startsWith('MESH06')));

  const yamlParse = () => {
    for (const f of gen.files) for (const d of parseAllDocuments(readFileSync(f, 'utf8'))) d.toJS();
  };
  // A fresh index per run: reachability is computed once per index (shared by the rules of one lint run), so a
  // new one recomputes it, as a check of a new model (after a semantic edit) does.
  const freshRun = (rules: typeof RULES) => () => {
    const ctx = makeRuleContext(loaded.mesh, new MeshIndex(loaded.mesh), loaded.sources, loaded.config, new DiagnosticSink());
    for (const rule of rules) if (!(rule.inputs.length > 0 && rule.inputs.every((k) => loaded.mesh[k].length === 0))) rule.run(ctx);
  };
  const t = await compare(5, {
    yaml: yamlParse,
    reach: () => computeReachability(loaded.mesh, loaded.index, loaded.config),
    reachRules: freshRun(reachRules),
    lint: freshRun(RULES),
  });
  console.log(`yaml parse: ${t.yaml!.toFixed(0)} ms; computeReachability: ${t.reach!.toFixed(0)} ms; reachability + reach rules (MESH06xx): ${t.reachRules!.toFixed(0)} ms; every rule (lint of a new model): ${t.lint!.toFixed(0)} ms`);
  console.log(verdict('reachability + reach rules / yaml parse', t.reachRules! / t.yaml!, 3));
  console.log(`lint of a new model / yaml parse: ${(t.lint! / t.yaml!).toFixed(2)}x`);

  // why: many different questions (allowed, denied, split roots), after loading.
  const reach = computeReachability(loaded.mesh, loaded.index, loaded.config);
  const query = new ReachQuery(reach, loaded.index);
  const sources = Object.keys(reach.outbound);
  const serviceKeys = Object.keys(reach.services);
  const roots = Object.keys(reach.splits);
  const whyTimes: number[] = [];
  for (let i = 0; i < 60; i++) {
    const from = sources[(i * 7919) % sources.length]!;
    const to = i % 3 === 0 ? reach.outbound[from]![0]!.service : i % 3 === 1 ? roots[i % roots.length]! : serviceKeys[(i * 104729) % serviceKeys.length]!;
    whyTimes.push(await timeIt(() => query.why({ from, to, request: { method: 'GET', path: '/items/1' } })));
  }
  const firstQuery = await timeIt(() => new ReachQuery(reach, loaded.index).why({ from: 'ns-0/nobody', to: 'ns-0/nothing' }));
  const slowest = Math.max(...whyTimes);
  console.log(`why: median ${median(whyTimes).toFixed(1)} ms, slowest ${slowest.toFixed(1)} ms over ${whyTimes.length} questions; unknown names with suggestions ${firstQuery.toFixed(1)} ms`);
  console.log(verdict('slowest why / yaml parse', slowest / t.yaml!, 0.1));

  const g = await compare(3, { yaml: yamlParse, graph: () => renderGraph(meshGraph(reach, loaded.index), 'json') });
  console.log(`graph (json) of the whole mesh: ${g.graph!.toFixed(0)} ms`);
  console.log(verdict('graph json / yaml parse', g.graph! / g.yaml!, 3));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
