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

/** Runs the checks `request` names (all of them when it names none). */
export async function runInLambda(config: Config, request: RunRequest): Promise<RunReport> {
  const warn = (message: string): void => {
    logger.warn(message);
  };
  const { sinks, forward } = createSinks(config.sinks, { environment: 'lambda', warn, logger });
  return runChecks(config, {
    ...(request.clusters ? { clusters: request.clusters } : {}),
    ...(request.jobs ? { jobs: request.jobs } : {}),
    sinks,
    forward,
    warn,
  });
}
