/**
 * The command line: `main(argv, env, io)` returns the exit code and does nothing at import time, so
 * tests call it directly and each command loads only what it needs (`--version` and `--help` load
 * almost nothing).
 *
 * Every command reads alike: `--help` (or `-h`) prints its usage, options and exit codes and exits
 * 0; a mistake on the command line is `scrape-check: <what is wrong>` and
 * `Try 'scrape-check <command> --help'.` on stderr, exit 2; a bad file is one message naming its
 * place, exit 2.
 */
import { reportUsageError, UsageError, type Io } from './io.ts';

export type { Io } from './io.ts';

const COMMAND_NAMES = ['run', 'targets', 'parse', 'lab'] as const;
type CommandName = (typeof COMMAND_NAMES)[number];

function isCommand(name: string | undefined): name is CommandName {
  return (COMMAND_NAMES as readonly (string | undefined)[]).includes(name);
}

/** `--help` or `-h` among the options (not after `--`, where it would be a file name). */
function wantsHelp(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

async function printHelp(io: Io, command: CommandName | null): Promise<number> {
  const specs = await import('./commands.ts');
  if (command === null) {
    io.stdout.write(`${specs.topHelp()}\n`);
    return 0;
  }
  const { helpText } = await import('./options.ts');
  const spec = specs.COMMANDS.find((c) => c.name === command)!;
  io.stdout.write(`${helpText(spec)}\n`);
  return 0;
}

async function runCommand(
  command: CommandName,
  args: string[],
  env: NodeJS.ProcessEnv,
  io: Io,
): Promise<number> {
  switch (command) {
    case 'run':
      return (await import('./run-command.ts')).runCommand(args, io, env);
    case 'targets':
      return (await import('./targets-command.ts')).targetsCommand(args, io, env);
    case 'parse':
      return (await import('./parse-command.ts')).parseCommand(args, io, env);
    case 'lab':
      return (await import('#lib/lab/command.ts')).labCommand(args, io, env);
  }
}

async function dispatch(argv: string[], env: NodeJS.ProcessEnv, io: Io): Promise<number> {
  const [command, ...args] = argv;
  if (isCommand(command)) {
    return wantsHelp(args) ? printHelp(io, command) : runCommand(command, args, env, io);
  }
  switch (command) {
    case '--version':
    case '-V':
    case 'version': {
      const { USER_AGENT } = await import('#lib/scrape/user-agent.ts');
      io.stdout.write(`${USER_AGENT}\n`);
      return 0;
    }
    case 'help':
    case '--help':
    case '-h': {
      const topic = args[0];
      if (topic === undefined) return printHelp(io, null);
      if (isCommand(topic)) return printHelp(io, topic);
      throw new UsageError(`no command named ${JSON.stringify(topic)}`, '');
    }
    case undefined:
      throw new UsageError(`no command given (one of ${COMMAND_NAMES.join(', ')})`, '');
    default: {
      const { nearest } = await import('#lib/config/errors.ts');
      const near = nearest(command, [...COMMAND_NAMES, '--version', '--help']);
      throw new UsageError(
        `unknown command ${JSON.stringify(command)}${near === null ? '' : `; did you mean ${near}?`}`,
        '',
      );
    }
  }
}

/**
 * Runs one command line and returns its exit code: 0 and 1 as the command says, 2 for bad usage
 * or configuration. A thrown error is a bug (the binary prints it and exits 70).
 *
 * @example
 * process.exitCode = await main(process.argv.slice(2), process.env, process);
 */
export async function main(argv: string[], env: NodeJS.ProcessEnv, io: Io): Promise<number> {
  try {
    return await dispatch(argv, env, io);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return reportUsageError(io, error);
  }
}
