import { readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { LineCounter, parseDocument, isMap, isScalar } from 'yaml';
import { DiagnosticSink } from '../core/diagnostics.ts';
import type { Diagnostic, SourceRange } from '../core/types.ts';
import { displayPath, reason } from '../load/inputs.ts';
import { MAX_ALIAS_COUNT, MAX_DEPTH, firstTooDeepOffset } from '../load/yaml-limits.ts';
import { RULES } from '../rules/registry.ts';
import { parseSuppression, type Suppression } from '../report/suppress.ts';
import { YamlSourceDoc, fileStart } from '../source/yaml-doc.ts';
import { didYouMean, nearMatches } from '../core/suggest.ts';
import type { CompileSection, MeshcConfig } from './types.ts';
import { CLUSTER_KEYS, parseClusterValue, type ClusterKey } from './cluster-values.ts';
import { parseDomain, parseExternalPattern, parseFailLevel, parseNamespace, parseSize, show, type Parsed, type ValueProblem } from './values.ts';

/**
 * The configuration file: `.meshc.yaml` in the working directory, or the file
 * given with --config. Shape:
 *
 *   apiVersion: meshc.dev/v1alpha1
 *   kind: Config
 *   namespace: shop            # and every other MeshcConfig field, camelCase
 *   suppress: ["MESH0501=Service shop/legacy-*"]
 *   paths: [manifests/]        # what `meshc check` reads when given no path
 *   meshConfig: osm/mesh-config.yaml   # --mesh-config, relative to this file
 *
 * Every problem is reported with its position in the file (codes
 * MESH1004–MESH1007, and MESH1001/1002/1003/1008 for suppressions and rule
 * ids); any problem makes the command exit with 2.
 */
export const CONFIG_FILE = '.meshc.yaml';
export const CONFIG_API_VERSION = 'meshc.dev/v1alpha1';
export const CONFIG_KIND = 'Config';
const MAX_CONFIG_SIZE = 1024 * 1024;

export interface ConfigFile {
  /** Display path (relative to the working directory). */
  file: string;
  /** The settings the file sets (only those). */
  settings: Partial<MeshcConfig>;
  /** Parsed `suppress` entries, in the order written. */
  suppressions: Suppression[];
  /** `paths`, written relative to the directory of the file, here relative to the working directory. */
  paths?: string[];
}

export interface ConfigLoad {
  config?: ConfigFile;
  /** Problems found; the command must not run when there are any. */
  problems: Diagnostic[];
}

type Field = { kind: 'string' | 'boolean' | 'list' | 'size' | 'level' | 'map'; parse?: (v: unknown) => Parsed<unknown> };

const FIELDS: Record<string, Field> = {
  namespace: { kind: 'string', parse: parseNamespace },
  permissive: { kind: 'boolean' },
  draft: { kind: 'boolean' },
  assumeExternal: { kind: 'list', parse: parseExternalPattern },
  suppress: { kind: 'list' },
  noInlineSuppress: { kind: 'boolean' },
  failLevel: { kind: 'level', parse: parseFailLevel },
  disableRules: { kind: 'list' },
  trustDomain: { kind: 'string', parse: parseDomain },
  clusterDomain: { kind: 'string', parse: parseDomain },
  maxFileSize: { kind: 'size', parse: parseSize },
  paths: { kind: 'list' },
  // Like `paths`, relative to the directory of the configuration file.
  // meshc compile's cluster defaults, by flag name (`connect-timeout: 2s`); the flags override them.
  compile: { kind: 'map' },
  meshConfig: { kind: 'string', parse: (v) => (typeof v === 'string' && v !== '' ? { value: v } : { error: { expected: 'the name of a file holding the MeshConfig', actual: show(v) } }) },
};
const KNOWN = ['apiVersion', 'kind', ...Object.keys(FIELDS)];

/** The `compile:` section's boolean switches (flag names of meshc compile). */
const COMPILE_SWITCHES = ['review-json'] as const;

/** The `compile:` section: a mapping of compile flag names (cluster defaults, switches) to values, each checked as the flag's would be. */
function compileSection(
  value: unknown,
  invalid: (path: string[], field: string, problem: ValueProblem) => void,
  unknown: (key: string, hint: string) => void,
): CompileSection | undefined {
  const keys = [...CLUSTER_KEYS, ...COMPILE_SWITCHES];
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    invalid([], 'compile', { expected: `a mapping of ${keys.join(', ')} to values`, actual: show(value) });
    return undefined;
  }
  const out: CompileSection = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if ((COMPILE_SWITCHES as readonly string[]).includes(k)) {
      if (typeof v === 'boolean') out[k as (typeof COMPILE_SWITCHES)[number]] = v;
      else invalid([k], `compile.${k}`, { expected: 'true or false', actual: show(v) });
      continue;
    }
    if (!(CLUSTER_KEYS as readonly string[]).includes(k)) {
      unknown(k, didYouMean(k, keys));
      continue;
    }
    const text = typeof v === 'number' || typeof v === 'string' ? String(v) : undefined;
    const parsed = text === undefined ? { expected: 'a number or a duration', actual: show(v) } : parseClusterValue(k as ClusterKey, text);
    if (typeof parsed === 'object') invalid([k], `compile.${k}`, parsed);
    else out[k as ClusterKey] = text;
  }
  return out;
}

