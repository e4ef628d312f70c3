/**
 * `chatops`: the Slack slash command, at a Lambda function URL. Verifies Slack's signature, applies
 * the config's allow-lists, starts `check` asynchronously with the command's `response_url`, and
 * acknowledges within Slack's three seconds. The signing secret and the replay memory live as long
 * as the warm container.
 */
import {
  createSecretCache,
  handleSlashCommand,
  ReplayGuard,
  type FunctionUrlEvent,
  type FunctionUrlResult,
} from '#lib/chatops/index.ts';
import { checkFunctionName, slackSecretLocation } from '#lib/config/env.ts';
import { loadConfig } from './commons/config.ts';
import { logger, withLambdaContext } from './commons/logger.ts';

const secrets = createSecretCache();
const replay = new ReplayGuard();

export const handler = withLambdaContext((event: FunctionUrlEvent): Promise<FunctionUrlResult> =>
  handleSlashCommand(event, {
    signingSecret: () => secrets.get(slackSecretLocation()),
    config: loadConfig,
    startCheck: async (request) => {
      const { invokeAsync } = await import('#lib/aws/lambda.ts');
      await invokeAsync(checkFunctionName(), request);
    },
    replay,
    now: Date.now,
    log: (message, fields) => {
      logger.info(message, fields);
    },
  }),
);
