import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { check } from '../../../src/pipeline/check.ts';
import { docs, ruleTester } from '../tester.ts';
import { service, trafficSplit } from '../objects.ts';

const split = trafficSplit('shop', 's', 'birds', [['blue-birds', 1], ['green-birds', 1]]);

ruleTester('traffic-split-ports', {
  valid: [
    {
      name: 'backends expose every root port (targetPorts may differ)',
      yaml: docs(split, service('shop', 'birds', { app: 'birds' }, [{ port: 8080, name: 'grpc' }, { port: 9090, name: 'rest' }]),
        service('shop', 'blue-birds', { app: 'birds', color: 'blue' }, [{ port: 8080, name: 'grpc' }, { port: 9090, name: 'rest' }]),
        service('shop', 'green-birds', { app: 'birds', color: 'green' }, [{ port: 9090, name: 'rest' }, { port: 8080, name: 'grpc', targetPort: 8081 }])),
    },
  ],
  invalid: [
    {
      name: 'backend lacking root ports, one of them differing only by protocol',
      yaml: docs(split, service('shop', 'birds', { app: 'birds' }, [{ port: 8080, name: 'grpc' }, { port: 53, name: 'dns', protocol: 'UDP' }]),
        service('shop', 'blue-birds', { app: 'birds', color: 'blue' }, [{ port: 8080, name: 'grpc' }, { port: 53, name: 'dns', protocol: 'UDP' }]),
        service('shop', 'green-birds', { app: 'birds', color: 'green' }, [{ port: 1024, name: 'grpc' }, { port: 53, name: 'dns', protocol: 'TCP' }])),
      errors: [{ code: 'MESH0414', line: 11, column: 16, message: 'backend green-birds has no ports 8080 and 53/UDP of root Service birds: it gets no traffic there' }],
    },
  ],
});

test('the SMI spec\'s own mismatched-ports example: blue-birds gets no traffic', async () => {
  const corpus = 'test/corpus/smi-spec/traffic-split/v1alpha4/04-services-birds-mismatched-ports.yaml';
  const result = await check([corpus, '-'], {
    namespace: 'default',
    readStdin: async () => Buffer.from(trafficSplit('default', 'birds', 'birds', [['blue-birds', 1], ['green-birds', 1]])),
  });
  const found = result.diagnostics.filter((d) => d.code === 'MESH0414');
  assert.equal(found.map((d) => [d.range!.file, d.range!.line, d.message]), [
    ['<stdin>', 9, 'backend blue-birds has no port 8080 of root Service birds: it gets no traffic there'],
  ]);
  assert.equal(found[0]!.related!.map((r) => [r.range.file, r.range.line]), [[corpus, 9], [corpus, 20]]);
});

test.run();
