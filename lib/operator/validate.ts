/**
 * The CRD types' own `Validate` methods (prometheus-operator `pkg/apis/monitoring/v1`:
 * `HTTPConfigWithoutTLS.Validate`, `SafeTLSConfig.Validate`, `TLSConfig.Validate`,
 * `ProxyConfig.Validate`, `SafeAuthorization.Validate`, `OAuth2.Validate`), with their words.
 */
import type {
  BasicAuth,
  OAuth2,
  ProxyConfig,
  SafeAuthorization,
  SafeTlsConfig,
  TlsConfig,
} from './crd-common.ts';
import { isZero } from './http-config.ts';

/** A reason, or null when valid. */
export type Err = string | null;

/** `SecretOrConfigMap.String()`: `<secret=name,key=key>`. */
export const scm = (s: SafeTlsConfig['ca']): string =>
  s?.secret !== undefined
    ? `<secret=${s.secret.name},key=${s.secret.key}>`
    : s?.configMap !== undefined
      ? `<configmap=${s.configMap.name},key=${s.configMap.key}>`
      : '<empty>';

/** `ProxyConfig.Validate`. */
export function proxyError(p: ProxyConfig): Err {
  if (isZero(p)) return null;
  const fromEnv = p.proxyFromEnvironment === true;
  const url = (p.proxyUrl ?? '') !== '';
  const noProxy = (p.noProxy ?? '') !== '';
  if (Object.keys(p.proxyConnectHeader ?? {}).length > 0 && !fromEnv && !url)
    return 'if proxyConnectHeader is configured, proxyUrl or proxyFromEnvironment must also be configured';
  if (fromEnv && url)
    return 'if proxyFromEnvironment is configured, proxyUrl must not be configured';
  if (fromEnv && noProxy)
    return 'if proxyFromEnvironment is configured, noProxy must not be configured';
  if (!url && noProxy) return 'if noProxy is configured, proxyUrl must also be configured';
  return null;
}

/** `SafeTLSConfig.Validate` / `TLSConfig.Validate`. */
export function tlsError(t: TlsConfig | undefined): Err {
  if (t === undefined) return null;
  if (t.ca?.secret !== undefined && t.ca.configMap !== undefined)
    return `ca ${scm(t.ca)}: cannot specify both Secret and ConfigMap`;
  if (t.cert?.secret !== undefined && t.cert.configMap !== undefined)
    return `cert ${scm(t.cert)}: cannot specify both Secret and ConfigMap`;
  if (t.maxVersion !== undefined && t.minVersion !== undefined && t.maxVersion < t.minVersion)
    return 'maxVersion must more than or equal to minVersion';
  const hasCa = t.ca !== undefined && !isZero(t.ca);
  const hasCertRef = t.cert !== undefined && !isZero(t.cert);
  if (hasCa && (t.caFile ?? '') !== '') return "cannot specify both 'caFile' and 'ca'";
  if (hasCertRef && (t.certFile ?? '') !== '') return "cannot specify both 'certFile' and 'cert'";
  if ((t.keyFile ?? '') !== '' && t.keySecret !== undefined)
    return "cannot specify both 'keyFile' and 'keySecret'";
  const hasCert = hasCertRef || (t.certFile ?? '') !== '';
  const hasKey = (t.keyFile ?? '') !== '' || t.keySecret !== undefined;
  if (hasCert && !hasKey) return 'cannot specify client cert without client key';
  if (hasKey && !hasCert) return 'cannot specify client key without client cert';
  return null;
}

/** `HTTPConfigWithoutTLS.Validate`: one way to authenticate, and each one whole. */
export function httpError(h: {
  authorization?: SafeAuthorization | undefined;
  basicAuth?: BasicAuth | undefined;
  oauth2?: OAuth2 | undefined;
  bearerTokenSecret?: unknown;
}): Err {
  const pairs: [string, unknown, string, unknown][] = [
    ['authorization', h.authorization, 'basicAuth', h.basicAuth],
    ['authorization', h.authorization, 'bearerTokenSecret', h.bearerTokenSecret],
    ['authorization', h.authorization, 'oauth2', h.oauth2],
    ['basicAuth', h.basicAuth, 'bearerTokenSecret', h.bearerTokenSecret],
    ['basicAuth', h.basicAuth, 'oauth2', h.oauth2],
    ['bearerTokenSecret', h.bearerTokenSecret, 'oauth2', h.oauth2],
  ];
  for (const [a, x, b, y] of pairs)
    if (x !== undefined && y !== undefined)
      return `${a} and ${b} cannot be configured at the same time`;
  const a = h.authorization;
  if (a !== undefined) {
    if ((a.type ?? '').trim().toLowerCase() === 'basic')
      return `authorization: 'authorization' type cannot be set to "basic", use "basicAuth" instead`;
    if (a.credentials === undefined)
      return "authorization: 'authorization' credentials are required";
  }
  const o = h.oauth2;
  if (o !== undefined) {
    if (o.tokenUrl === '') return 'oauth2: OAuth2 tokenURL must be specified';
    if (isZero(o.clientId)) return "oauth2: OAuth2 'clientID' must be specified";
    const tls = tlsError(o.tlsConfig);
    if (tls !== null) return `oauth2: invalid OAuth2 'tlsConfig': ${tls}`;
    const proxy = proxyError(o);
    if (proxy !== null) return `oauth2: invalid OAuth2 proxyConfig: ${proxy}`;
  }
  return null;
}
