/** grpc.health.v1.Health: Check and Watch, for the overall server ("") and each discovery service. */
import { quoted } from './echo.ts';
import { status as Status, type ServerUnaryCall, type ServerWritableStream, type UntypedServiceImplementation, type sendUnaryData } from '@grpc/grpc-js';
import { HEALTH_STATUS, decodeHealthCheckRequest, encodeHealthCheckResponse } from './messages.ts';
import { WireError } from './wire.ts';

export class HealthService {
  private readonly statuses = new Map<string, number>();
  private readonly watchers = new Set<{ service: string; call: ServerWritableStream<Buffer, Buffer>; last: number }>();

  constructor(services: readonly string[]) {
    for (const s of ['', ...services]) this.statuses.set(s, HEALTH_STATUS.SERVING);
  }

  /** Marks every service serving or not (e.g. NOT_SERVING while shutting down) and tells watchers. */
  setAll(serving: boolean): void {
    for (const s of this.statuses.keys()) this.statuses.set(s, serving ? HEALTH_STATUS.SERVING : HEALTH_STATUS.NOT_SERVING);
    for (const w of this.watchers) this.notify(w);
  }

  get watcherCount(): number {
    return this.watchers.size;
  }

  /** Ends every Watch stream (shutdown). */
  endWatches(): void {
    for (const w of [...this.watchers]) {
      this.watchers.delete(w);
      w.call.end();
    }
  }

  private statusOf(service: string): number {
    return this.statuses.get(service) ?? HEALTH_STATUS.SERVICE_UNKNOWN;
  }

  private notify(w: { service: string; call: ServerWritableStream<Buffer, Buffer>; last: number }): void {
    const now = this.statusOf(w.service);
    if (now === w.last) return;
    w.last = now;
    w.call.write(encodeHealthCheckResponse(now));
  }

  implementation(): UntypedServiceImplementation {
    return {
      Check: (call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>) => {
        let service: string;
        try {
          service = decodeHealthCheckRequest(call.request).service;
        } catch (err) {
          callback({ code: Status.INVALID_ARGUMENT, details: `malformed HealthCheckRequest: ${(err as WireError).message}` });
          return;
        }
        if (!this.statuses.has(service)) {
          callback({ code: Status.NOT_FOUND, details: `unknown service ${quoted(service)}` });
          return;
        }
        callback(null, encodeHealthCheckResponse(this.statusOf(service)));
      },
      Watch: (call: ServerWritableStream<Buffer, Buffer>) => {
        let service: string;
        try {
          service = decodeHealthCheckRequest(call.request).service;
        } catch (err) {
          call.emit('error', { code: Status.INVALID_ARGUMENT, details: `malformed HealthCheckRequest: ${(err as WireError).message}` });
          return;
        }
        const w = { service, call, last: -1 };
        this.watchers.add(w);
        const drop = (): void => void this.watchers.delete(w);
        call.on('cancelled', drop);
        call.on('close', drop);
        call.on('finish', drop);
        this.notify(w);
      },
    };
  }
}
