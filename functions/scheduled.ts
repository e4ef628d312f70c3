/**
 * `scheduled`: the EventBridge schedule. Runs every check inline and returns the run's summary, or,
 * with `fanout: sqs`, queues one message per cluster (and one for the plain jobs) for `worker` and
 * returns `{ queued: N }`.
 */
import type { RunSummary } from '#lib/result/types.ts';
import { queueUrl } from '#lib/config/env.ts';
import { loadConfig } from './commons/config.ts';
import { parseScheduledEvent } from './commons/events.ts';
import { planFanout } from './commons/fanout.ts';
import { logger } from './commons/logger.ts';
import { runInLambda } from './commons/run.ts';

export const handler = async (event: unknown): Promise<RunSummary | { queued: number }> => {
  const request = parseScheduledEvent(event);
  const config = await loadConfig();
  if (config.fanout === 'sqs') {
    const { sendMessages } = await import('#lib/aws/sqs.ts');
    const queued = await sendMessages(queueUrl(), planFanout(config, request));
    logger.info('fan-out queued', { queued });
    return { queued };
  }
  const { summary } = await runInLambda(config, request);
  logger.info('run finished', { ...summary });
  return summary;
};
