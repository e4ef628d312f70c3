/**
 * Why the API server (or a control-plane component) answered 401 to a scrape's ServiceAccount
 * token: expired, issued for an audience it does not accept, or bound to a Secret or
 * ServiceAccount that no longer exists. Decided from the token's claims (decoded, never
 * verified) and, for a legacy Secret, from the Secret itself.
 */
import {
  callApi,
  namespacedPath,
  type ClusterConnection,
  type ScopedToken,
  type TokenSource,
} from '#lib/credentials/index.ts';

export interface UnauthorizedContext {
  conn: ClusterConnection;
  token: ScopedToken;
  source: TokenSource;
  now: number;
  timeoutMs?: number;
}

function ago(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  return minutes < 120 ? `${minutes} min` : `${Math.round(minutes / 60)} h`;
}

async function secretState(
  ctx: UnauthorizedContext,
  namespace: string,
  name: string,
): Promise<string> {
  const result = await callApi(ctx.conn, namespacedPath(namespace, 'secrets', name), {
    ...(ctx.timeoutMs === undefined ? {} : { timeoutMs: ctx.timeoutMs }),
  });
  if (!result.ok && result.status === 404) {
    return ` The Secret ${namespace}/${name} has been deleted since the token was read, and its token died with it.`;
  }
  if (result.ok) {
    const labels = (result.body as { metadata?: { labels?: Record<string, string> } } | null)
      ?.metadata?.labels;
    const since = labels?.['kubernetes.io/legacy-token-invalid-since'];
    if (since !== undefined) {
      return ` Kubernetes marked this legacy token invalid since ${since} (unused for a year, LegacyServiceAccountTokenCleanUp in 1.29+). Switch to service_account (TokenRequest).`;
    }
  }
  return ` The Secret still exists: the ServiceAccount it names may have been deleted (and perhaps re-created: tokens are bound to its UID).`;
}

/**
 * The diagnosis for a 401 on a cluster target.
 *
 * @example
 * await diagnoseUnauthorized(ctx) // 'the ServiceAccount token expired at … (12 min before the scrape) …'
 */
export async function diagnoseUnauthorized(ctx: UnauthorizedContext): Promise<string> {
  const { claims } = ctx.token;
  const who = claims?.sub ?? 'the scrape token';
  const head = `The API server refused ${who}'s token (401).`;
  if (claims?.exp != null && claims.exp * 1000 <= ctx.now) {
    const when = new Date(claims.exp * 1000).toISOString();
    let why: string;
    switch (ctx.source.kind) {
      case 'service_account':
        why = `TokenRequest tokens live clusters[${ctx.conn.name}].service_account.expiration_seconds (${ctx.source.expirationSeconds} s), and this run outlived it: raise expiration_seconds or shorten the run.`;
        break;
      case 'file':
        why = `Nothing refreshed ${ctx.source.path}: in a pod the kubelet rotates the projected token; outside one, whatever writes the file must renew it before it expires.`;
        break;
      case 'secret':
        why =
          'Legacy Secret tokens do not normally expire: the Secret holds a token someone wrote by hand.';
        break;
    }
    return `${head} The token expired at ${when} (${ago(ctx.now - claims.exp * 1000)} before the scrape). ${why}`;
  }
  if (ctx.source.kind === 'secret') {
    return head + (await secretState(ctx, ctx.source.namespace, ctx.source.name));
  }
  if (ctx.source.kind === 'service_account' && ctx.source.audiences.length > 0) {
    return `${head} It was issued for audiences [${ctx.source.audiences.join(', ')}] (clusters[${ctx.conn.name}].service_account.audiences); the API server accepts only its own (--api-audiences, by default its issuer${claims?.iss == null ? '' : ` ${claims.iss}`}). Leave audiences empty to get a token for the API server.`;
  }
  const issuer = claims?.iss == null ? '' : ` (issuer ${claims.iss})`;
  return `${head} It has not expired${issuer}: it may come from another cluster, or its ServiceAccount was deleted after it was issued. Check \`kubectl get serviceaccount\` for ${who}.`;
}
