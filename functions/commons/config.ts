/**
 * The configuration, from where `SCRAPE_CHECK_CONFIG` points (the bundle, S3 or SSM), kept across
 * warm invocations for a minute so edits in S3 or SSM apply without a redeploy.
 */
import type { Config } from '#lib/config/index.ts';
import { configLocation } from '#lib/config/env.ts';
import { createConfigCache } from '#lib/config/source.ts';
import { withOperatorJobs } from '#lib/operator/with-jobs.ts';
import { logger } from './logger.ts';
import { reportRun } from './metrics.ts';

const cache = createConfigCache();

/** The configuration could not be had; the message names the location, key and problem. */
export class ConfigUnusableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigUnusableError';
  }
}

/**
 * Loads (or reuses) the configuration; throws `ConfigUnusableError` with the problems. For the
 * monitor's own runs (`monitored`), an unusable config is reported to the aggregate alarm too.
 */
export async function loadConfig(options: { monitored?: boolean } = {}): Promise<Config> {
  const result = await withOperatorJobs(await cache.load(configLocation()));
  if (!result.ok) {
    // No run can happen: the aggregate alarm hears of it (in the default namespace, the config's
    // own being unknown; its metrics then go missing, which alarms too).
    if (options.monitored) reportRun(null);
    throw new ConfigUnusableError(result.message);
  }
  for (const warning of result.warnings) logger.warn(warning);
  return result.config;
}
