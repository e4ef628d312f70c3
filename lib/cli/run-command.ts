/**
 * `scrape-check run`: load the config, run the checks, print a table (or the contract's JSON), and
 * exit 0 when every check passed, 1 when one failed, 2 for bad usage or configuration.
 */
import { parseArgs } from 'node:util';
import { loadConfigFile } from '#lib/config/index.ts';
import { withOperatorJobs } from '#lib/operator/with-jobs.ts';
import { runChecks, selectChecks } from '#lib/runner/index.ts';
import type { CheckResult } from '#lib/result/types.ts';
import { createSinks } from '#lib/sinks/index.ts';
import { UsageError, type Io } from './io.ts';
import { renderTable } from './table.ts';

export const RUN_USAGE = `usage: scrape-check run [--config FILE] [--job NAME]... [--json] [--samples]
                        [--concurrency N] [--prometheus-version 2|3] [--no-sinks]`;

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
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      config: { type: 'string', short: 'c' },
      job: { type: 'string', multiple: true, short: 'j' },
      json: { type: 'boolean' },
      samples: { type: 'boolean' },
      concurrency: { type: 'string' },
      'prometheus-version': { type: 'string' },
      'no-sinks': { type: 'boolean' },
    },
  });
  if (positionals.length > 0)
    throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}\n${RUN_USAGE}`);
  const concurrency = values.concurrency === undefined ? 32 : Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new UsageError(
      `--concurrency takes a whole number of at least 1, got ${JSON.stringify(values.concurrency)}`,
    );
  }
  const version = values['prometheus-version'];
  if (version !== undefined && version !== '2' && version !== '3') {
    throw new UsageError(`--prometheus-version takes 2 or 3, got ${JSON.stringify(version)}`);
  }
  return {
    config: values.config ?? 'scrape-check.yaml',
    jobs: values.job ?? [],
    json: values.json ?? false,
    samples: values.samples ?? false,
    concurrency,
    prometheusVersion: version,
    sinks: !(values['no-sinks'] ?? false),
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
  if (!selected.ok) throw new UsageError(selected.message);
  for (const warning of loaded.warnings) io.stderr.write(`warning: ${warning}\n`);
  // What the run itself reports (a sink that retried and gave up, say) follows the table or the
  // JSON: written as it came, it would land above the results, or in the middle of the progress
  // line (issue 13). On a crash it is still written, before the error.
  const held: string[] = [];
  const warn = (message: string): void => {
    held.push(`warning: ${message}\n`);
  };
  const { sinks, forward } = opts.sinks
    ? createSinks(loaded.config.sinks, { environment: 'cli', warn })
    : { sinks: [], forward: [] };
  const bar = progress(io, opts.json);
  try {
    const report = await runChecks(loaded.config, {
      jobs: opts.jobs,
      concurrency: opts.concurrency,
      samples: opts.samples,
      sinks,
      forward,
      warn,
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
    for (const line of held) io.stderr.write(line);
  }
}
