/** A start-up failure the CLI reports as a usage-level error (exit 2). */
export class ServeError extends Error {}
