/**
 * The hand-coded xDS envelope encoding checked against protobufjs and the
 * Envoy protos: what a proxy decodes is what the server meant to send.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import protobuf from 'protobufjs';
import { decodeDiscoveryRequest, encodeDiscoveryResponseBody, withNonce, SOTW_NONCE_FIELD } from '../src/server/messages.ts';
import { encodeVarint, WireReader } from '../src/server/wire.ts';
import { decodeMessage, encodeMessage, type DiscoveryResponse } from './helpers/serve-client.ts';

const EDGES = [0, 1, 127, 128, 255, 16_383, 16_384, 2_097_151, 2_097_152, 2 ** 31, 2 ** 32 + 5, Number.MAX_SAFE_INTEGER];

test('varints at every length boundary encode as protobufjs does and read back', () => {
  for (const v of EDGES) {
    const reference = protobuf.Writer.create().uint64(v).finish();
    assert.equal([...encodeVarint(v)], [...reference], `varint ${v}`);
    assert.is(new WireReader(encodeVarint(v)).varint(), v);
  }
  assert.throws(() => encodeVarint(-1), /cannot encode varint -1/);
  assert.throws(() => encodeVarint(1.5), /cannot encode varint 1.5/);
});

test('a response body with a nonce appended decodes as the DiscoveryResponse it stands for (short and long nonces, multi-byte text)', () => {
  const anys = [
    encodeMessage('DiscoveryResponse', {}), // any bytes will do as an opaque resource; the proto decoder keeps them
    Buffer.alloc(300, 7),
  ].map((value) => protobuf.Writer.create().uint32(10).string('type.googleapis.com/x.Y').uint32(18).bytes(value).finish());
  const body = encodeDiscoveryResponseBody('v-ü-1', anys, 'type.googleapis.com/x.Y');
  for (const nonce of ['1', '4242', 'n'.repeat(200), 'nonce-é']) {
    const r = decodeMessage<DiscoveryResponse>('DiscoveryResponse', withNonce(body, SOTW_NONCE_FIELD, nonce));
    assert.is(r.nonce, nonce);
    assert.is(r.version_info, 'v-ü-1');
    assert.is(r.type_url, 'type.googleapis.com/x.Y');
    assert.is(r.resources.length, 2);
  }
  assert.is(withNonce(body, SOTW_NONCE_FIELD, ''), body, 'an empty nonce is the proto3 default: not written');
});

test('requests decode from the bytes protobufjs encodes, strings included', () => {
  const bytes = encodeMessage('DiscoveryRequest', {
    version_info: 'v1', node: { id: 'shop/deployment/wéb', cluster: 'c' }, resource_names: ['a', 'ß', ''], type_url: 't/x.Y', response_nonce: '7',
  });
  const req = decodeDiscoveryRequest(bytes);
  assert.is(req.versionInfo, 'v1');
  assert.is(req.node?.id, 'shop/deployment/wéb');
  assert.equal(req.resourceNames, ['a', 'ß', '']);
  assert.is(req.typeUrl, 't/x.Y');
  assert.is(req.responseNonce, '7');
});

test.run();
