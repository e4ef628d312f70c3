/**
 * Posting a message to a slash command's `response_url`
 * (https://api.slack.com/interactivity/handling#message_responses): a JSON POST, accepted up to
 * five times within 30 minutes of the command. Retried briefly on 5xx, 429 and network errors.
 */
import pRetry, { AbortError } from 'p-retry';
import { USER_AGENT } from '#lib/scrape/user-agent.ts';
import type { SlackMessage } from './blocks.ts';

/** Where Slack's response URLs live; chatops refuses any other (the URL came in a request). */
export const SLACK_RESPONSE_URL_PREFIX = 'https://hooks.slack.com/';

/** True for a URL that Slack could have sent as `response_url`. */
export function isSlackResponseUrl(url: string): boolean {
  return url.startsWith(SLACK_RESPONSE_URL_PREFIX);
}

export interface PostOptions {
  retries?: number;
  minBackoffMs?: number;
  timeoutMs?: number;
}

/**
 * POSTs `message` to `url`. Throws after the retries, with the status or the network error (the
 * URL itself is a capability, so it is not put in the error).
 */
export async function postToResponseUrl(
  url: string,
  message: SlackMessage,
  options: PostOptions = {},
): Promise<void> {
  const target = new URL(url);
  if (target.protocol !== 'https:' && target.protocol !== 'http:') {
    throw new Error(`response_url must be an http(s) URL, got ${target.protocol}`);
  }
  const body = JSON.stringify(message);
  await pRetry(
    async () => {
      // Node's own fetch: no HTTP library in the bundle for one small POST.
      const response = await fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': USER_AGENT },
        body,
        signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
      });
      const text = (await response.text()).slice(0, 200);
      if (response.ok) return;
      const error = new Error(`response_url answered HTTP ${response.status}: ${text}`);
      if (response.status < 500 && response.status !== 429) throw new AbortError(error);
      throw error;
    },
    { retries: options.retries ?? 2, minTimeout: options.minBackoffMs ?? 300, randomize: true },
  );
}
