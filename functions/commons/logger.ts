/** The functions' logger (Powertools): JSON lines with the function's context. */
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: 'scrape-check' });

/** The Lambda context, as Powertools' `addContext` takes it. */
export type LambdaContext = Parameters<Logger['addContext']>[0];

/**
 * Wraps a handler so every log line of the invocation carries the request id, the function's
 * name, version and memory, and `cold_start`, the Powertools way: `addContext` at the start of
 * each invocation (what its `injectLambdaContext` decorator and middleware do,
 * https://docs.powertools.aws.dev/lambda/typescript/latest/core/logger/#capturing-lambda-context-info),
 * and the invocation's temporary keys cleared after it.
 */
export function withLambdaContext<E, R>(
  handler: (event: E) => Promise<R>,
): (event: E, context?: LambdaContext) => Promise<R> {
  return async (event, context) => {
    if (context) logger.addContext(context);
    try {
      return await handler(event);
    } finally {
      logger.resetKeys();
    }
  };
}
