/**
 * Every command's option table, usage and exit codes: what the parser accepts, what `--help`
 * prints and what docs/reference.md must list (test/cli/reference.test.ts reads these tables).
 * Plain data with no imports beyond types, so `--help` loads almost nothing.
 */
import type { CommandSpec, OptionSpec } from './options.ts';

const CRASH = [
  70,
  'scrape-check itself crashed (a bug: the message says so, with its stack)',
] as const;
const BAD_USAGE = [
  2,
  'bad usage or configuration: one message on stderr naming the option, or the file, line, column and key path; nothing on stdout',
] as const;

const config: OptionSpec = {
  name: 'config',
  short: 'c',
  type: 'string',
  value: 'FILE',
  help: 'the configuration: a scrape-check.yaml, or the prometheus.yml your Prometheus runs (default scrape-check.yaml)',
};
const job: Omit<OptionSpec, 'help'> = {
  name: 'job',
  short: 'j',
  type: 'string',
  multiple: true,
  value: 'NAME',
};
const version: OptionSpec = {
  name: 'prometheus-version',
  type: 'string',
  value: '2|3',
  help: "whose verdict to reproduce: Prometheus 2 or 3 (default: the config's compat.prometheus, which defaults to 3)",
};

/** `scrape-check run`. */
export const RUN: CommandSpec = {
  name: 'run',
  summary: 'check every target in the configuration, as Prometheus would scrape it',
  args: '',
  maxArgs: 0,
  description:
    'Scrapes every target of the configuration (static targets, discovered targets, cluster presets, operator monitors) exactly as Prometheus would, and gives each a verdict with a reason code and a diagnosis: a table for people, or one JSON document with --json.',
  options: [
    config,
    {
      ...job,
      help: 'check only this scrape job, cluster (all its presets), preset in every cluster (apiserver), or cluster/preset; repeatable',
    },
    {
      name: 'json',
      type: 'boolean',
      help: 'print one JSON document (summary, results, skipped) instead of the table',
    },
    {
      name: 'samples',
      type: 'boolean',
      help: "with --json, add each result's scraped samples (does nothing without --json)",
    },
    {
      name: 'concurrency',
      type: 'string',
      value: 'N',
      help: 'how many checks run at once, at least 1 (default 32)',
    },
    version,
    {
      name: 'no-sinks',
      type: 'boolean',
      help: "do not send results to the config's sinks (sinks.remote_write)",
    },
  ],
  exitCodes: [
    [0, 'every check passed'],
    [1, 'at least one check failed (the run itself worked)'],
    BAD_USAGE,
    CRASH,
  ],
};

/** `scrape-check targets`. */
export const TARGETS: CommandSpec = {
  name: 'targets',
  summary: 'list what each job would scrape after discovery and relabeling, without scraping',
  args: '',
  maxArgs: 0,
  description:
    "Lists what each scrape job would scrape after service discovery and relabeling, like Prometheus's targets page, without scraping: per job its active targets, the dropped ones by the rule that dropped them, and why a job has none. With --json, the data of Prometheus's /api/v1/targets plus scrape-check's additions.",
  options: [
    config,
    { ...job, help: 'only this scrape job; repeatable' },
    {
      name: 'json',
      type: 'boolean',
      help: "print the data of Prometheus's /api/v1/targets (activeTargets, droppedTargets with droppedBy, failedTargets, jobErrors, skipped)",
    },
    {
      name: 'explain',
      type: 'boolean',
      help: "show each target's labels after every relabel rule (steps in JSON), and every dropped target",
    },
    version,
  ],
  exitCodes: [
    [0, 'every job has targets'],
    [
      1,
      'a job has none: its discovery failed, nothing is left after relabeling, or it could not be made (a monitor the operator rejects, a generated config that cannot be read)',
    ],
    BAD_USAGE,
    CRASH,
  ],
};

/** `scrape-check parse`. */
export const PARSE: CommandSpec = {
  name: 'parse',
  summary: 'validate an exposition file (or stdin) as Prometheus would parse it',
  args: '[FILE|-]',
  maxArgs: 1,
  description:
    'Parses a Prometheus text (0.0.4) or OpenMetrics 1.0 exposition from FILE, gzip or not, or from stdin (- or no FILE), and prints a summary with lint warnings, or every family and sample with --json. An invalid exposition is named FILE:LINE:COLUMN on stderr. A plain text file goes through the accept lane first, a faster reader with the same answers (SCRAPE_CHECK_ACCEPT=off skips it; =why says what it did).',
  options: [
    {
      name: 'json',
      type: 'boolean',
      help: 'print one JSON document: format, series, warnings and every family with its samples',
    },
    {
      name: 'format',
      type: 'string',
      value: 'auto|prometheus|openmetrics',
      help: 'the format to parse as (default auto: OpenMetrics when the text ends in # EOF)',
    },
  ],
  exitCodes: [
    [0, 'a valid exposition'],
    [1, 'an invalid one (FILE:LINE:COLUMN: what was expected, on stderr), or unreadable data'],
    [2, 'bad usage (an unknown option, a missing file)'],
    CRASH,
  ],
};

/** `scrape-check lab`. */
export const LAB: CommandSpec = {
  name: 'lab',
  summary: 'bring up loopback endpoints that reproduce real breakages, and check them all',
  args: '',
  maxArgs: 0,
  description:
    'Starts endpoints on 127.0.0.1, with certificates made at start, each reproducing a breakage Prometheus users meet, checks them all with the real runner, and says whether every case gave the reason it reproduces. Then shuts everything down, unless --keep.',
  options: [
    {
      name: 'json',
      type: 'boolean',
      help: 'print one JSON document: per case its job, what it should give, what it gave and whether it passed, and the run --json document',
    },
    {
      name: 'keep',
      type: 'boolean',
      help: 'leave the endpoints up and print a prometheus.yml for them (with the CA and token files the lab made), for your own Prometheus or scrape-check run --config; Ctrl-C or SIGTERM closes everything',
    },
  ],
  exitCodes: [
    [0, 'every case gave the reason it reproduces (with --keep: after Ctrl-C or SIGTERM)'],
    [1, 'a case did not'],
    [2, 'bad usage'],
    CRASH,
  ],
};

/** Every command, in the order help lists them. */
export const COMMANDS: readonly CommandSpec[] = [RUN, TARGETS, PARSE, LAB];

/** The top-level `--help`. */
export function topHelp(): string {
  const width = Math.max('--version'.length, ...COMMANDS.map((c) => c.name.length)) + 2;
  return [
    'scrape-check: checks that Prometheus can still scrape your endpoints, and says why not',
    '',
    'usage: scrape-check <command> [options]',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    `  ${'--version'.padEnd(width)}print the version`,
    '',
    "Run 'scrape-check <command> --help' for a command's options and exit codes.",
    '',
    'exit codes: 0 every check passed, 1 a check failed, 2 bad usage or configuration, 70 a bug',
    'The reference (commands, JSON, reason codes, config keys): docs/reference.md',
  ].join('\n');
}
