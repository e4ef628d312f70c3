/**
 * A result with nothing measured yet: every entry point starts from one (a scrape fills it in, a
 * target that could not be attempted is reported with it as it is), so the contract's shape is
 * written once.
 */
import type { Reason } from './reasons.ts';
import type { CheckResult, TokenInfo } from './types.ts';

export interface BlankResultFields {
  job: string;
  cluster: string | null;
  instance: string | null;
  url: string | null;
  reason: Reason;
  diagnosis: string;
  token: TokenInfo | null;
  scrapeTimeoutMs: number;
  bodySizeLimit?: number;
  sampleLimit?: number;
  warnings?: string[];
}

export function blankResult(f: BlankResultFields): CheckResult {
  return {
    job: f.job,
    cluster: f.cluster,
    instance: f.instance,
    url: f.url,
    ok: f.reason === 'ok',
    reason: f.reason,
    diagnosis: f.diagnosis,
    httpStatus: null,
    durationMs: 0,
    phases: { dnsMs: null, connectMs: null, tlsMs: null, firstByteMs: null, bodyMs: null },
    bytes: 0,
    series: 0,
    format: null,
    tls: null,
    token: f.token,
    limits: {
      bodyBytes: 0,
      bodySizeLimit: f.bodySizeLimit ?? 0,
      samples: 0,
      sampleLimit: f.sampleLimit ?? 0,
      durationMs: 0,
      scrapeTimeoutMs: f.scrapeTimeoutMs,
    },
    warnings: f.warnings ?? [],
  };
}

/** Milliseconds to one decimal, as results carry them. */
export function roundMs(ms: number | null): number | null {
  return ms === null ? null : Math.round(ms * 10) / 10;
}
