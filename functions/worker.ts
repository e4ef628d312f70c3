/**
 * `worker`: the fan-out queue's consumer. Each message is `{ clusters?, jobs? }`; a message is
 * reported back (and so retried, then dead-lettered) only when it could not be run at all: an
 * unreadable body or a crashed run. Failed checks are verdicts, delivered to the sinks, not failures.
 */
import { loadConfig } from './commons/config.ts';
import { parseMessageBody, type SqsBatchResponse, type SqsEvent } from './commons/events.ts';
import { logger, withLambdaContext } from './commons/logger.ts';
import { runInLambda } from './commons/run.ts';

export const handler = withLambdaContext(async (event: SqsEvent): Promise<SqsBatchResponse> => {
  const failed: string[] = [];
  const fail = (messageId: string, error: unknown): void => {
    logger.error('message not run', { messageId, error: (error as Error).message });
    failed.push(messageId);
  };
  const config = await loadConfig({ monitored: true }).catch((error: unknown) => {
    for (const record of event.Records) fail(record.messageId, error);
    return null;
  });
  if (config) {
    await Promise.all(
      event.Records.map(async ({ messageId, body }) => {
        try {
          const { summary } = await runInLambda(config, parseMessageBody(body), {
            monitored: true,
          });
          logger.info('message run', { messageId, ...summary });
        } catch (error) {
          fail(messageId, error);
        }
      }),
    );
  }
  return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
});
