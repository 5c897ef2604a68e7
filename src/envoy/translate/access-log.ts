/**
 * Application insights, part 1: every HTTP connection manager of an Envoy
 * sidecar writes one access-log line per request to stdout
 * (envoy.access_loggers.stdout), with the keys OSM used
 * (osm-translation.md section 3, `getStdoutAccessLog`). `--access-log`
 * chooses the format: `json` (default; one JSON object per line), `text`
 * (Envoy's default text line) or `off`.
 */
import type { Json } from './shapes.ts';

export const ACCESS_LOG_FORMATS = ['json', 'text', 'off'] as const;
export type AccessLogFormat = (typeof ACCESS_LOG_FORMATS)[number];

const TYPE_STDOUT_ACCESS_LOG = 'type.googleapis.com/envoy.extensions.access_loggers.stream.v3.StdoutAccessLog';

/** OSM's JSON keys and the Envoy command operators they hold. */
export const ACCESS_LOG_FIELDS: Record<string, string> = {
  start_time: '%START_TIME%',
  method: '%REQ(:METHOD)%',
  path: '%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%',
  protocol: '%PROTOCOL%',
  response_code: '%RESPONSE_CODE%',
  response_code_details: '%RESPONSE_CODE_DETAILS%',
  time_to_first_byte: '%RESPONSE_DURATION%',
  upstream_cluster: '%UPSTREAM_CLUSTER%',
  response_flags: '%RESPONSE_FLAGS%',
  bytes_received: '%BYTES_RECEIVED%',
  bytes_sent: '%BYTES_SENT%',
  duration: '%DURATION%',
  upstream_service_time: '%RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)%',
  x_forwarded_for: '%REQ(X-FORWARDED-FOR)%',
  user_agent: '%REQ(USER-AGENT)%',
  request_id: '%REQ(X-REQUEST-ID)%',
  requested_server_name: '%REQUESTED_SERVER_NAME%',
  authority: '%REQ(:AUTHORITY)%',
  upstream_host: '%UPSTREAM_HOST%',
};

/** The HCM `access_log` list for a format (empty for `off`). */
export function accessLogs(format: AccessLogFormat | undefined): Json[] {
  if (format === 'off') return [];
  const config: Json = { '@type': TYPE_STDOUT_ACCESS_LOG };
  if (format !== 'text') config.log_format = { json_format: { ...ACCESS_LOG_FIELDS } };
  return [{ name: 'envoy.access_loggers.stdout', typed_config: config }];
}
