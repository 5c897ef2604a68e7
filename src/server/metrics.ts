/**
 * Prometheus metrics of `meshc serve` (--metrics-listen). They are counted
 * from the server's structured log events (log.ts: stable event names, every
 * record reaches the observer whatever --log-level is), so the streams need
 * no second channel and a metric never disagrees with the log. Label values
 * come from fixed sets only (a client's type URL or node id is never a
 * label): a hostile client cannot grow the registry.
 */
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { SnapshotSource } from './cache.ts';
import { SERVED_TYPES } from './resource-types.ts';
import type { LogFields, Logger, LogLevel } from './log.ts';
import type { ReloadOutcome } from './watch.ts';

/** The served types' short names (CDS, EDS, LDS, RDS, SDS): the log's `type` field for them. */
const TYPES = new Set(SERVED_TYPES.map((t) => t.short));
const MODES = new Set(['sotw', 'delta']);
/** Events that refuse a request or end a stream on the server's side, by their log event name. */
const REFUSALS = new Set(['unknown-node', 'denied', 'too-many-names', 'node-removed']);

const typeLabel = (fields: LogFields): string => (typeof fields.type === 'string' && TYPES.has(fields.type) ? fields.type : 'other');
const modeLabel = (fields: LogFields): string => (typeof fields.mode === 'string' && MODES.has(fields.mode) ? fields.mode : 'other');

/**
 * The process's own figures (CPU, memory, event-loop lag, GC), collected once per process: collecting installs
 * observers that nothing removes, so servers started one after another in one process share them.
 */
let processRegistry: Registry | undefined;
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

export class ServeMetrics {
  /** This server's metrics; exposition() adds the process's. */
  readonly registry = new Registry();
  private readonly streams = new Gauge({ name: 'meshc_serve_streams', help: 'Open xDS streams bound to a node, by protocol.', labelNames: ['protocol'], registers: [this.registry] });
  private readonly opened = new Counter({ name: 'meshc_serve_streams_opened_total', help: 'xDS streams bound to a node since start, by protocol.', labelNames: ['protocol'], registers: [this.registry] });
  private readonly responses = new Counter({
    name: 'meshc_serve_responses_total', help: 'Discovery responses sent (streams and Fetch), by resource type.', labelNames: ['type'], registers: [this.registry],
  });
  private readonly acks = new Counter({ name: 'meshc_serve_acks_total', help: 'Responses a client applied (ACK), by resource type.', labelNames: ['type'], registers: [this.registry] });
  private readonly nacks = new Counter({
    name: 'meshc_serve_nacks_total', help: 'Responses a client rejected (NACK: the compiled config does not load there), by resource type.', labelNames: ['type'], registers: [this.registry],
  });
  private readonly rejecting = new Gauge({
    name: 'meshc_serve_streams_rejecting', help: 'Open streams whose last answered response of a type was a NACK (the proxy runs an older config of that type), by type.',
    labelNames: ['type'], registers: [this.registry],
  });
  private readonly refused = new Counter({
    name: 'meshc_serve_refused_total', help: 'Requests refused and streams ended by the server, by reason (unknown-node, denied, too-many-names, node-removed).',
    labelNames: ['reason'], registers: [this.registry],
  });
  private readonly reloads = new Counter({
    name: 'meshc_serve_reloads_total', help: 'Reads of the snapshot directory, by result (loaded, unchanged, rejected).', labelNames: ['result'], registers: [this.registry],
  });
  private readonly failing = new Gauge({
    name: 'meshc_serve_reload_failing', help: '1 while the snapshot directory holds an output that was rejected (the last good one is served), else 0.', registers: [this.registry],
  });
  private readonly nodes = new Gauge({ name: 'meshc_serve_snapshot_nodes', help: 'Proxy nodes in the snapshot being served.', registers: [this.registry] });
  private readonly loadedAt = new Gauge({
    name: 'meshc_serve_snapshot_loaded_timestamp_seconds', help: 'When the snapshot being served was loaded (Unix time).', registers: [this.registry],
  });
  private readonly info = new Gauge({
    name: 'meshc_serve_snapshot_info', help: 'The snapshot being served: its content fingerprint (always 1).', labelNames: ['fingerprint'], registers: [this.registry],
  });
  /** Open stream ids and their protocol label, so a close decrements the gauge it incremented. */
  private readonly open = new Map<number, string>();
  /** Per open stream, the types whose last answer was a NACK. */
  private readonly nacked = new Map<number, Set<string>>();

