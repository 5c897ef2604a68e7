/**
 * `--health-listen`: a second, plaintext gRPC server carrying grpc.health.v1 only, for kubelet gRPC probes (which
 * cannot do TLS, let alone present a client certificate). It shares the main server's HealthService, so it reports
 * NOT_SERVING as soon as shutdown begins; no xDS service is registered on it, so it gives nothing away.
 */
import { Server, ServerCredentials, type UntypedServiceImplementation } from '@grpc/grpc-js';
import type { HealthService } from './health.ts';
import { listen, type Listening } from './listen.ts';
import { healthService } from './services.ts';

export interface HealthListener {
  port: number;
  close(): void;
}

export async function listenHealthOnly(health: HealthService, host: string, port: number): Promise<HealthListener> {
  const server = new Server({ 'grpc.enable_channelz': 0, 'grpc.max_receive_message_length': 64 * 1024 });
  server.addService(healthService, health.implementation() as UntypedServiceImplementation);
  const listening: Listening = await listen(server, ServerCredentials.createInsecure(), host, port);
  return {
    port: listening.port,
    close() {
      listening.stopAccepting();
      server.forceShutdown();
      listening.destroyConnections();
    },
  };
}
