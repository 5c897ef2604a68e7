/** `meshc why` says what compile delivers (src/reach/delivery.ts): text and JSON, on test/compile-fixtures/delivery. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from './helpers/cli.ts';

const FIXTURE = 'test/compile-fixtures/delivery';
const why = (to: string, format = 'text', from = 'pay/checkout') => runCli(['why', '--from', from, '--to', to, '--format', format, FIXTURE]);
interface WhyJson { allowed: boolean; reason: string; denial?: string; delivery?: { code: string; note: string } }

test('endpoints told apart by pod: ALLOWED, and only the admitting pods receive the traffic', () => {
  const t = why('pay/ledger:80');
  assert.is(t.code, 0, t.stderr);
  assert.match(t.stdout, /^ALLOWED {2}pay\/checkout → pay\/ledger:80/);
  assert.match(t.stdout, 'only the pods running as pay/ledger receive this traffic (its cluster holds only their endpoints; the pods running as pay/ledger-audit do not admit pay/checkout)');
  const j = JSON.parse(why('pay/ledger:80', 'json').stdout) as WhyJson;
  assert.is(j.allowed, true);
  assert.is(j.delivery, undefined);
  // A caller admitted by both identities reaches every pod, and nothing is said about it.
  const both = JSON.parse(why('pay/ledger:80', 'json', 'pay/auditor').stdout) as WhyJson;
  assert.is(both.allowed, true);
  assert.not.match(both.reason, 'only the pods');
});

test('endpoints unknown, pods of another identity behind the Service: DENIED pods-deny-caller (MESH0630)', () => {
  const t = why('pay/reports:8080');
  assert.is(t.code, 0, t.stderr);
  assert.match(t.stdout, /^DENIED {2}pay\/checkout → pay\/reports:8080/);
  assert.match(t.stdout, 'part of this traffic reaches pods running as pay/reports-beta, which do not admit pay/checkout (MESH0630)');
  const j = JSON.parse(why('pay/reports:8080', 'json').stdout) as WhyJson;
  assert.is(j.allowed, false);
  assert.is(j.denial, 'pods-deny-caller');
  assert.is(j.delivery?.code, 'MESH0630');
  assert.match(j.delivery!.note, 'pay/reports:8080 is served by pods running as pay/reports, pay/reports-beta');
});

test('two TCP Services on one port without an address: DENIED not-delivered (MESH0631), as compile leaves them out (MESH0858)', () => {
  const t = why('pay/queue-a:6000');
  assert.is(t.code, 0, t.stderr);
  assert.match(t.stdout, /^DENIED {2}pay\/checkout → pay\/queue-a:6000/);
  assert.match(t.stdout, 'TrafficTarget pay/queue allows pay/checkout to reach pay/queue-a:6000');
  assert.match(t.stdout, 'port 6000 also carries TCP service pay/queue-b for pay/checkout: its outbound listener cannot tell them apart, so compile leaves pay/queue-a:6000 out of it (MESH0631)');
  const j = JSON.parse(why('pay/queue-a:6000', 'json').stdout) as WhyJson;
  assert.equal([j.allowed, j.denial, j.delivery?.code], [false, 'not-delivered', 'MESH0631']);
});

test('the one TCP Service on its port without an address: ALLOWED with the catch-all note (MESH0632)', () => {
  const t = why('pay/broker:5672');
  assert.match(t.stdout, /^ALLOWED {2}pay\/checkout → pay\/broker:5672/);
  assert.match(t.stdout, "note: pay/broker:5672 is TCP with no known ClusterIP or endpoint address: pay/checkout's outbound listener matches it by port alone, so every connection it opens to port 5672, to any address, goes to pay/broker (MESH0632)");
  const j = JSON.parse(why('pay/broker:5672', 'json').stdout) as WhyJson;
  assert.equal([j.allowed, j.denial, j.delivery?.code], [true, undefined, 'MESH0632']);
});

test('an HTTP rule at pods whose inbound chain for the port is TCP: DENIED http-rule-on-tcp-port (MESH0633), as compile gives no route', () => {
  const t = why('pay/ledger:80', 'text', 'pay/billing');
  assert.match(t.stdout, /^DENIED {2}pay\/billing → pay\/ledger:80/);
  assert.match(t.stdout, 'but the pods running as pay/ledger serve the target port of pay/ledger:80 through one TCP chain, since Service port pay/ledger-raw:9000 reaches the same target port as TCP: HTTP rules admit nothing there (MESH0633)');
  const j = JSON.parse(why('pay/ledger:80', 'json', 'pay/billing').stdout) as WhyJson;
  assert.equal([j.allowed, j.denial, j.delivery?.code], [false, 'http-rule-on-tcp-port', 'MESH0633']);
});

test('permissive mode, an ExternalName Service outside the mesh: DENIED not-delivered (MESH0634), as compile leaves it out (MESH0867)', () => {
  const r = runCli(['why', '--from', 'pay/checkout', '--to', 'pay/bank', '--permissive', '--format', 'json', FIXTURE]);
  assert.is(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout) as WhyJson;
  assert.equal([j.allowed, j.denial, j.delivery?.code], [false, 'not-delivered', 'MESH0634']);
  assert.match(j.reason, 'pay/bank is an ExternalName Service for api.bank.example.com, outside the mesh: no proxy forwards connections to it');
});

test('check reports each at the Service port, exit 0 (warnings)', () => {
  const r = runCli(['check', FIXTURE]);
  assert.is(r.code, 0, r.stderr);
  const found = r.stdout.split('\n').filter((l) => / MESH063\d /.test(l)).map((l) => l.replace(/ (Service|HTTPRouteGroup) .*| pay\/checkout may.*/, ''));
  assert.equal(found, [
    'test/compile-fixtures/delivery/apps.yaml:136:11: warning MESH0630',
    'test/compile-fixtures/delivery/apps.yaml:154:11: warning MESH0632',
    'test/compile-fixtures/delivery/apps.yaml:183:11: warning MESH0631',
    'test/compile-fixtures/delivery/apps.yaml:190:11: warning MESH0631',
    'test/compile-fixtures/delivery/policy.yaml:66:11: warning MESH0633',
  ]);
});

test.run();