  constructor() {
    for (const protocol of MODES) {
      this.streams.set({ protocol }, 0);
      this.opened.inc({ protocol }, 0);
    }
    for (const type of TYPES) {
      for (const c of [this.responses, this.acks, this.nacks]) c.inc({ type }, 0);
      this.rejecting.set({ type }, 0);
    }
    for (const reason of REFUSALS) this.refused.inc({ reason }, 0);
    for (const result of ['loaded', 'unchanged', 'rejected']) this.reloads.inc({ result }, 0);
    this.failing.set(0);
  }

  /** The text exposition of this server's metrics and the process's, and its content type. */
  async exposition(): Promise<{ text: string; contentType: string }> {
    const [own, processOwn] = [await this.registry.metrics(), await processMetrics().metrics()];
    return { text: own.endsWith('\n') ? own + processOwn : `${own}\n${processOwn}`, contentType: this.registry.contentType };
  }

  /** A logger that counts every record, then hands it to `inner`. */
  observing(inner: Logger): Logger {
    return { log: (level: LogLevel, event: string, msg: string, fields: LogFields = {}) => {
      this.observe(event, fields);
      inner.log(level, event, msg, fields);
    } };
  }

  private observe(event: string, fields: LogFields): void {
    switch (event) {
      case 'stream-open': {
        const protocol = modeLabel(fields);
        if (typeof fields.stream === 'number') this.open.set(fields.stream, protocol);
        this.streams.inc({ protocol });
        this.opened.inc({ protocol });
        return;
      }
      case 'stream-close': {
        const protocol = typeof fields.stream === 'number' ? this.open.get(fields.stream) : undefined;
        if (protocol === undefined) return;
        this.open.delete(fields.stream as number);
        this.streams.dec({ protocol });
        for (const type of this.nacked.get(fields.stream as number) ?? []) this.rejecting.dec({ type });
        this.nacked.delete(fields.stream as number);
        return;
      }
      case 'response':
      case 'fetch':
        this.responses.inc({ type: typeLabel(fields) });
        return;
      case 'ack':
        this.acks.inc({ type: typeLabel(fields) });
        this.answered(fields, false);
        return;
      case 'nack':
        this.nacks.inc({ type: typeLabel(fields) });
        this.answered(fields, true);
        return;
      default:
        if (REFUSALS.has(event)) this.refused.inc({ reason: event });
    }
  }

  /** A stream's answer to a response of a type: NACKed types are counted until an ACK of that type or the stream's end. */
  private answered(fields: LogFields, rejected: boolean): void {
    const stream = fields.stream;
    if (typeof stream !== 'number' || !this.open.has(stream)) return; // a Fetch, or a stream never bound
    const type = typeLabel(fields);
    let types = this.nacked.get(stream);
    if (rejected && !types?.has(type)) {
      if (!types) this.nacked.set(stream, (types = new Set()));
      types.add(type);
      this.rejecting.inc({ type });
    } else if (!rejected && types?.delete(type)) {
      this.rejecting.dec({ type });
    }
  }

  /** Follows the snapshot being served (its node count and fingerprint). */
  follow(source: SnapshotSource): () => void {
    const show = (): void => {
      const snap = source.current();
      this.nodes.set(snap.ids.length);
      this.info.reset();
      this.info.set({ fingerprint: snap.fingerprint }, 1);
      this.loadedAt.set(Date.now() / 1000);
    };
    show();
    return source.subscribe(show);
  }

  /** Counts one read of the snapshot directory. */
  reloaded(outcome: ReloadOutcome): void {
    this.reloads.inc({ result: !outcome.ok ? 'rejected' : outcome.changed ? 'loaded' : 'unchanged' });
    this.failing.set(outcome.ok ? 0 : 1);
  }
}
