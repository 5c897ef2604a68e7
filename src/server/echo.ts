/**
 * Bounds on client-supplied strings the server repeats (status messages, log
 * lines). A status message travels in an HTTP/2 trailer, which peers limit to
 * a few kilobytes: a status repeating a 100,000-character node id is never
 * delivered and the client waits forever.
 */

/** Longest client-supplied string repeated whole. */
export const MAX_ECHO = 200;
/** Longest status message sent (whatever it repeats). */
export const MAX_STATUS_DETAILS = 1024;
/** Longest string field written to a log line. */
export const MAX_LOG_FIELD = 4096;

/** `s` cut to `max` characters, marked with … when cut. */
export function clip(s: string, max = MAX_ECHO): string {
  return s.length <= max ? s : `${s.slice(0, max)}…`;
}

/** A client string quoted for a message: `'value'`, or `'valu…' (N characters)` when cut short. */
export function quoted(s: string): string {
  return s.length <= MAX_ECHO ? `'${s}'` : `'${clip(s)}' (${s.length} characters)`;
}
