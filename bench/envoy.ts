/**
 * Envoy API layer benchmarks:
 * - loading the Envoy API from the prebuilt descriptor bundle vs from the
 *   .proto text (fresh processes, so each load is cold);
 * - validating a resource (strict read + PGV + Envoy checks) vs encoding it,
 *   on the real listeners and route configurations of an OSM config dump.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { compare, verdict } from './lib/measure.ts';
import { loadValidator } from '../src/envoy/validate/index.ts';

const probe = (source: string) => () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', `
    const { loadEnvoyApi } = await import(${JSON.stringify(new URL('../src/envoy/protos/index.ts', import.meta.url).href)});
    const t = performance.now(); const api = await loadEnvoyApi({ source: '${source}' });
    process.stdout.write(String(performance.now() - t) + ' ' + api.source);`], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  const [ms, got] = r.stdout.trim().split(' ');
  if (got !== source) throw new Error(`asked for ${source}, loaded ${got} (run node scripts/build.mjs to write the bundle)`);
  return Number(ms);
};
const loads: Record<string, number[]> = { bundle: [], protos: [] };
await compare(5, { bundle: () => loads.bundle!.push(probe('bundle')()), protos: () => loads.protos!.push(probe('protos')()) });
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(`load Envoy API: bundle ${med(loads.bundle!).toFixed(0)} ms, .proto text ${med(loads.protos!).toFixed(0)} ms (in-process time, fresh processes)`);
console.log(verdict('bundle / .proto load', med(loads.bundle!) / med(loads.protos!), 0.75));

const v = await loadValidator();
const dump = JSON.parse(readFileSync(new URL('../test/corpus/envoy-examples/sample-envoy-config-dump-bookstore.json', import.meta.url), 'utf8'));
const resources: unknown[] = [];
for (const c of dump.configs) {
  if (String(c['@type']).endsWith('.ListenersConfigDump')) for (const l of c.dynamic_listeners) resources.push(l.active_state.listener);
  if (String(c['@type']).endsWith('.RoutesConfigDump')) for (const r of c.dynamic_route_configs) resources.push(r.route_config);
}
const rounds = 50;
const times = await compare(5, {
  encode: () => { for (let i = 0; i < rounds; i++) for (const r of resources) v.api.encodeAny(r); },
  validate: () => { for (let i = 0; i < rounds; i++) for (const r of resources) v.validateResource(r); },
});
const per = (ms: number) => ((ms / (rounds * resources.length)) * 1000).toFixed(0);
console.log(`${resources.length} real resources x ${rounds}: encode ${per(times.encode!)} µs, validate ${per(times.validate!)} µs per resource`);
console.log(verdict('validate / encode', times.validate! / times.encode!, 3));
