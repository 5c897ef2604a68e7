/**
 * Raw gRPC over node:http2 for robustness tests: lets a test send arbitrary
 * bytes, stop reading, or drop the TCP connection without any grpc-js client
 * logic in between.
 */
import { connect, constants, type ClientHttp2Session, type ClientHttp2Stream } from 'node:http2';

export function grpcFrame(msg: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.writeUInt32BE(msg.length, 1);
  return Buffer.concat([head, msg]);
}

export function rawSession(address: string): Promise<ClientHttp2Session> {
  return new Promise((resolve, reject) => {
    const session = connect(`http://${address}`);
    session.once('connect', () => resolve(session));
    session.once('error', reject);
  });
}

export function rawCall(session: ClientHttp2Session, path: string): ClientHttp2Stream {
  const stream = session.request({
    [constants.HTTP2_HEADER_METHOD]: 'POST',
    [constants.HTTP2_HEADER_PATH]: path,
    'content-type': 'application/grpc',
    te: 'trailers',
  });
  stream.on('error', () => { /* the test looks at what it needs */ });
  return stream;
}

/** Resolves with grpc-status and grpc-message from the trailers (or headers, for trailers-only responses). */
export function rawStatus(stream: ClientHttp2Stream): Promise<{ code: number; message: string }> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (h: Record<string, unknown>): void => {
      if (done || h['grpc-status'] === undefined) return;
      done = true;
      resolve({ code: Number(h['grpc-status']), message: decodeURIComponent(String(h['grpc-message'] ?? '')) });
    };
    stream.on('response', (h) => finish(h));
    stream.on('trailers', (h) => finish(h));
    stream.on('data', () => {});
  });
}
