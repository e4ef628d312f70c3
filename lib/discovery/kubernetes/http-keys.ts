/**
 * The HTTP client keys inlined into `kubernetes_sd_configs[]` (prometheus/common
 * `config/http_config.go`, `HTTPClientConfig`: v0.39.0 for Prometheus 2.42, v0.70.1 for HEAD),
 * and whether they make the configuration "custom", which `kubernetes.go` decides with
 * `reflect.DeepEqual(c.HTTPClientConfig, config.DefaultHTTPClientConfig)`.
 */
import type { PromVersion } from '../types.ts';
import { isMapping } from './yaml-decode.ts';

const COMMON_KEYS = [
  'basic_auth',
  'authorization',
  'oauth2',
  'bearer_token',
  'bearer_token_file',
  'tls_config',
  'follow_redirects',
  'enable_http2',
  'proxy_url',
  'proxy_connect_header',
] as const;

/** The keys each version's prometheus/common knows; `no_proxy` and the rest came later. */
const HTTP_KEYS: Record<PromVersion, readonly string[]> = {
  '2': COMMON_KEYS,
  '3': [...COMMON_KEYS, 'no_proxy', 'proxy_from_environment', 'http_headers'],
};

/** Whether a key belongs to the HTTP client configuration of that version. */
export function isHttpClientKey(key: string, version: PromVersion): boolean {
  return HTTP_KEYS[version].includes(key);
}

/** Go's zero value, for the fields of a struct such as `tls_config`. */
function isZero(value: unknown): boolean {
  if (value === null || value === undefined || value === '' || value === false || value === 0) {
    return true;
  }
  return isMapping(value) && Object.values(value).every(isZero);
}

/**
 * Whether the HTTP client keys differ from `DefaultHTTPClientConfig` (follow_redirects and
 * enable_http2 true, all else zero), as the decoded Go struct would:
 * - `follow_redirects`, `enable_http2`: custom unless true (an empty value decodes to false);
 * - pointers and maps (`basic_auth`, `authorization`, `oauth2`, `http_headers`,
 *   `proxy_connect_header`) and `proxy_url` (a URL, set even from ""): custom unless null;
 * - strings and bools (`bearer_token`, `bearer_token_file`, `no_proxy`,
 *   `proxy_from_environment`) and the `tls_config` struct: custom unless zero.
 * Values are not validated here; the caller checks them as prometheus/common does.
 */
export function isCustomHttpConfig(http: Readonly<Record<string, unknown>>): boolean {
  return Object.entries(http).some(([key, value]) => {
    switch (key) {
      case 'follow_redirects':
      case 'enable_http2':
        return value !== true;
      case 'basic_auth':
      case 'authorization':
      case 'oauth2':
      case 'http_headers':
      case 'proxy_connect_header':
      case 'proxy_url':
        return value !== null && value !== undefined;
      default:
        return !isZero(value);
    }
  });
}
