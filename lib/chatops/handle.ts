/**
 * One Slack slash command, arriving at a Lambda function URL (payload format 2.0,
 * https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html#urls-payloads): verify the
 * signature, refuse what the allow-lists refuse, and hand the run to the `check` function, all
 * within Slack's three seconds (https://api.slack.com/interactivity/slash-commands#responding_basic_receipt).
 */
import type { Config } from '#lib/config/index.ts';
import { ephemeral, escapeMrkdwn, helpMessage, type SlackMessage } from './blocks.ts';
import { checkAccess, knownJobs, parseSlashCommand } from './command.ts';
import type { ReplayGuard } from './replay.ts';
import { isAllowedResponseUrl } from './respond.ts';
import { verifySlackSignature } from './signature.ts';

/** The parts of a function URL request (payload 2.0) that chatops reads. */
export interface FunctionUrlEvent {
  headers?: Record<string, string | undefined>;
  body?: string;
  isBase64Encoded?: boolean;
  requestContext?: { http?: { method?: string } };
}

export interface FunctionUrlResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** What `chatops` asks `check` to do (the `check` event, plus who asked). */
export interface CheckRequest {
  clusters?: string[];
  jobs?: string[];
  response_url: string;
  /** Slack user id of the asker, shown in the results message. */
  requested_by?: string;
}

export interface ChatopsDeps {
  /** Slack's signing secret (cached by the caller). */
  signingSecret(): Promise<string>;
  /** The configuration; throws with a message a person can act on. */
  config(): Promise<Pick<Config, 'chatops' | 'clusters' | 'scrape_configs'>>;
  /** Starts the run without waiting for it (Lambda InvocationType Event). */
  startCheck(request: CheckRequest): Promise<void>;
  replay: ReplayGuard;
  now(): number;
  /** A log line without secrets. */
  log(message: string, fields: Record<string, unknown>): void;
}

function json(statusCode: number, message: SlackMessage | { error: string }): FunctionUrlResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(message),
  };
}

function header(event: FunctionUrlEvent, name: string): string | undefined {
  const headers = event.headers ?? {};
  const direct = headers[name];
  if (direct !== undefined) return direct;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

/**
 * Handles one request and returns the HTTP response. Never throws: an unexpected failure is a 500
 * with a generic body (the details go to the log).
 *
 * @example
 * export const handler = (event: FunctionUrlEvent) => handleSlashCommand(event, deps);
 */
export async function handleSlashCommand(
  event: FunctionUrlEvent,
  deps: ChatopsDeps,
): Promise<FunctionUrlResult> {
  const method = event.requestContext?.http?.method ?? 'POST';
  if (method !== 'POST') return json(405, { error: 'POST a Slack slash command here' });
  const body = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');

  let secret: string;
  try {
    secret = await deps.signingSecret();
  } catch (error) {
    deps.log('chatops: the Slack signing secret could not be read', {
      error: (error as Error).message,
    });
    return json(500, { error: 'scrape-check is not configured for Slack yet' });
  }
  const signature = header(event, 'x-slack-signature');
  const verdict = verifySlackSignature(
    secret,
    { timestamp: header(event, 'x-slack-request-timestamp'), signature, body },
    deps.now(),
  );
  if (!verdict.ok) {
    deps.log('chatops: request refused', { reason: `signature ${verdict.reason}` });
    return json(401, { error: `signature ${verdict.reason}` });
  }

  const form = new URLSearchParams(body.toString('utf8'));
  const user = form.get('user_id') ?? '';
  const channel = form.get('channel_id') ?? '';
  const text = form.get('text') ?? '';
  const retry = header(event, 'x-slack-retry-num');
  const key = form.get('trigger_id') || signature!;
  if (retry !== undefined || deps.replay.has(key, deps.now())) {
    deps.log('chatops: repeated request acknowledged, not run again', {
      user,
      retry: retry ?? null,
    });
    return json(200, ephemeral('Already on it: the results will follow here.'));
  }

  let config: Awaited<ReturnType<ChatopsDeps['config']>>;
  try {
    config = await deps.config();
  } catch (error) {
    deps.log('chatops: configuration unusable', { error: (error as Error).message });
    return json(
      200,
      ephemeral(`:warning: scrape-check's configuration is unusable: ${(error as Error).message}`),
    );
  }
  const access = checkAccess(config.chatops, user, channel);
  if (!access.ok) {
    deps.log('chatops: refused by the allow-lists', { user, channel });
    return json(200, ephemeral(`Sorry, ${access.why}. Nothing was run.`));
  }
  const command = parseSlashCommand(text, config);
  if (command.kind === 'help') {
    return json(
      200,
      helpMessage(
        config.clusters.map((c) => c.name),
        knownJobs(config),
      ),
    );
  }
  if (command.kind === 'unknown') {
    const listed = command.words.map((w) => `\`${escapeMrkdwn(w)}\``).join(', ');
    const help = helpMessage(command.clusters, command.jobs).text;
    return json(200, ephemeral(`I don't know ${listed}: nothing was run.\n${help}`));
  }
  const responseUrl = form.get('response_url') ?? '';
  const hosts = config.chatops.response_url_hosts;
  if (!isAllowedResponseUrl(responseUrl, hosts)) {
    deps.log('chatops: response_url is not on an allowed host', { user });
    return json(400, {
      error: `response_url must be an https URL on ${hosts.join(' or ')} (chatops.response_url_hosts)`,
    });
  }

  deps.replay.add(key, deps.now());
  const request: CheckRequest = {
    ...(command.clusters.length > 0 ? { clusters: command.clusters } : {}),
    ...(command.jobs.length > 0 ? { jobs: command.jobs } : {}),
    response_url: responseUrl,
    requested_by: user,
  };
  try {
    await deps.startCheck(request);
  } catch (error) {
    deps.replay.delete(key);
    deps.log('chatops: the check could not be started', { error: (error as Error).message });
    return json(
      200,
      ephemeral(':warning: The check could not be started; please try again in a minute.'),
    );
  }
  deps.log('chatops: check started', {
    user,
    channel,
    clusters: command.clusters,
    jobs: command.jobs,
  });
  const scope = [...command.clusters, ...command.jobs].join(' ') || 'everything';
  return json(200, ephemeral(`Checking ${scope}… the results will follow here.`));
}
