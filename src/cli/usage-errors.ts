/**
 * How the CLI reports a command line it cannot run: a UsageError holds
 * catalogue diagnostics (MESH1048–1054 and others), written one line each on
 * stderr, then where the options are explained; exit 2. Also failures after
 * the command line was accepted (an unwritable output: MESH1020).
 */
import { type Code, type MessageArgs } from '../core/catalog/index.ts';
import { DiagnosticSink } from '../core/diagnostics.ts';
import type { Diagnostic } from '../core/types.ts';
import type { ValueProblem } from '../config/values.ts';
import { useColor } from '../report/color.ts';
import { formatLine } from '../report/index.ts';
import { EXIT_USAGE } from './command.ts';
import { writeFailureReason } from './common-errors.ts';

/**
 * A usage error: the command does not run, exit code 2. Every command prints
 * it the same way: one line per problem with its code (`meshc: error MESH1052
 * … [option-value-form]`), then where the options are explained.
 */
export class UsageError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map((d) => d.message).join('; '));
  }
}

export function usageProblem<C extends Code>(code: C, args: MessageArgs<C>): UsageError {
  const sink = new DiagnosticSink();
  sink.report(code, args, null);
  return new UsageError(sink.items);
}

/** MESH1050: two options (or an option and an input) that exclude each other. */
export function conflictFailure(option: string, other: string): UsageError {
  return usageProblem('MESH1050', { option, other });
}

/** MESH1051: an option given without another it needs, or without a value (`required`: '--tls-key', 'a file name'). */
export function needsFailure(option: string, required: string): UsageError {
  return usageProblem('MESH1051', { option, required });
}

/** MESH1052: an option's value of the wrong form (`actual` as shown to the user, usually JSON). */
export function formFailure(option: string, problem: ValueProblem): UsageError {
  return usageProblem('MESH1052', { option, expected: problem.expected, actual: problem.actual });
}

/** MESH1053: two listeners on one port. */
export function portFailure(option: string, other: string, port: number): UsageError {
  return usageProblem('MESH1053', { option, other, port });
}

/** MESH1054: the wrong arguments after the options (`expected`: 'one DIR at most', `actual`: '2'). */
export function argumentsFailure(command: string, expected: string, actual: string): UsageError {
  return usageProblem('MESH1054', { command, expected, actual });
}

/** MESH1048: an option's value is not one of its choices (`value` as given, shown as JSON). */
export function choiceFailure(option: string, value: unknown, allowed: readonly string[]): UsageError {
  return usageProblem('MESH1048', { option, allowed: allowed.join(', '), value: JSON.stringify(value) });
}

/** The value of an option with a few allowed values (MESH1048 for another), or `fallback` when it is not given. */
export function oneOf<T extends string>(flag: string, value: unknown, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T)) throw choiceFailure(`--${flag}`, value, allowed);
  return value as T;
}

/** MESH1049: a required option is missing (`option` with its value's placeholder: '--out DIR'). */
export function requiredFailure(option: string): UsageError {
  return usageProblem('MESH1049', { option });
}

/** Prints a usage error like every other and returns exit code 2 (for checks made before runCommand). */
export function usageErrorExit(name: string, error: UsageError): number {
  writeProblems(name, error);
  return EXIT_USAGE;
}

/** MESH1020 for an output file that could not be written (exit 2); `written`: files already written before it. */
export function writeFailure(path: string, err: unknown, written: string[] = []): number {
  return failWith({ code: 'MESH1020', args: { path, reason: writeFailureReason(err), written: written.length > 0 ? ` (already written: ${written.join(', ')})` : '' } });
}

/**
 * A failure after the command line was accepted (an unwritable output, an
 * unreadable input): its diagnostics on stderr in the one-line form, exit 2.
 */
export function failWith(diagnostics: Diagnostic[] | { code: string; args: Record<string, unknown> }): number {
  let list: Diagnostic[];
  if (Array.isArray(diagnostics)) list = diagnostics;
  else {
    const sink = new DiagnosticSink();
    sink.report(diagnostics.code, diagnostics.args, null);
    list = sink.items;
  }
  const color = useColor(process.stderr, process.env);
  process.stderr.write(list.map((d) => `${formatLine(d, color)}\n`).join(''));
  return EXIT_USAGE;
}

/** Writes usage errors / configuration problems on stderr (never stdout). */
export function writeProblems(name: string, err: UsageError, env: NodeJS.ProcessEnv = process.env): void {
  const color = useColor(process.stderr, env);
  const text = err.diagnostics.map((d) => `${formatLine(d, color)}\n`).join('');
  process.stderr.write(`${text}Run 'meshc ${name} --help' for the options.\n`);
}
