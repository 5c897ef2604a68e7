/** A subcommand: parses its own arguments and returns the process exit code. */
export interface CommandModule {
  summary: string;
  run(argv: string[]): Promise<number>;
}

/** Exit codes, identical for every output format. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

/** meshc's version (set at build time from package.json). */
export const VERSION: string = process.env.MESHC_VERSION ?? '0.1.0';
