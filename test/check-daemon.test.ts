/**
 * `meshc check --daemon` and `meshc daemon`: the daemon's answer is the
 * answer of a check in a process of its own (stdout, stderr, exit code), in
 * every format, after edits, with a changed configuration file; a daemon
 * that cannot be used leaves a note and the check runs in the client; bad
 * requests and a killed daemon are survived.
 */
import { spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ROOT, runCli, type CliResult } from './helpers/cli.ts';
import { tempDir } from './helpers/temp.ts';
import { until } from './helpers/wait.ts';

/** A project of its own: its cache (so its own daemon) and a private runtime directory for the socket. */
function project(): { dir: string; env: Record<string, string>; runtime: string } {
  const dir = tempDir('meshc-daemon-');
  const runtime = join(dir, '.run');
  mkdirSync(runtime, { mode: 0o700 });
  const env = { MESHC_CACHE_DIR: join(dir, '.cache'), XDG_RUNTIME_DIR: runtime, MESHC_DAEMON_IDLE: '120' };
  return { dir, env, runtime };
}

const cli = (p: { dir: string; env: Record<string, string> }, args: string[], env: Record<string, string> = {}): CliResult =>
  runCli(args, { cwd: p.dir, env: { ...p.env, ...env } });

const stop = (p: { dir: string; env: Record<string, string> }) => cli(p, ['daemon', 'stop']);

/** The check in the daemon and in a process of its own (no cache, so nothing is shared between them). */
function both(p: { dir: string; env: Record<string, string> }, args: string[], env: Record<string, string> = {}): [CliResult, CliResult] {
  return [cli(p, ['check', '--daemon', ...args], env), cli(p, ['check', '--no-cache', ...args], env)];
}

function assertSame([daemon, alone]: [CliResult, CliResult], what: string): void {
  assert.is(daemon.stdout, alone.stdout, `${what}: stdout`);
  assert.is(daemon.stderr, alone.stderr, `${what}: stderr`);
  assert.is(daemon.code, alone.code, `${what}: exit code`);
}

const socketsIn = (runtime: string) => readdirSync(join(runtime, `meshc-${process.getuid!()}`)).filter((f) => f.endsWith('.sock'));

const BROKEN_SPLIT = 'apiVersion: split.smi-spec.io/v1alpha2\nkind: TrafficSplit\nmetadata: {name: extra}\nspec:\n  service: nowhere\n  backends: [{service: nowhere-v1, weight: 100}]\n';

test('every format, exit codes 0, 1 and 2, and the daemon keeps running between checks', () => {
  const p = project();
  cpSync(join(ROOT, 'fixtures/bookstore'), join(p.dir, 'good'), { recursive: true });
  cpSync(join(ROOT, 'fixtures/bookstore'), join(p.dir, 'bad'), { recursive: true });
  writeFileSync(join(p.dir, 'bad', 'zz-extra.yaml'), BROKEN_SPLIT);
  cpSync(join(ROOT, 'fixtures/bad'), join(p.dir, 'all-bad'), { recursive: true }); // one mistake of each kind, some of them exit 2
  try {
    for (const format of ['text', 'json', 'sarif', 'github']) {
      const bad = both(p, ['--format', format, 'bad']);
      assert.is(bad[0].code, 1);
      assertSame(bad, `bad, ${format}`);
      assertSame(both(p, ['--format', format, 'good']), `good, ${format}`);
      const all = both(p, ['--format', format, 'all-bad']);
      assert.is(all[0].code, 2, all[0].stderr.slice(-500));
      assertSame(all, `fixtures/bad, ${format}`);
    }
    assert.is(both(p, ['good'])[0].code, 0);
    const status = cli(p, ['daemon', 'status']);
    assert.is(status.code, 0, status.stderr);
    assert.match(status.stdout, /check daemon running: pid \d+, up \d+ s, 1[0-9] check\(s\), \d+ MiB resident, exits after 120 s idle/);
    assert.equal(socketsIn(p.runtime).length, 1);
  } finally {
    stop(p);
  }
});

test('edits, added and removed files, and a changed configuration file are seen at once', () => {
  const p = project();
  cpSync(join(ROOT, 'fixtures/bookstore'), join(p.dir, 'mesh'), { recursive: true });
  try {
    assertSame(both(p, ['mesh']), 'first');
    const files = (readdirSync(join(p.dir, 'mesh'), { recursive: true }) as string[]).filter((f) => f.endsWith('.yaml')).sort();
    const first = join(p.dir, 'mesh', files.find((f) => /port: \d+/.test(readFileSync(join(p.dir, 'mesh', f), 'utf8')))!);
    const text = readFileSync(first, 'utf8');
    writeFileSync(first, text.replace(/port: (\d+)/, 'port: 7777'));
    assertSame(both(p, ['mesh']), 'after a port edit');
    writeFileSync(join(p.dir, 'mesh', 'zz-extra.yaml'), BROKEN_SPLIT);
    const added = both(p, ['mesh']);
    assert.is(added[0].code, 1);
    assert.match(added[0].stdout, /zz-extra\.yaml:\d+:\d+/);
    assertSame(added, 'after adding a file');
    rmSync(join(p.dir, 'mesh', 'zz-extra.yaml'));
    assertSame(both(p, ['mesh']), 'after removing it');
    writeFileSync(join(p.dir, '.meshc.yaml'), 'fail-level: info\n');
    assertSame(both(p, ['mesh']), 'with a configuration file');
    writeFileSync(join(p.dir, '.meshc.yaml'), 'fail-level: [\n');
    const broken = both(p, ['mesh']);
    assert.is(broken[0].code, 2);
    assertSame(broken, 'with a broken configuration file');
  } finally {
    stop(p);
  }
});

