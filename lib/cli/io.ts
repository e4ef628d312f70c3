/**
 * What every command shares: the streams it writes to, its usage errors and its warnings, each in
 * the one style of the whole command line.
 */
import { warningLines } from './wrap.ts';

/** The streams a command writes to: process's in the binary, in-memory ones in tests. */
export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stdin: NodeJS.ReadableStream;
}

/**
 * Bad usage or configuration: printed as one message on stderr (`scrape-check: <message>`), exit
 * code 2. `command` names the command whose command line was wrong, so the message ends with
 * `Try 'scrape-check <command> --help'`; null for a bad file, whose message names its place.
 */
export class UsageError extends Error {
  readonly command: string | null;
  constructor(message: string, command: string | null = null) {
    super(message);
    this.name = 'UsageError';
    this.command = command;
  }
}

/**
 * A warning on stderr, in the one style every command uses: `warning: …`, wrapped like the
 * diagnoses when stderr is a terminal, whole lines otherwise.
 */
export function warn(io: Io, message: string): void {
  const width = io.stderr.isTTY === true ? (io.stderr.columns ?? 100) : 0;
  io.stderr.write(`${warningLines(message, width).join('\n')}\n`);
}

/**
 * Writes a usage error as every command does: `scrape-check: <what is wrong>`, then
 * `Try 'scrape-check <command> --help'.` when the command line was at fault. Returns 2.
 */
export function reportUsageError(io: Io, error: UsageError): number {
  const command = error.command === '' ? '' : `${error.command} `;
  const hint = error.command === null ? '' : `\nTry 'scrape-check ${command}--help'.`;
  io.stderr.write(`scrape-check: ${error.message}${hint}\n`);
  return 2;
}
