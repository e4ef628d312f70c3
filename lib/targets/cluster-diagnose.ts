/**
 * The `diagnose` a cluster plan hands the runner: for a failed cluster target it asks the cluster
 * why (401: the token's claims; 403: a SubjectAccessReview; 404/503 on the EKS metrics API: the
 * APIService), and returns null where it has nothing to add.
 */
import {
  redact,
  type ClusterConnection,
  type ScopedToken,
  type TokenSource,
} from '#lib/credentials/index.ts';
import { diagnoseUnauthorized } from '#lib/diagnose/cluster-auth.ts';
import { diagnoseEksMetrics, isEksMetricsPath } from '#lib/diagnose/cluster-eks-metrics.ts';
import { diagnoseForbidden, overPrivilegeWarnings, type Access } from '#lib/diagnose/rbac.ts';
import type { ScrapeRequest } from '#lib/scrape/types.ts';

/**
 * Explains a failed scrape of one of this cluster's targets, or returns null. Never throws.
 * `body` is the response body (a Kubernetes Status for 401/403) as text, or null when none was read.
 */
export type ClusterDiagnose = (
  request: ScrapeRequest,
  httpStatus: number | null,
  body: string | null,
) => Promise<string | null>;

export interface DiagnoseState {
  conn: ClusterConnection;
  token: ScopedToken;
  source: TokenSource;
  version: string | null;
  /** Every access this cluster's planned scrapes need. */
  needed: Access[];
  now: () => number;
  timeoutMs: number;
}

/** A diagnose that knows nothing: for plans that made no request. */
export const noDiagnose: ClusterDiagnose = () => Promise.resolve(null);

/** A review that has nothing to say. */
export const noReview = (): Promise<string | null> => Promise.resolve(null);

/**
 * The review for passing checks: one over-privilege check per plan (memoized), its warning
 * returned for each of this cluster's requests.
 */
export function clusterReview(
  conn: ClusterConnection,
  token: ScopedToken,
  timeoutMs: number,
): (request: ScrapeRequest) => Promise<string | null> {
  let warnings: Promise<string[]> | undefined;
  const secrets = [...conn.secrets, token.secret];
  return async (request) => {
    const subject = token.subject;
    if (request.cluster !== conn.name || request.auth === null || subject === null) return null;
    warnings ??= overPrivilegeWarnings(conn, subject, timeoutMs).catch(() => []);
    const found = await warnings;
    return found.length === 0 ? null : redact(found.join(' '), secrets);
  };
}

/** Builds the diagnose for one cluster's plan. */
export function clusterDiagnose(state: DiagnoseState): ClusterDiagnose {
  const secrets = [...state.conn.secrets, state.token.secret];
  return async (request, httpStatus, body) => {
    if (request.cluster !== state.conn.name || request.job === 'etcd') return null;
    try {
      let text: string | null = null;
      if (httpStatus === 401) {
        text = await diagnoseUnauthorized({
          conn: state.conn,
          token: state.token,
          source: state.source,
          now: state.now(),
          timeoutMs: state.timeoutMs,
        });
      } else if (httpStatus === 403) {
        text = await diagnoseForbidden(
          {
            conn: state.conn,
            subject: state.token.subject,
            needed: state.needed,
            timeoutMs: state.timeoutMs,
          },
          request.url,
          body ?? '',
        );
      } else if ((httpStatus === 404 || httpStatus === 503) && isEksMetricsPath(request.url)) {
        text = await diagnoseEksMetrics(state.conn, httpStatus, state.version, state.timeoutMs);
      }
      return text === null ? null : redact(text, secrets);
    } catch (error) {
      // A bug in a diagnosis must not cost the verdict: say so, without the stack.
      const message = error instanceof Error ? error.message : String(error);
      return redact(`scrape-check could not work out why (${message}).`, secrets);
    }
  };
}
