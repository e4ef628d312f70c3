/**
 * One run inside Lambda: the configured sinks (EMF and a log line per result on stdout, plus
 * remote_write when configured), warnings to the log, then the one runner.
 */
import type { Config } from '#lib/config/index.ts';
import type { RunReport } from '#lib/result/types.ts';
import { runChecks } from '#lib/runner/index.ts';
import { createSinks } from '#lib/sinks/index.ts';
import type { RunRequest } from './events.ts';
import { logger } from './logger.ts';
import { reportRun } from './metrics.ts';

/** How a run is counted. */
export interface RunOptions {
  /**
   * The run is the monitor's (`scheduled`, `worker`): it is reported to the aggregate alarm's
   * metrics, and a run that throws counts as `RunsFailed`. On-demand runs (`check`) are not.
   */
  monitored?: boolean;
}

/** Runs the checks `request` names (all of them when it names none). */
export async function runInLambda(
  config: Config,
  request: RunRequest,
  options: RunOptions = {},
): Promise<RunReport> {
  const warn = (message: string): void => {
    logger.warn(message);
  };
  const namespace = config.sinks.emf?.namespace;
  try {
    const { sinks, forward } = createSinks(config.sinks, { environment: 'lambda', warn, logger });
    const report = await runChecks(config, {
      ...(request.clusters ? { clusters: request.clusters } : {}),
      ...(request.jobs ? { jobs: request.jobs } : {}),
      sinks,
      forward,
      warn,
    });
    if (options.monitored) reportRun(report.summary, namespace);
    return report;
  } catch (error) {
    if (options.monitored) reportRun(null, namespace);
    throw error;
  }
}
