/** Structured logging to stderr: one line per event, text for people or JSON for machines. */

import { MAX_LOG_FIELD, clip } from './echo.ts';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFormat = 'text' | 'json';

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export type LogFields = Record<string, string | number | boolean | null | undefined | readonly string[]>;

export interface LogRecord {
  level: LogLevel;
  /** Stable machine name of the event, e.g. `ack`, `nack`, `stream-open`, `reload-failed`. */
  event: string;
  msg: string;
  fields: LogFields;
}

export interface Logger {
  log(level: LogLevel, event: string, msg: string, fields?: LogFields): void;
}

export interface LoggerOptions {
  format?: LogFormat;
  level?: LogLevel;
  write?: (line: string) => void;
  /** Also receives every record (at any level), e.g. to count NACKs in tests. */
  onRecord?: (record: LogRecord) => void;
}

function textValue(v: unknown): string {
  const s = Array.isArray(v) ? v.join(',') : String(v);
  return /^[^\s"=]+$/.test(s) ? s : JSON.stringify(s);
}

/**
 * Writes to stderr in batches, once per event-loop turn: stderr is a pipe or
 * a file in production, where Node writes synchronously, and one syscall per
 * line costs more than the xDS work when a thousand proxies reconnect at once.
 * Whatever is pending is flushed when the process exits.
 */
function batchedStderr(): (line: string) => void {
  let pending: string[] = [];
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    if (pending.length === 0) return;
    const text = pending.join('');
    pending = [];
    process.stderr.write(text);
  };
  process.on('exit', flush);
  // A closed stderr (the log collector went away) loses log lines, never the proxies' control plane.
  process.stderr.on('error', () => {});
  return (line) => {
    pending.push(line);
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };
}

/** Fields with every string cut to MAX_LOG_FIELD (many carry what a client sent: nonces, type URLs, NACK messages). */
function boundFields(fields: LogFields): LogFields {
  let out: LogFields | undefined;
  for (const [k, v] of Object.entries(fields)) {
    if (typeof v === 'string' && v.length > MAX_LOG_FIELD) (out ??= { ...fields })[k] = clip(v, MAX_LOG_FIELD);
  }
  return out ?? fields;
}

/** ISO time of the current millisecond, formatted once per millisecond (a burst of lines shares it). */
function isoClock(): () => string {
  let lastMs = -1;
  let last = '';
  return () => {
    const now = Date.now();
    if (now !== lastMs) {
      lastMs = now;
      last = new Date(now).toISOString();
    }
    return last;
  };
}

function jsonLine(time: string, level: LogLevel, event: string, msg: string, fields: LogFields): string {
  const line: Record<string, unknown> = { time, level, event, msg };
  for (const k in fields) if (fields[k] !== undefined) line[k] = fields[k];
  return `${JSON.stringify(line)}\n`;
}

function textLine(time: string, level: LogLevel, msg: string, fields: LogFields): string {
  let kv = '';
  for (const k in fields) if (fields[k] !== undefined) kv += ` ${k}=${textValue(fields[k])}`;
  return `${time} ${level.toUpperCase().padEnd(5)} ${msg}${kv}\n`;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const format = options.format ?? 'text';
  const min = RANK[options.level ?? 'info'];
  const write = options.write ?? batchedStderr();
  const onRecord = options.onRecord;
  const clock = isoClock();
  return {
    log(level, event, msg, given = {}) {
      // Most calls are debug lines nobody asked for: they cost a comparison, nothing more.
      if (RANK[level] < min && !onRecord) return;
      const fields = boundFields(given);
      onRecord?.({ level, event, msg, fields });
      if (RANK[level] < min) return;
      write(format === 'json' ? jsonLine(clock(), level, event, msg, fields) : textLine(clock(), level, msg, fields));
    },
  };
}

export const silentLogger: Logger = { log() {} };
