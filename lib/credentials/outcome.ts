/**
 * Failures are values here: a credentials or token problem is an answer for the user (with a
 * contract reason code and a diagnosis a person can act on), never an exception. Exceptions are
 * left for bugs.
 */
import type { Reason } from '#lib/result/reasons.ts';
import { redact } from './redact.ts';

/** Something on the way to a cluster failed: the contract's reason and what to do about it. */
export interface Failure {
  ok: false;
  reason: Exclude<Reason, 'ok'>;
  /** For a person at 3 a.m.: which call, which cluster or role, the error code, what to check. */
  diagnosis: string;
}

/** A value, or the failure that stopped it. */
export type Outcome<T> = { ok: true; value: T } | Failure;

/** Wraps a value as a successful outcome. */
export function success<T>(value: T): Outcome<T> {
  return { ok: true, value };
}

/**
 * Builds a failure. The diagnosis goes through {@link redact}, so a token or key that slipped into
 * an upstream error message (an exec plugin's stderr, say) never reaches the output.
 */
export function failure(
  reason: Exclude<Reason, 'ok'>,
  diagnosis: string,
  secrets: readonly string[] = [],
): Failure {
  return { ok: false, reason, diagnosis: redact(diagnosis, secrets) };
}
