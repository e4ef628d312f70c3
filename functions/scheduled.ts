/**
 * `scheduled`: the EventBridge schedule. Runs every check inline and returns the run's summary, or,
 * with `fanout: sqs`, queues one message per cluster (and one for the plain jobs) for `worker` and
 * returns `{ queued: N }`.
 */
import type { Config } from '#lib/config/index.ts';
import type { RunSummary } from '#lib/result/types.ts';
import { queueUrl } from '#lib/config/env.ts';
import { loadConfig } from './commons/config.ts';
import { parseScheduledEvent, type RunRequest } from './commons/events.ts';
import { planFanout } from './commons/fanout.ts';
import { logger, withLambdaContext } from './commons/logger.ts';
import { reportRun } from './commons/metrics.ts';
import { runInLambda } from './commons/run.ts';

async function fanOut(config: Config, request: RunRequest): Promise<{ queued: number }> {
  try {
    const { sendMessages } = await import('#lib/aws/sqs.ts');
    return { queued: await sendMessages(queueUrl(), planFanout(config, request)) };
  } catch (error) {
    reportRun(null, config.sinks.emf?.namespace);
    throw error;
  }
}

export const handler = withLambdaContext(
  async (event: unknown): Promise<RunSummary | { queued: number }> => {
    const request = parseScheduledEvent(event);
    const config = await loadConfig({ monitored: true });
    if (config.fanout === 'sqs') {
      const queued = await fanOut(config, request);
      logger.info('fan-out queued', queued);
      return queued;
    }
    const { summary } = await runInLambda(config, request, { monitored: true });
    logger.info('run finished', { ...summary });
    return summary;
  },
);
