/**
 * A scrape that did not work, as a value: the contract's reason code and a diagnosis a person can
 * act on. `ScrapeFailureError` only carries one through undici's callback-based connector; it is
 * unwrapped before anything reaches a result.
 */
import type { Reason } from '#lib/result/reasons.ts';

export interface ScrapeFailure {
  reason: Exclude<Reason, 'ok'>;
  diagnosis: string;
}

export class ScrapeFailureError extends Error {
  readonly failure: ScrapeFailure;
  constructor(failure: ScrapeFailure) {
    super(failure.diagnosis);
    this.name = 'ScrapeFailureError';
    this.failure = failure;
  }
}

export function failure(reason: ScrapeFailure['reason'], diagnosis: string): ScrapeFailure {
  return { reason, diagnosis };
}