test('the client\'s terminal and colour settings, not the daemon\'s', () => {
  const p = project();
  cpSync(join(ROOT, 'fixtures/bad'), join(p.dir, 'bad'), { recursive: true });
  try {
    const colour = both(p, ['bad'], { FORCE_COLOR: '1', NO_COLOR: '' });
    assert.match(colour[0].stdout, /\u001b\[/);
    assertSame(colour, 'FORCE_COLOR=1');
    const plain = both(p, ['bad']);
    assert.not.match(plain[0].stdout, /\u001b\[/);
    assertSame(plain, 'NO_COLOR=1');
  } finally {
    stop(p);
  }
});

test('MESHC_DAEMON=1 sends the check to the daemon; --watch, --no-cache and standard input exclude --daemon', () => {
  const p = project();
  cpSync(join(ROOT, 'fixtures/bookstore'), join(p.dir, 'mesh'), { recursive: true });
  try {
    assert.is(cli(p, ['check', 'mesh'], { MESHC_DAEMON: '1' }).code, 0);
    assert.match(cli(p, ['daemon', 'status']).stdout, /1 check\(s\)/);
    for (const [args, other] of [[['--watch'], '--watch'], [['--no-cache'], '--no-cache'], [['-'], 'standard input']] as const) {
      const r = runCli(['check', '--daemon', ...args], { cwd: p.dir, env: p.env, input: '' });
      assert.is(r.code, 2, args.join(' '));
      assert.match(r.stderr, /MESH1050/);
      assert.match(r.stderr, new RegExp(`--daemon.*${other.replace('-', '\\-')}|${other.replace('-', '\\-')}.*--daemon`));
    }
  } finally {
    stop(p);
  }
});

test('a runtime directory open to others is not used: a note, and the same answer from this process', () => {
  const p = project();
  cpSync(join(ROOT, 'fixtures/bad'), join(p.dir, 'bad'), { recursive: true });
  const sockets = join(p.runtime, `meshc-${process.getuid!()}`);
  mkdirSync(sockets, { mode: 0o700 });
  chmodSync(sockets, 0o777);
  const [daemon, alone] = both(p, ['--format', 'json', 'bad']);
  assert.is(daemon.stdout, alone.stdout);
  assert.is(daemon.code, alone.code);
  assert.match(daemon.stderr, /note: no check daemon \(.*is open to other users \(mode 777\); it must be 700\); checking in this process/);
  assert.equal(readdirSync(sockets), []);
});

test('a runtime directory that is a symbolic link, or a file where the socket goes, is not used', () => {
  const p = project();
  cpSync(join(ROOT, 'fixtures/bookstore'), join(p.dir, 'mesh'), { recursive: true });
  const elsewhere = join(p.dir, 'elsewhere');
  mkdirSync(elsewhere, { mode: 0o700 });
  symlinkSync(elsewhere, join(p.runtime, `meshc-${process.getuid!()}`));
  const linked = cli(p, ['check', '--daemon', 'mesh']);
  assert.is(linked.code, 0);
  assert.match(linked.stderr, /note: no check daemon \(.*meshc-\d+ is not a directory\); checking in this process/);
  assert.equal(readdirSync(elsewhere), []);

  const q = project();
  cpSync(join(ROOT, 'fixtures/bookstore'), join(q.dir, 'mesh'), { recursive: true });
  const r = cli(q, ['daemon', 'status']); // creates nothing but the directory
  assert.is(r.code, 1);
  const dir = join(q.runtime, `meshc-${process.getuid!()}`);
  const socket = cli(q, ['daemon', 'run', '--idle', '1']); // learn the socket's name from the foreground daemon's log
  const path = /listening on (\S+\.sock)/.exec(socket.stderr)![1]!;
  writeFileSync(path, 'not a socket');
  const run = cli(q, ['daemon', 'run', '--idle', '1']);
  assert.is(run.code, 2);
  assert.match(run.stderr, /cannot listen on .*: .*exists and is not a socket/);
  const checked = cli(q, ['check', '--daemon', 'mesh']);
  assert.is(checked.code, 0);
  assert.match(checked.stderr, /note: no check daemon \(it exited on start \(its log: .*\.log\)\); checking in this process/);
  assert.is(readFileSync(path, 'utf8'), 'not a socket', 'the file is left alone');
  assert.ok(readdirSync(dir).length >= 2);
});

test('a killed daemon\'s socket is replaced by a new daemon; a bad request gets an error and the daemon serves on', async () => {
  const p = project();
  cpSync(join(ROOT, 'fixtures/bookstore'), join(p.dir, 'mesh'), { recursive: true });
  try {
    assert.is(cli(p, ['check', '--daemon', 'mesh']).code, 0);
    const pid = Number(/pid (\d+)/.exec(cli(p, ['daemon', 'status']).stdout)![1]);
    process.kill(pid, 'SIGKILL');
    await until(() => { try { process.kill(pid, 0); return false; } catch { return true; } }, 'the daemon to die');
    const socket = join(p.runtime, `meshc-${process.getuid!()}`, socketsIn(p.runtime)[0]!);
    assert.ok(existsSync(socket), 'a killed daemon leaves its socket');
    assertSame(both(p, ['mesh']), 'after a new daemon took over');
    assert.is.not(Number(/pid (\d+)/.exec(cli(p, ['daemon', 'status']).stdout)![1]), pid);

    const raw = (data: string) => new Promise<string>((resolve) => {
      const s = connect(socket);
      let got = '';
      s.on('data', (d) => (got += d)).on('close', () => resolve(got)).on('error', () => resolve(got));
      s.end(data);
    });
    assert.match(await raw('not json\n'), /"op":"error","message":"message is not JSON"/);
    assert.match(await raw('{"op":"check","protocol":1,"argv":"x"}\n'), /argv must be a list of strings/);
    assert.match(await raw('{"op":"status","protocol":99}\n'), /protocol 99 is not 1/);
    assert.match(await raw('{"op":"check","protocol":1,"argv":[],"cwd":"/","env":{"A":1},"tty":{"stdout":false,"stderr":false}}\n'), /env must map names to strings/);
    assert.is(await raw(''), '{"op":"error","message":"request is not an object"}\n');
    assertSame(both(p, ['mesh']), 'after the bad requests');
  } finally {
    stop(p);
  }
});

test('two checks at once are both answered, one after the other', async () => {
  const p = project();
  cpSync(join(ROOT, 'fixtures/bookstore'), join(p.dir, 'bad'), { recursive: true });
  writeFileSync(join(p.dir, 'bad', 'zz-extra.yaml'), BROKEN_SPLIT);
  cpSync(join(ROOT, 'fixtures/bookstore'), join(p.dir, 'good'), { recursive: true });
  try {
    assert.is(cli(p, ['check', '--daemon', 'good']).code, 0);
    const run = (path: string) => new Promise<{ code: number; stdout: string }>((resolve) => {
      const child = spawn(process.execPath, [`${ROOT}/bin/meshc.js`, 'check', '--daemon', '--format', 'json', path], { cwd: p.dir, env: { ...process.env, NO_COLOR: '1', ...p.env } });
      let stdout = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.on('close', (code) => resolve({ code: code ?? -1, stdout }));
    });
    const [bad, good] = await Promise.all([run('bad'), run('good')]);
    assert.is(bad.code, 1);
    assert.is(good.code, 0);
    assert.is(bad.stdout, cli(p, ['check', '--no-cache', '--format', 'json', 'bad']).stdout);
    assert.is(good.stdout, cli(p, ['check', '--no-cache', '--format', 'json', 'good']).stdout);
  } finally {
    stop(p);
  }
});

test('meshc daemon: status and stop when none runs, run in the foreground until idle, usage errors', async () => {
  const p = project();
  const none = cli(p, ['daemon', 'status']);
  assert.is(none.code, 1);
  assert.match(none.stdout, /no check daemon runs for/);
  assert.is(stop(p).code, 0);
  for (const [args, code] of [[['daemon'], 'MESH1054'], [['daemon', 'start'], 'MESH1054'], [['daemon', 'run', '--idle', '0'], 'MESH1052'], [['daemon', 'run', '--idle', '1.5'], 'MESH1052'], [['daemon', 'status', '--idle', '5'], 'MESH1050']] as const) {
    const r = cli(p, [...args]);
    assert.is(r.code, 2, args.join(' '));
    assert.match(r.stderr, new RegExp(code), args.join(' '));
  }
  const child = spawn(process.execPath, [`${ROOT}/bin/meshc.js`, 'daemon', 'run', '--idle', '1'], { cwd: p.dir, env: { ...process.env, ...p.env } });
  let log = '';
  child.stderr.on('data', (d) => (log += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.is(code, 0, log);
  assert.match(log, /listening on .*\.sock \(pid \d+, exits after 1 s without a check\)/);
  assert.match(log, /stopped \(idle for 1 s\) after 0 check\(s\)/);
  assert.equal(socketsIn(p.runtime), [], 'the socket is removed');
});

test.run();
