/**
 * The command line: `main(argv, env, io)` returns the exit code and does nothing at import time, so
 * tests call it directly and each command loads only what it needs.
 */
import { UsageError, type Io } from './io.ts';

export type { Io } from './io.ts';

const USAGE = `scrape-check: checks that Prometheus can still scrape your endpoints, and says why not

usage:
  scrape-check run [--config FILE] [--job NAME]... [--json] [--samples] [--concurrency N]
                   [--prometheus-version 2|3] [--no-sinks]
  scrape-check targets [--config FILE] [--job NAME]... [--json] [--explain]
                       [--prometheus-version 2|3]
  scrape-check parse [FILE|-] [--json] [--format auto|prometheus|openmetrics]
  scrape-check lab [--json]
  scrape-check --version

exit codes: 0 every check passed, 1 a check failed, 2 bad usage or configuration`;

function errorMessage(error: unknown): string {
  if (error instanceof UsageError) return error.message;
  // node:util parseArgs throws TypeErrors with codes for unknown or malformed options.
  const code = (error as NodeJS.ErrnoException).code;
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))
    return `${(error as Error).message}\n(see scrape-check --help)`;
  return '';
}

export async function main(argv: string[], env: NodeJS.ProcessEnv, io: Io): Promise<number> {
  const [command, ...args] = argv;
  try {
    switch (command) {
      case 'run': {
        const { runCommand } = await import('./run-command.ts');
        return await runCommand(args, io, env);
      }
      case 'targets': {
        const { targetsCommand } = await import('./targets-command.ts');
        return await targetsCommand(args, io);
      }
      case 'parse': {
        const { parseCommand } = await import('./parse-command.ts');
        return await parseCommand(args, io);
      }
      case 'lab': {
        const { labCommand } = await import('#lib/lab/command.ts');
        return await labCommand(args, io, env);
      }
      case '--version':
      case 'version': {
        const { USER_AGENT } = await import('#lib/scrape/user-agent.ts');
        io.stdout.write(`${USER_AGENT}\n`);
        return 0;
      }
      case 'help':
      case '--help':
      case '-h':
        io.stdout.write(`${USAGE}\n`);
        return 0;
      case undefined:
        io.stderr.write(`${USAGE}\n`);
        return 2;
      default:
        io.stderr.write(`scrape-check: unknown command ${JSON.stringify(command)}\n\n${USAGE}\n`);
        return 2;
    }
  } catch (error) {
    const message = errorMessage(error);
    if (message === '') throw error;
    io.stderr.write(`scrape-check: ${message}\n`);
    return 2;
  }
}
