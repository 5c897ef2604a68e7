import { test } from 'uvu';
import { docs, ruleTester } from '../tester.ts';
import { deployment, service } from '../objects.ts';

// service(): targetPort of the first port is on line 12, column 19 (one selector label, port with a name).
const named = service('shop', 'web', { app: 'web' }, [{ port: 80, name: 'web', targetPort: 'http' }]);
const numbered = service('shop', 'web', { app: 'web' }, [{ port: 80, name: 'web', targetPort: 8080 }]);

ruleTester('service-target-port', {
  valid: [
    { name: 'named targetPort resolves in every selected workload', yaml: docs(named, deployment('shop', 'v1', { app: 'web', v: '1' }, 'web', [{ containerPort: 8080, name: 'http' }]), deployment('shop', 'v2', { app: 'web', v: '2' }, 'web', [{ containerPort: 9000, name: 'http' }])) },
    { name: 'numeric targetPort declared', yaml: docs(numbered, deployment('shop', 'v1', { app: 'web' }, 'web', [{ containerPort: 8080 }])) },
    { name: 'numeric targetPort, workload declares no ports (unknown)', yaml: docs(numbered, deployment('shop', 'v1', { app: 'web' }, 'web')) },
    { name: 'targetPort defaults to port', yaml: docs(service('shop', 'web', { app: 'web' }, [{ port: 8080, name: 'web' }]), deployment('shop', 'v1', { app: 'web' }, 'web', [{ containerPort: 8080 }])) },
  ],
  invalid: [
    {
      name: 'named targetPort missing in one of two workloads',
      yaml: docs(named, deployment('shop', 'v1', { app: 'web', v: '1' }, 'web', [{ containerPort: 8080, name: 'http' }]), deployment('shop', 'v2', { app: 'web', v: '2' }, 'web', [{ containerPort: 8080, name: 'web' }])),
      errors: [{ code: 'MESH0503', line: 12, column: 19, message: 'targetPort "http" (TCP) is not the name of a container port of Deployment v2' }],
    },
    {
      name: 'named port exists only with another protocol',
      yaml: docs(named, deployment('shop', 'v1', { app: 'web' }, 'web', [{ containerPort: 8080, name: 'http', protocol: 'UDP' }])),
      errors: [{ code: 'MESH0503', line: 12, column: 19 }],
    },
    {
      name: 'numeric targetPort not among declared container ports',
      yaml: docs(numbered, deployment('shop', 'v1', { app: 'web' }, 'web', [{ containerPort: 9090, name: 'metrics' }])),
      errors: [{ code: 'MESH0504', line: 12, column: 19, message: 'targetPort 8080 (TCP) is not declared as a container port of Deployment v1' }],
    },
  ],
});

test.run();
