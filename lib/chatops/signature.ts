/**
 * Slack's request signing, v0 (https://api.slack.com/authentication/verifying-requests-from-slack):
 * `X-Slack-Signature` is `v0=` and the hex HMAC-SHA256, keyed with the app's signing secret, of
 * `v0:{X-Slack-Request-Timestamp}:{raw body}`. A timestamp more than five minutes away from now is
 * refused, so a captured request cannot be replayed later.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Slack's recommended window. */
export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;

export type SignatureVerdict =
  { ok: true } | { ok: false; reason: 'missing' | 'malformed' | 'stale' | 'mismatch' };

export interface SignedRequest {
  /** `X-Slack-Request-Timestamp`: seconds since the epoch. */
  timestamp: string | undefined;
  /** `X-Slack-Signature`: `v0=<64 hex>`. */
  signature: string | undefined;
  /** The body exactly as it arrived (after base64 decoding, if any). */
  body: Uint8Array;
}

/** The `v0=…` signature of a body at a time: what Slack sends, and what the signing script prints. */
export function slackSignature(secret: string, timestamp: string, body: Uint8Array): string {
  const hmac = createHmac('sha256', secret);
  hmac.update(`v0:${timestamp}:`);
  hmac.update(body);
  return `v0=${hmac.digest('hex')}`;
}

/**
 * Verifies a request's signature in constant time.
 *
 * @example
 * verifySlackSignature(secret, { timestamp, signature, body }, Date.now()); // { ok: true }
 */
export function verifySlackSignature(
  secret: string,
  request: SignedRequest,
  nowMs: number,
): SignatureVerdict {
  const { timestamp, signature, body } = request;
  if (!timestamp || !signature) return { ok: false, reason: 'missing' };
  if (!/^\d{1,12}$/.test(timestamp) || !/^v0=[0-9a-f]{64}$/.test(signature)) {
    return { ok: false, reason: 'malformed' };
  }
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > SIGNATURE_TOLERANCE_SECONDS) {
    return { ok: false, reason: 'stale' };
  }
  const expected = Buffer.from(slackSignature(secret, timestamp, body));
  const given = Buffer.from(signature);
  // Both are "v0=" + 64 hex digits here, so the lengths match and the comparison is constant-time.
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return { ok: false, reason: 'mismatch' };
  }
  return { ok: true };
}
