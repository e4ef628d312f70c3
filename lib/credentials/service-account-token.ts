/**
 * The scoped token scrapes are made with: a short-lived TokenRequest token for a ServiceAccount
 * (the default), a legacy `kubernetes.io/service-account-token` Secret, or a token file (as
 * Prometheus reads one in a pod). Held in memory for the run; results carry only its claims.
 */
import { readFile, stat } from 'node:fs/promises';
import { tokenWarnings } from '#lib/diagnose/token.ts';
import type { AuthSettings } from '#lib/scrape/types.ts';
import type { TokenInfo } from '#lib/result/types.ts';
import { apiFailure } from './api-failure.ts';
import { namespacedPath } from './api-path.ts';
import { decodeClaims, tokenInfo, type TokenClaims } from './jwt.ts';
import { callApi } from './kube-api.ts';
import { failure, success, type Outcome } from './outcome.ts';
import type { ClusterConnection } from './types.ts';

/** Where the scoped token comes from (`clusters[].service_account` or `clusters[].token`). */
export type TokenSource =
  | {
      kind: 'service_account';
      namespace: string;
      name: string;
      audiences: string[];
      expirationSeconds: number;
    }
  | { kind: 'secret'; namespace: string; name: string }
  | { kind: 'file'; path: string };

/** Who the API server sees when the token is presented, for access reviews. */
export interface Subject {
  user: string;
  groups: string[];
}

export interface ScopedToken {
  /** What the scrape sends. A file source stays a file, read at check time (rotation). */
  auth: AuthSettings;
  info: TokenInfo;
  claims: TokenClaims | null;
  subject: Subject | null;
  warnings: string[];
  /** The token itself, for redaction only. */
  secret: string;
}

/** The API minimum for TokenRequest `expirationSeconds` (10 minutes). */
export const MIN_EXPIRATION_SECONDS = 600;

const SA_PREFIX = 'system:serviceaccount:';

/** The ServiceAccount user and groups for `system:serviceaccount:NS:NAME`, else the bare user. */
export function subjectOf(user: string): Subject {
  if (!user.startsWith(SA_PREFIX)) return { user, groups: ['system:authenticated'] };
  const namespace = user.slice(SA_PREFIX.length).split(':')[0] ?? '';
  return {
    user,
    groups: [
      'system:serviceaccounts',
      `system:serviceaccounts:${namespace}`,
      'system:authenticated',
    ],
  };
}

function bearer(token: string): AuthSettings {
  return { type: 'bearer', credentials: token };
}

/** Reads the token of one kind of source through the API server. */
type ApiTokenReader<K extends 'service_account' | 'secret'> = (
  conn: ClusterConnection,
  source: Extract<TokenSource, { kind: K }>,
  timeoutMs: number,
  now: number,
) => Promise<Outcome<ScopedToken>>;

const tokenRequest: ApiTokenReader<'service_account'> = async (conn, source, timeoutMs, now) => {
  const { namespace, name } = source;
  const path = `${namespacedPath(namespace, 'serviceaccounts', name)}/token`;
  const result = await callApi(conn, path, {
    method: 'POST',
    timeoutMs,
    body: {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: {
        ...(source.audiences.length > 0 ? { audiences: source.audiences } : {}),
        expirationSeconds: source.expirationSeconds,
      },
    },
  });
  const call = `TokenRequest for ServiceAccount ${namespace}/${name} as ${conn.identity}`;
  if (!result.ok) {
    return apiFailure(conn, result, {
      call,
      reason: 'token_request_failed',
      advice: {
        403: `The checker needs create on serviceaccounts/token for resourceNames ["${name}"] in namespace ${namespace} (Role scrape-check:token-creator in deploy/kubernetes/checker-rbac.yaml names it). ${conn.identityHint}`,
        404: `The ServiceAccount ${namespace}/${name} (or its namespace) does not exist: create it (deploy/kubernetes/scraper-rbac.yaml creates monitoring/scrape-check) or fix clusters[${conn.name}].service_account.`,
        400: `Check clusters[${conn.name}].service_account.expiration_seconds (at least ${MIN_EXPIRATION_SECONDS}) and audiences.`,
        422: `Check clusters[${conn.name}].service_account.expiration_seconds (at least ${MIN_EXPIRATION_SECONDS}) and audiences.`,
      },
    });
  }
  const token = (result.body as { status?: { token?: unknown } } | null)?.status?.token;
  if (typeof token !== 'string' || token === '') {
    return failure(
      'token_request_failed',
      `${call} on cluster "${conn.name}" answered without status.token: the API server or a proxy in front of it is misbehaving.`,
      conn.secrets,
    );
  }
  const claims = decodeClaims(token);
  return success({
    auth: bearer(token),
    info: tokenInfo('token_request', claims, now),
    claims,
    subject: subjectOf(claims?.sub ?? `${SA_PREFIX}${namespace}:${name}`),
    warnings: tokenWarnings({
      claims,
      where: `TokenRequest for ${namespace}/${name}`,
      requestedSeconds: source.expirationSeconds,
      now,
    }),
    secret: token,
  });
};

