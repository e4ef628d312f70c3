/**
 * Posting a message to a slash command's `response_url`
 * (https://api.slack.com/interactivity/handling#message_responses): a JSON POST, accepted up to
 * five times within 30 minutes of the command. Retried briefly on 5xx, 429 and network errors.
 */
import pRetry, { AbortError } from 'p-retry';
import { USER_AGENT } from '#lib/scrape/user-agent.ts';
import type { SlackMessage } from './blocks.ts';

/**
 * The hosts Slack sends `response_url`s from: Slack's own, and GovSlack's
 * (https://api.slack.com/interactivity/handling#message_responses; GovSlack serves
 * `hooks.slack-gov.com`). The config's `chatops.response_url_hosts` replaces the list.
 */
export const SLACK_RESPONSE_URL_HOSTS = ['hooks.slack.com', 'hooks.slack-gov.com'] as const;

const LOOPBACK = /^(127(?:\.\d{1,3}){3}|localhost|\[::1\])$/;

/**
 * True for a URL chatops may post to: its host (with the port when it has one) is in `hosts`, and
 * it is `https:`, or `http:` to a loopback address (a local receiver in tests). The URL came in a
 * request, so anything else (an internal address, a metadata endpoint) is refused.
 *
 * @example
 * isAllowedResponseUrl('https://hooks.slack-gov.com/commands/T1/2/x'); // true
 * isAllowedResponseUrl('http://127.0.0.1:8080/x', ['127.0.0.1:8080']); // true
 */
export function isAllowedResponseUrl(
  url: string,
  hosts: readonly string[] = SLACK_RESPONSE_URL_HOSTS,
): boolean {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return false;
  }
  const secure =
    target.protocol === 'https:' || (target.protocol === 'http:' && LOOPBACK.test(target.hostname));
  if (!secure || target.username !== '' || target.password !== '') return false;
  const host = target.host.toLowerCase();
  return hosts.some((allowed) => allowed.toLowerCase() === host);
}

/** True for a URL on Slack's or GovSlack's response hosts. */
export function isSlackResponseUrl(url: string): boolean {
  return isAllowedResponseUrl(url);
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
