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

export function createLogger(options: LoggerOptions = {}): Logger {
  const format = options.format ?? 'text';
  const min = RANK[options.level ?? 'info'];
  const write = options.write ?? batchedStderr();
  return {
    log(level, event, msg, given = {}) {
      const fields = boundFields(given);
      options.onRecord?.({ level, event, msg, fields });
      if (RANK[level] < min) return;
      const time = new Date().toISOString();
      if (format === 'json') {
        const clean: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(fields)) if (v !== undefined) clean[k] = v;
        write(`${JSON.stringify({ time, level, event, msg, ...clean })}\n`);
        return;
      }
      const kv = Object.entries(fields)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${k}=${textValue(v)}`)
        .join(' ');
      write(`${time} ${level.toUpperCase().padEnd(5)} ${msg}${kv ? ` ${kv}` : ''}\n`);
    },
  };
}

export const silentLogger: Logger = { log() {} };