const LEGACY_HELP = (namespace: string, name: string): string =>
  `Kubernetes stopped creating ServiceAccount token Secrets automatically in 1.24 (LegacyServiceAccountTokenNoAutoGeneration). Prefer TokenRequest: set clusters[].service_account: { namespace: ${namespace}, name: <service account> } (short-lived tokens, nothing stored). Or create the Secret explicitly and the token controller fills it:\n` +
  `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\n  annotations:\n    kubernetes.io/service-account.name: <service account>\ntype: kubernetes.io/service-account-token`;

interface SecretObject {
  type?: string;
  data?: Record<string, string>;
  metadata?: { annotations?: Record<string, string>; labels?: Record<string, string> };
}

const secretToken: ApiTokenReader<'secret'> = async (conn, source, timeoutMs, now) => {
  const { namespace, name } = source;
  const where = `Secret ${namespace}/${name}`;
  const result = await callApi(conn, namespacedPath(namespace, 'secrets', name), { timeoutMs });
  if (!result.ok) {
    return apiFailure(conn, result, {
      call: `Reading the legacy token ${where} as ${conn.identity}`,
      reason: 'token_request_failed',
      advice: {
        404: `The ${where} does not exist. ${LEGACY_HELP(namespace, name)}`,
        403: `The checker needs get on secrets with resourceNames ["${name}"] in namespace ${namespace} (the commented rule in deploy/kubernetes/checker-rbac.yaml). ${conn.identityHint}`,
      },
    });
  }
  const secret = (result.body ?? {}) as SecretObject;
  if (secret.type !== 'kubernetes.io/service-account-token') {
    return failure(
      'token_request_failed',
      `${where} on cluster "${conn.name}" is of type ${secret.type ?? 'unknown'}, not kubernetes.io/service-account-token, so it holds no ServiceAccount token. ${LEGACY_HELP(namespace, name)}`,
    );
  }
  const encoded = secret.data?.token;
  if (encoded === undefined || encoded === '') {
    const sa = secret.metadata?.annotations?.['kubernetes.io/service-account.name'];
    return failure(
      'token_request_failed',
      `${where} on cluster "${conn.name}" has no token yet: the token controller fills it only when the annotation kubernetes.io/service-account.name names an existing ServiceAccount (it names ${sa === undefined ? 'none' : `"${sa}"`}).`,
    );
  }
  const token = Buffer.from(encoded, 'base64').toString('utf8');
  const claims = decodeClaims(token);
  const warnings = tokenWarnings({ claims, where, now });
  const invalidSince = secret.metadata?.labels?.['kubernetes.io/legacy-token-invalid-since'];
  if (invalidSince !== undefined) {
    warnings.push(
      `Kubernetes marked the legacy token in ${where} invalid since ${invalidSince} (unused for a year, LegacyServiceAccountTokenCleanUp): the API server refuses it. Switch to service_account (TokenRequest).`,
    );
  }
  return success({
    auth: bearer(token),
    info: tokenInfo('secret', claims, now),
    claims,
    subject: claims?.sub == null ? null : subjectOf(claims.sub),
    warnings,
    secret: token,
  });
};

async function fileToken(
  conn: ClusterConnection,
  source: Extract<TokenSource, { kind: 'file' }>,
  now: number,
): Promise<Outcome<ScopedToken>> {
  let token: string;
  try {
    token = (await readFile(source.path, 'utf8')).trim();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return failure(
      'token_request_failed',
      `The token file ${source.path} (clusters[${conn.name}].token.file) cannot be read (${typeof code === 'string' ? code : 'error'}). In a pod the kubelet projects it at /var/run/secrets/kubernetes.io/serviceaccount/token; elsewhere something must write it (kubectl create token <service account> -n <namespace>).`,
    );
  }
  if (token === '') {
    return failure(
      'token_request_failed',
      `The token file ${source.path} (clusters[${conn.name}].token.file) is empty.`,
    );
  }
  const claims = decodeClaims(token);
  const fileModifiedMs = (await stat(source.path)).mtimeMs;
  return success({
    auth: { type: 'bearer', credentialsFile: source.path },
    info: tokenInfo('file', claims, now),
    claims,
    subject: claims?.sub == null ? null : subjectOf(claims.sub),
    warnings: tokenWarnings({
      claims,
      where: `the token file ${source.path}`,
      fileModifiedMs,
      now,
    }),
    secret: token,
  });
}

/**
 * Obtains the scoped token for a cluster's scrapes.
 *
 * @example
 * const token = await obtainScopedToken(conn, { kind: 'service_account', namespace: 'monitoring', name: 'scrape-check', audiences: [], expirationSeconds: 600 }, { now: Date.now() });
 * if (token.ok) token.value.info.sub; // 'system:serviceaccount:monitoring:scrape-check'
 */
export async function obtainScopedToken(
  conn: ClusterConnection,
  source: TokenSource,
  options: { now: number; timeoutMs?: number },
): Promise<Outcome<ScopedToken>> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  switch (source.kind) {
    case 'service_account':
      return tokenRequest(conn, source, timeoutMs, options.now);
    case 'secret':
      return secretToken(conn, source, timeoutMs, options.now);
    case 'file':
      return fileToken(conn, source, options.now);
  }
}
