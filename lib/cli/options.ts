/**
 * Command lines read from each command's own option table: one parser (node:util's parseArgs
 * tokens, with scrape-check's words for every mistake, never Node's), and one help layout. The
 * tables live in commands.ts, so `--help` and the reference's test read the same list the parser
 * accepts.
 */
import { parseArgs } from 'node:util';
import { nearest } from '#lib/config/errors.ts';
import { UsageError } from './io.ts';

/** One option of a command. */
export interface OptionSpec {
  /** The long name, without `--`. */
  readonly name: string;
  readonly short?: string;
  readonly type: 'string' | 'boolean';
  /** Repeatable (`--job a --job b`). */
  readonly multiple?: boolean;
  /** The value's placeholder in help (`FILE`, `N`). */
  readonly value?: string;
  /** What it does, for `--help`. */
  readonly help: string;
}

/** A command: its usage line, what it does, its options, arguments and exit codes. */
export interface CommandSpec {
  readonly name: string;
  /** One line, for the top-level help's command list. */
  readonly summary: string;
  /** The arguments after the options in the usage line (`[FILE|-]`), or '' for none. */
  readonly args: string;
  /** How many positional arguments it takes. */
  readonly maxArgs: number;
  readonly description: string;
  readonly options: readonly OptionSpec[];
  readonly exitCodes: readonly (readonly [number, string])[];
}

/** Every command's `--help`, `-h`. */
export const HELP_OPTION: OptionSpec = {
  name: 'help',
  short: 'h',
  type: 'boolean',
  help: 'print this help and exit 0',
};

/** What a command line holds, read by long option name. */
export interface ParsedArgs {
  /** A boolean option: given or not. */
  flag(name: string): boolean;
  /** A string option's value (the last one given), or undefined. */
  text(name: string): string | undefined;
  /** A repeatable option's values, in order. */
  list(name: string): string[];
  positionals: string[];
}

function optionName(o: OptionSpec): string {
  return `--${o.name}`;
}

/**
 * Reads `args` against `spec`'s option table. Every mistake is a UsageError naming the command:
 * an unknown option (with the nearest known one), a missing value, a value given to a flag, too
 * many arguments.
 */
export function parseCommandArgs(spec: CommandSpec, args: readonly string[]): ParsedArgs {
  const table = [...spec.options, HELP_OPTION];
  const options = Object.fromEntries(
    table.map((o) => [
      o.name,
      { type: o.type, ...(o.short ? { short: o.short } : {}), multiple: o.multiple === true },
    ]),
  );
  // strict: false, so that every mistake reaches the checks below and is said in our words.
  const { tokens } = parseArgs({
    args: [...args],
    options,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const values: Record<string, string | boolean | string[]> = {};
  const positionals: string[] = [];
  const usage = (message: string): UsageError => new UsageError(message, spec.name);
  for (const token of tokens) {
    if (token.kind === 'positional') {
      positionals.push(token.value);
      continue;
    }
    if (token.kind !== 'option') continue;
    const o = table.find((t) => t.name === token.name);
    if (o === undefined) {
      const near = nearest(token.rawName, table.map(optionName));
      throw usage(
        `unknown option ${token.rawName} for ${spec.name}${near === null ? '' : `; did you mean ${near}?`}`,
      );
    }
    const shown = token.rawName;
    if (o.type === 'boolean') {
      if (token.value !== undefined)
        throw usage(`${shown} takes no value, got ${JSON.stringify(token.value)}`);
      values[o.name] = true;
      continue;
    }
    // Node takes the next argument as the value even when it is an option (`--config --json`).
    const value = token.value;
    if (value === undefined || (!token.inlineValue && value.startsWith('-') && value !== '-'))
      throw usage(`${shown} needs a value (${o.value ?? 'VALUE'})`);
    if (o.multiple) values[o.name] = [...((values[o.name] as string[] | undefined) ?? []), value];
    else values[o.name] = value;
  }
  const parsed: ParsedArgs = {
    flag: (name) => values[name] === true,
    text: (name) => (typeof values[name] === 'string' ? values[name] : undefined),
    list: (name) => (Array.isArray(values[name]) ? values[name] : []),
    positionals,
  };
  if (parsed.flag('help')) return parsed;
  if (positionals.length > spec.maxArgs) {
    throw usage(
      spec.maxArgs === 0
        ? `${spec.name} takes no arguments, got ${JSON.stringify(positionals[0])}`
        : `${spec.name} takes at most ${spec.maxArgs} argument${spec.maxArgs === 1 ? '' : 's'} (${spec.args}), got ${positionals.length}`,
    );
  }
  return parsed;
}

/** Wraps `text` to `width` columns after `indent` (no wrapping when width is 0). */
function wrapText(text: string, indent: number, width: number): string {
  const words = text.split(' ');
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line !== '' && width > 0 && indent + line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  lines.push(line);
  return lines.join(`\n${' '.repeat(indent)}`);
}

/** The option list and exit codes of a help text (wrapped to 100 columns). */
function optionLines(options: readonly OptionSpec[]): string[] {
  const left = options.map((o) => {
    const name = `--${o.name}${o.type === 'string' ? ` ${o.value ?? 'VALUE'}` : ''}`;
    return `  ${o.short ? `-${o.short}, ` : '    '}${name}`;
  });
  const column = Math.max(...left.map((l) => l.length)) + 2;
  return options.map((o, i) => `${left[i]!.padEnd(column)}${wrapText(o.help, column, 100)}`);
}

/** `usage: scrape-check run [options]`, `usage: scrape-check parse [FILE|-] [options]`. */
export function usageLine(spec: CommandSpec): string {
  return `usage: scrape-check ${spec.name}${spec.args ? ` ${spec.args}` : ''} [options]`;
}

/** A command's `--help`: usage, what it does, each option, the exit codes. */
export function helpText(spec: CommandSpec): string {
  const codes = spec.exitCodes.map(
    ([code, meaning]) => `  ${String(code).padEnd(4)}${wrapText(meaning, 6, 100)}`,
  );
  return [
    usageLine(spec),
    '',
    wrapText(spec.description, 0, 100),
    '',
    'options:',
    ...optionLines([...spec.options, HELP_OPTION]),
    '',
    'exit codes:',
    ...codes,
    '',
    'The reference (commands, JSON, reason codes, config keys): docs/reference.md',
  ].join('\n');
}

/** `--prometheus-version`: 2, 3, or undefined when not given (run and targets share it). */
export function prometheusVersionOption(
  parsed: ParsedArgs,
  command: string,
): '2' | '3' | undefined {
  const version = parsed.text('prometheus-version');
  if (version === undefined || version === '2' || version === '3') return version;
  throw new UsageError(
    `--prometheus-version takes 2 or 3, got ${JSON.stringify(version)}`,
    command,
  );
}
