/** Structured logging to stderr: one line per event, text for people or JSON for machines. */

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

export function createLogger(options: LoggerOptions = {}): Logger {
  const format = options.format ?? 'text';
  const min = RANK[options.level ?? 'info'];
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  return {
    log(level, event, msg, fields = {}) {
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
