/** A subcommand: parses its own arguments and returns the process exit code. */
export interface CommandModule {
  summary: string;
  run(argv: string[]): Promise<number>;
}

/** Exit codes, identical for every output format. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;
