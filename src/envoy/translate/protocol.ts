/**
 * Port protocol as the compiler uses it: the decision itself lives in
 * src/model/port-protocol.ts, shared with reachability so that `why`/`test`
 * and the compiled proxies classify every Service port alike.
 */
export { isHttpLike, portProtocol, type PortLike, type PortProtocol } from '../../model/port-protocol.ts';
