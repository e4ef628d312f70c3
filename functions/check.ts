/**
 * `check`: direct invocation. Runs what the event names and returns the `run --json` document; with
 * `response_url` (chatops' asynchronous call) it also posts the results there as a Slack message,
 * or, when the run could not happen, a message that says why.
 */
import {
  errorMessage,
  isAllowedResponseUrl,
  postToResponseUrl,
  reportMessage,
  type SlackMessage,
} from '#lib/chatops/index.ts';
import type { RunReport } from '#lib/result/types.ts';
import { loadConfig } from './commons/config.ts';
import { parseCheckEvent } from './commons/events.ts';
import { logger, withLambdaContext } from './commons/logger.ts';
import { runInLambda } from './commons/run.ts';

async function post(
  url: string | undefined,
  hosts: readonly string[] | undefined,
  message: () => SlackMessage,
): Promise<void> {
  if (url === undefined) return;
  // Only where chatops may post (chatops.response_url_hosts): a direct invocation names any URL.
  if (!isAllowedResponseUrl(url, hosts)) {
    logger.error('response_url is not on an allowed host (chatops.response_url_hosts): not posted');
    return;
  }
  await postToResponseUrl(url, message()).catch((error: unknown) => {
    logger.error('could not post to response_url', { error: (error as Error).message });
  });
}

export const handler = withLambdaContext(async (event: unknown): Promise<RunReport> => {
  const request = parseCheckEvent(event);
  const { response_url: url, requested_by: by, clusters = [], jobs = [] } = request;
  let hosts: readonly string[] | undefined;
  try {
    const config = await loadConfig();
    hosts = config.chatops.response_url_hosts;
    const report = await runInLambda(config, { clusters, jobs });
    const scope = [...clusters, ...jobs].join(' ');
    await post(url, hosts, () =>
      reportMessage(report, { scope, ...(by ? { requestedBy: by } : {}) }),
    );
    return report;
  } catch (error) {
    await post(url, hosts, () => errorMessage((error as Error).message));
    throw error;
  }
});