/** Reports an unknown rule id (shared with --disable-rule); returns whether it is known. */
export function checkRuleId(id: string, where: string, sink: DiagnosticSink, range: SourceRange | null): boolean {
  if (RULES.some((r) => r.id === id)) return true;
  const near = nearMatches(id, RULES.map((r) => r.id));
  const hint = near.length > 0 ? ` (did you mean ${near.join(', ')}? 'meshc rules' lists them)` : " ('meshc rules' lists the rule ids)";
  sink.report('MESH1003', { where, rule: JSON.stringify(id), hint }, range);
  return false;
}

/**
 * Finds and reads the configuration file. `explicit` is the --config value;
 * without it `.meshc.yaml` in `cwd` is read when it exists.
 */
export async function loadConfigFile(explicit: string | undefined, cwd: string): Promise<ConfigLoad> {
  const sink = new DiagnosticSink();
  const abs = resolve(cwd, explicit ?? CONFIG_FILE);
  const file = displayPath(cwd, abs);
  let text: string;
  try {
    const info = await stat(abs);
    if (!info.isFile()) throw Object.assign(new Error(info.isDirectory() ? 'is a directory' : 'not a regular file'), { code: 'ENOTREG' });
    if (info.size > MAX_CONFIG_SIZE) throw new Error(`${info.size} bytes is too large for a configuration file`);
    text = await readFile(abs, 'utf8');
  } catch (err) {
    if (!explicit && (err as NodeJS.ErrnoException).code === 'ENOENT') return { problems: [] };
    sink.report('MESH1004', { path: file, reason: reason(err) }, null);
    return { problems: sink.items };
  }
  const lines = new LineCounter();
  // The same guards as for manifests: no nesting that could overflow the YAML composer, no alias bombs.
  const deep = firstTooDeepOffset(text);
  if (deep >= 0) {
    const line = text.slice(0, deep).split('\n').length;
    const column = deep - text.lastIndexOf('\n', deep - 1);
    sink.report('MESH1056', { limit: MAX_DEPTH }, { file, line, column, endLine: line, endColumn: column + 1 });
    return { problems: sink.items };
  }
  // logLevel: a collection key is reported below (MESH1007), not as a Node warning on stderr.
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false, logLevel: 'error' });
  if (doc.errors.length > 0) {
    for (const err of doc.errors) {
      const a = lines.linePos(err.pos[0]);
      const b = lines.linePos(Math.max(err.pos[0], err.pos[1]));
      // The parser's advice for a second document names its own API; the user needs the rule instead.
      const yamlError = err.code === 'MULTIPLE_DOCS' ? 'it holds more than one document (the configuration is a single document; remove the ---)' : err.message.split('\n')[0]!;
      sink.report('MESH1005', { yamlError }, { file, line: a.line, column: a.col, endLine: b.line, endColumn: b.col });
    }
    return { problems: sink.items };
  }
  const source = new YamlSourceDoc(file, 0, doc, lines);
  const at = (path: (string | number)[], key = false) => source.locate(path, { key });
  const invalid = (path: (string | number)[], field: string, problem: ValueProblem) => sink.report('MESH1006', { field, ...problem }, at(path));
  if (!isMap(doc.contents)) {
    sink.report('MESH1006', { field: 'the file', expected: `a mapping with apiVersion: ${CONFIG_API_VERSION} and kind: ${CONFIG_KIND}`, actual: isScalar(doc.contents) ? show(doc.contents.value) : doc.contents ? 'a list' : 'nothing' }, doc.contents ? at([]) : fileStart(file));
    return { problems: sink.items };
  }
  let raw: Record<string, unknown>;
  try {
    raw = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as Record<string, unknown>;
  } catch (err) {
    sink.report('MESH1005', { yamlError: (err as Error).message }, at([]));
    return { problems: sink.items };
  }
  if (raw.apiVersion !== CONFIG_API_VERSION) invalid(['apiVersion'], 'apiVersion', { expected: CONFIG_API_VERSION, actual: show(raw.apiVersion) });
  if (raw.kind !== CONFIG_KIND) invalid(['kind'], 'kind', { expected: CONFIG_KIND, actual: show(raw.kind) });

  const settings: Record<string, unknown> = {};
  const suppressions: Suppression[] = [];
  let paths: string[] | undefined;
  for (const pair of doc.contents.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
    if (key === undefined) {
      const r = (pair.key as { range?: [number, number, number] } | null)?.range;
      const a = r ? lines.linePos(r[0]) : undefined;
      const b = r ? lines.linePos(Math.max(r[0], r[1])) : undefined;
      sink.report('MESH1007', { field: 'with a non-scalar key', hint: '' }, a && b ? { file, line: a.line, column: a.col, endLine: b.line, endColumn: b.col } : source.locate([]));
      continue;
    }
    if (key === 'apiVersion' || key === 'kind') continue;
    const field = Object.hasOwn(FIELDS, key) ? FIELDS[key] : undefined;
    if (!field) {
      sink.report('MESH1007', { field: JSON.stringify(key), hint: didYouMean(key, KNOWN) }, at([key], true));
      continue;
    }
    const value = raw[key];
    if (field.kind === 'map') {
      const compile = compileSection(value, (path, f, problem) => invalid([key, ...path], f, problem), (k, hint) => sink.report('MESH1007', { field: JSON.stringify(`compile.${k}`), hint }, at([key, k], true)));
      if (compile) settings[key] = compile;
      continue;
    }
    if (field.kind === 'boolean') {
      if (typeof value === 'boolean') settings[key] = value;
      else invalid([key], key, { expected: 'true or false', actual: show(value) });
      continue;
    }
    if (field.kind === 'list') {
      const list = Array.isArray(value) ? value : typeof value === 'string' ? [value] : undefined;
      if (!list) {
        invalid([key], key, { expected: 'a list of strings', actual: show(value) });
        continue;
      }
      const good: string[] = [];
      list.forEach((item, i) => {
        const path = Array.isArray(value) ? [key, i] : [key];
        if (typeof item !== 'string' || item.length === 0) {
          invalid(path, `${key} entries`, { expected: 'non-empty strings', actual: show(item) });
        } else if (key === 'suppress') {
          const parsed = parseSuppression(item, 'suppress');
          if ('problem' in parsed) sink.report(parsed.problem.code, parsed.problem.args, at(path));
          else suppressions.push(parsed.value);
        } else if (key === 'disableRules') {
          if (checkRuleId(item, 'disableRules', sink, at(path))) good.push(item);
        } else if (field.parse) {
          const parsed = field.parse(item);
          if ('error' in parsed) invalid(path, `${key} entries`, parsed.error);
          else good.push(parsed.value as string);
        } else {
          good.push(item);
        }
      });
      if (key === 'paths') paths = good.map((p) => displayPath(cwd, resolve(dirname(abs), p)));
      else if (key !== 'suppress') settings[key] = good;
      continue;
    }
    const parsed = field.parse!(value);
    if ('error' in parsed) invalid([key], key, parsed.error);
    else settings[key] = key === 'meshConfig' ? displayPath(cwd, resolve(dirname(abs), parsed.value as string)) : parsed.value;
  }
  if (sink.items.length > 0) return { problems: sink.items };
  return { config: { file, settings: settings as Partial<MeshcConfig>, suppressions, paths }, problems: [] };
}
