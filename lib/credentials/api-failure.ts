/**
 * Turns a failed Kubernetes API call made by the checker into a failure value: a 401 means the
 * checker's own credentials were refused (`credentials_failed`); an API server that gave no answer
 * at all gets the network or TLS reason of what happened (below); anything else keeps the reason
 * the caller chose, with the call, the cluster, the status message and what to check.
 */
import { hostname } from 'node:os';
import { lambdaFunction } from '#lib/config/env.ts';
import type { Reason } from '#lib/result/reasons.ts';
import { explainNetworkCode, type ApiResult } from './kube-api.ts';
import { failure, type Failure } from './outcome.ts';
import type { ClusterConnection } from './types.ts';

/** What the API call was, for the diagnosis: `TokenRequest for ServiceAccount monitoring/x`. */
export interface ApiCallContext {
  call: string;
  /** Reason for an HTTP answer other than 401. */
  reason: Exclude<Reason, 'ok'>;
  /** Extra advice per status (403, 404, …), appended to the diagnosis. */
  advice?: Partial<Record<number, string>>;
}

/**
 * The reason for an API server that gave no HTTP answer, by the error seen (issue 13).
 *
 * Neither cluster reason tells the truth here: `token_request_failed` ("the scoped token could not
 * be obtained") blames the ServiceAccount and its RBAC, `credentials_failed` ("the cluster's
 * credentials could not be had") blames EKS, STS or the kubeconfig, and both were fine: the API
 * server was not there. Alarms key on reasons, so the verdict must name the component at fault.
 * The contract already has the words for it, the ones a scrape of the API server gets (and every
 * cluster preset is scraped through the API server, or found through it): `connect_refused`,
 * `connect_timeout`, `dns_failed`, `connection_lost`, and the TLS reasons when its certificate does
 * not verify. The diagnosis says it was the API server, for which call, and from where.
 */
const NO_ANSWER: Record<string, Exclude<Reason, 'ok'>> = {
  ECONNREFUSED: 'connect_refused',
  EHOSTUNREACH: 'connect_refused',
  ENETUNREACH: 'connect_refused',
  ENOTFOUND: 'dns_failed',
  EAI_AGAIN: 'dns_failed',
  EAI_FAIL: 'dns_failed',
  EAI_NONAME: 'dns_failed',
  EAI_NODATA: 'dns_failed',
  ETIMEDOUT: 'connect_timeout',
  UND_ERR_CONNECT_TIMEOUT: 'connect_timeout',
  // It accepted the connection and then said nothing in time: a scrape of it would time out.
  UND_ERR_HEADERS_TIMEOUT: 'scrape_timeout',
  UND_ERR_BODY_TIMEOUT: 'scrape_timeout',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'tls_unknown_ca',
  UNABLE_TO_GET_ISSUER_CERT: 'tls_unknown_ca',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'tls_unknown_ca',
  SELF_SIGNED_CERT_IN_CHAIN: 'tls_unknown_ca',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'tls_unknown_ca',
  CERT_UNTRUSTED: 'tls_unknown_ca',
  CERT_HAS_EXPIRED: 'tls_cert_expired',
  CERT_NOT_YET_VALID: 'tls_cert_not_yet_valid',
  ERR_TLS_CERT_ALTNAME_INVALID: 'tls_hostname_mismatch',
};

/** Where scrape-check runs, as a network failure was seen from there. */
export function vantagePoint(): string {
  const fn = lambdaFunction();
  if (fn !== null) {
    return `the Lambda function ${fn.name}${fn.region === null ? '' : ` in ${fn.region}`}`;
  }
  return `this host (${hostname()})`;
}

/** The failure for an API server that gave no HTTP answer. */
function noAnswer(
  conn: ClusterConnection,
  result: Exclude<ApiResult, { ok: true }>,
  context: ApiCallContext,
): Failure {
  const code = result.code ?? '';
  const reason = NO_ANSWER[code] ?? 'connection_lost';
  const server = `The API server of cluster "${conn.name}" (${conn.server.origin})`;
  const what = `${code === '' ? '' : `${code}, `}${explainNetworkCode(result.code)}: ${result.message}`;
  const after = `${context.call} was not answered, so nothing that goes through this API server could be checked.`;
  if (reason.startsWith('tls_')) {
    return failure(
      reason,
      `${server} was reached from ${vantagePoint()}, but its certificate did not verify (${what}). ${after}`,
      conn.secrets,
    );
  }
  const state =
    reason === 'scrape_timeout'
      ? 'accepted the connection but did not answer in time'
      : 'is down or unreachable';
  return failure(
    reason,
    `${server} ${state} from ${vantagePoint()} (${what}). ${after}`,
    conn.secrets,
  );
}

/** The failure for a non-2xx or network result. */
export function apiFailure(
  conn: ClusterConnection,
  result: Exclude<ApiResult, { ok: true }>,
  context: ApiCallContext,
): Failure {
  const on = `on cluster "${conn.name}" (${conn.server.host})`;
  if (result.status === null) return noAnswer(conn, result, context);
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
