/**
 * Turns a failed Kubernetes API call made by the checker into a failure value: a 401 means the
 * checker's own credentials were refused (`credentials_failed`); anything else keeps the reason
 * the caller chose, with the call, the cluster, the status message and what to check.
 */
import type { Reason } from '#lib/result/reasons.ts';
import { explainNetworkCode, type ApiResult } from './kube-api.ts';
import { failure, type Failure } from './outcome.ts';
import type { ClusterConnection } from './types.ts';

/** What the API call was, for the diagnosis: `TokenRequest for ServiceAccount monitoring/x`. */
export interface ApiCallContext {
  call: string;
  /** Reason for everything but 401. */
  reason: Exclude<Reason, 'ok'>;
  /** Extra advice per status (403, 404, …), appended to the diagnosis. */
  advice?: Partial<Record<number, string>>;
}

/** The failure for a non-2xx or network result. */
export function apiFailure(
  conn: ClusterConnection,
  result: Exclude<ApiResult, { ok: true }>,
  context: ApiCallContext,
): Failure {
  const on = `on cluster "${conn.name}" (${conn.server.host})`;
  if (result.status === null) {
    return failure(
      context.reason,
      `${context.call} ${on} got no answer: ${result.code ?? 'error'}, ${explainNetworkCode(result.code)} (${result.message}).`,
      conn.secrets,
    );
  }
  if (result.status === 401) {
    return failure(
      'credentials_failed',
      `${context.call} ${on}: the API server refused the checker's own credentials (401 ${result.message}). ${conn.rejectedHint}`,
      conn.secrets,
    );
  }
  const advice = context.advice?.[result.status] ?? '';
  return failure(
    context.reason,
    `${context.call} ${on} failed (HTTP ${result.status}): ${result.message}.${advice === '' ? '' : ` ${advice}`}`,
    conn.secrets,
  );
}
