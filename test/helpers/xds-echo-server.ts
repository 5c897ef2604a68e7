/**
 * A real @grpc/grpc-js-xds XdsServer in its own process (the workload being
 * protected): it takes its Listener, mTLS and RBAC from `meshc serve`.
 * GRPC_XDS_EXPERIMENTAL_RBAC is read when grpc-js-xds loads, so the parent
 * sets it in this process's environment. argv: bootstrap JSON file, port.
 * Prints "serving <port>" once the xDS Listener was accepted, "error <msg>" on failure.
 */
import { readFileSync } from 'node:fs';
import { ServerCredentials, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { register, XdsServer, XdsServerCredentials } from '@grpc/grpc-js-xds';

// Registers the HTTP filters (router, RBAC, fault injection) an XdsServer's Listener names.
register();

const [bootstrapFile, port] = process.argv.slice(2);
const server = new XdsServer({ 'grpc.TEST_ONLY_DO_NOT_USE_IN_PROD.xds_bootstrap_config': readFileSync(bootstrapFile!, 'utf8') });
const identity = (b: Buffer) => b;
server.addService({
  Echo: {
    path: '/grpc.testing.EchoTestService/Echo', requestStream: false, responseStream: false,
    requestSerialize: identity, requestDeserialize: identity, responseSerialize: identity, responseDeserialize: identity,
  },
}, { Echo: (_call: unknown, cb: (err: null, res: Buffer) => void) => cb(null, Buffer.from('echo')) } as UntypedServiceImplementation);
server.bindAsync(`0.0.0.0:${port}`, new XdsServerCredentials(ServerCredentials.createInsecure()), (err, bound) => {
  process.stdout.write(err ? `error ${err.message}\n` : `serving ${bound}\n`);
});
process.on('SIGTERM', () => server.tryShutdown(() => process.exit(0)));
