/**
 * `scrape-check run`: load the config, run the checks, print a table (or the contract's JSON), and
 * exit 0 when every check passed, 1 when one failed, 2 for bad usage or configuration.
 */
import { loadConfigFile } from '#lib/config/index.ts';
import { withOperatorJobs } from '#lib/operator/with-jobs.ts';
import { runChecks, selectChecks } from '#lib/runner/index.ts';
import type { CheckResult } from '#lib/result/types.ts';
import { createSinks } from '#lib/sinks/index.ts';
import { RUN } from './commands.ts';
import { UsageError, warn, type Io } from './io.ts';
import { parseCommandArgs, prometheusVersionOption } from './options.ts';
import { renderTable } from './table.ts';

interface RunArgs {
  config: string;
  jobs: string[];
  json: boolean;
  samples: boolean;
  concurrency: number;
  prometheusVersion: '2' | '3' | undefined;
  sinks: boolean;
}

function parseRunArgs(args: string[]): RunArgs {
  const parsed = parseCommandArgs(RUN, args);
  const given = parsed.text('concurrency');
  const concurrency = given === undefined ? 32 : Number(given);
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new UsageError(
      `--concurrency takes a whole number of at least 1, got ${JSON.stringify(given)}`,
      'run',
    );
  }
  return {
    config: parsed.text('config') ?? 'scrape-check.yaml',
    jobs: parsed.list('job'),
    json: parsed.flag('json'),
    samples: parsed.flag('samples'),
    concurrency,
    prometheusVersion: prometheusVersionOption(parsed, 'run'),
    sinks: !parsed.flag('no-sinks'),
  };
}

/**
 * A progress line, only when stdout is a terminal (the contract's rule: a pipe or a file gets the
 * table alone); written to stderr so it never mixes with the output, and cleared before the table.
 */
function progress(
  io: Io,
  json: boolean,
): { update(result: CheckResult, done: number, total: number): void; clear(): void } {
  const on = io.stdout.isTTY === true && !json;
  return {
    update(_result, done, total) {
      if (on) io.stderr.write(`\r\u001b[2Kchecking… ${done}/${total}`);
    },
    clear() {
      if (on) io.stderr.write('\r\u001b[2K');
    },
  };
}

/** Runs `scrape-check run` (options in commands.ts) and returns its exit code. */
export async function runCommand(args: string[], io: Io, env: NodeJS.ProcessEnv): Promise<number> {
  const opts = parseRunArgs(args);
  const loaded = await withOperatorJobs(
    await loadConfigFile(opts.config, {
      ...(opts.prometheusVersion ? { prometheusVersion: opts.prometheusVersion } : {}),
    }),
    { ...(opts.prometheusVersion ? { version: opts.prometheusVersion } : {}) },
  );
  if (!loaded.ok) throw new UsageError(loaded.message);
  const selected = selectChecks(loaded.config, opts.jobs);
  if (!selected.ok) throw new UsageError(selected.message, 'run');
  for (const warning of loaded.warnings) warn(io, warning);
  // Options that do nothing in this mode say so, rather than being silently ignored.
  if (opts.samples && !opts.json)
    warn(io, '--samples does nothing without --json (it adds the samples to the JSON document)');
  if (!opts.sinks && loaded.config.sinks.remote_write === undefined)
    warn(io, '--no-sinks does nothing here: the config has no sinks.remote_write to skip');
  // What the run itself reports (a sink that retried and gave up, say) follows the table or the
  // JSON: written as it came, it would land above the results, or in the middle of the progress
  // line (issue 13). On a crash it is still written, before the error.
  const held: string[] = [];
  const hold = (message: string): void => {
    held.push(message);
  };
  const { sinks, forward } = opts.sinks
    ? createSinks(loaded.config.sinks, { environment: 'cli', warn: hold })
    : { sinks: [], forward: [] };
  const bar = progress(io, opts.json);
  try {
    const report = await runChecks(loaded.config, {
      jobs: opts.jobs,
      concurrency: opts.concurrency,
      samples: opts.samples,
      sinks,
      forward,
      warn: hold,
      onResult: (result, done, total) => {
        bar.update(result, done, total);
      },
      ...(opts.prometheusVersion ? { prometheusVersion: opts.prometheusVersion } : {}),
    });
    bar.clear();
    if (opts.json) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else {
      const color = io.stdout.isTTY === true && !env.NO_COLOR;
      io.stdout.write(
        renderTable(report, { color, width: io.stdout.isTTY ? (io.stdout.columns ?? 100) : 0 }),
      );
    }
    return report.summary.failed > 0 ? 1 : 0;
  } catch (error) {
    bar.clear();
    throw error;
  } finally {
    for (const message of held) warn(io, message);
  }
}
