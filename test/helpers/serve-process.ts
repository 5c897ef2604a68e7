/** Runs `meshc serve` as a child process (the built CLI) and follows its JSON log lines on stderr. */
import { spawn, type ChildProcess } from 'node:child_process';
import { ROOT } from './cli.ts';

export interface LogLine {
  level: string;
  event: string;
  msg: string;
  [key: string]: unknown;
}

export class ServeProcess {
  readonly child: ChildProcess;
  readonly lines: LogLine[] = [];
  stderr = '';
  stdout = '';
  readonly exited: Promise<number | null>;
  private waiters: { match: (l: LogLine) => boolean; resolve: (l: LogLine) => void }[] = [];

  constructor(args: string[], env: Record<string, string> = {}) {
    this.child = spawn(process.execPath, [`${ROOT}/bin/meshc.js`, 'serve', ...args], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let partial = '';
    this.child.stdout!.on('data', (d) => (this.stdout += d));
    this.child.stderr!.on('data', (d: Buffer) => {
      this.stderr += d;
      partial += d.toString();
      const parts = partial.split('\n');
      partial = parts.pop()!;
      for (const raw of parts) {
        let line: LogLine;
        try {
          line = JSON.parse(raw) as LogLine;
        } catch {
          continue; // text format or other output
        }
        this.lines.push(line);
        for (const w of [...this.waiters]) {
          if (w.match(line)) {
            this.waiters.splice(this.waiters.indexOf(w), 1);
            w.resolve(line);
          }
        }
      }
    });
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  /** The first log line (past or future) that matches; rejects if the process exits first. */
  waitFor(match: (l: LogLine) => boolean): Promise<LogLine> {
    const seen = this.lines.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      this.waiters.push({ match, resolve });
      void this.exited.then((code) => reject(new Error(`meshc serve exited (${code}) before the expected log line:\n${this.stderr}`)));
    });
  }

  event(name: string): Promise<LogLine> {
    return this.waitFor((l) => l.event === name);
  }

  async address(): Promise<string> {
    return String((await this.event('listening')).address);
  }

  stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    this.child.kill(signal);
    return this.exited;
  }
}
