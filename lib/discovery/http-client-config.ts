/**
 * The HTTP client keys an `http_sd_configs` entry may carry beside `url` and `refresh_interval`,
 * per version, and the checks Prometheus 3.x runs on them (`SDConfig.UnmarshalYAML` ends with
 * `c.HTTPClientConfig.Validate()` at HEAD; 2.42 did not call it for http_sd):
 * prometheus/common v0.70.1 `config/http_config.go` `HTTPClientConfig.Validate`,
 * `ProxyConfig.Validate`. What the keys hold inside (TLS files, secrets) is the config loader's
 * and the caller's business; this only refuses the combinations Prometheus refuses.
 */
import { SdConfigProblem } from './sd-config.ts';
import type { PromVersion } from './types.ts';

// prometheus/common v0.39.0 HTTPClientConfig (2.42): no no_proxy, proxy_from_environment or
// http_headers yet.
const CLIENT_KEYS_2 = [
  'basic_auth',
  'authorization',
  'oauth2',
  'bearer_token',
  'bearer_token_file',
  'proxy_url',
  'proxy_connect_header',
  'tls_config',
  'follow_redirects',
  'enable_http2',
];
const CLIENT_KEYS_3 = [...CLIENT_KEYS_2, 'no_proxy', 'proxy_from_environment', 'http_headers'];

/** The keys `http.plain` has in the given version. */
export function httpSdKeys(version: PromVersion): ReadonlySet<string> {
  return new Set(['url', 'refresh_interval', ...(version === '2' ? CLIENT_KEYS_2 : CLIENT_KEYS_3)]);
}

// A string or flag that is set; a block (`basic_auth: {}`) counts once it is there, as Go's non-nil
// pointer does.
const set = (v: unknown): boolean => v !== undefined && v !== null && v !== '' && v !== false;
const present = (v: unknown): boolean => v !== undefined && v !== null;
const count = (...values: unknown[]): number => values.filter(set).length;
const field = (v: unknown, key: string): unknown =>
  typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[key] : undefined;
// Whether `key`, `key_file` and `key_ref` conflict: more than one is set in the block.
const conflicting = (v: unknown, key: string): boolean =>
  count(field(v, key), field(v, `${key}_file`), field(v, `${key}_ref`)) > 1;

/** `HTTPClientConfig.Validate()` of prometheus/common v0.70.1, for Prometheus 3.x. */
export function validateHttpClient(c: Record<string, unknown>): void {
  const fail = (path: string, message: string): never => {
    throw new SdConfigProblem(path.split('.'), message);
  };
  const bearer = set(c.bearer_token) || set(c.bearer_token_file);
  const basic = present(c.basic_auth);
  const oauth2 = present(c.oauth2);
  if (set(c.bearer_token) && set(c.bearer_token_file)) {
    fail('bearer_token', 'at most one of bearer_token & bearer_token_file must be configured');
  }
  if ((basic || oauth2) && bearer) {
    fail(
      'bearer_token',
      'at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured',
    );
  }
  const b = c.basic_auth;
  for (const key of ['username', 'password']) {
    if (basic && conflicting(b, key))
      fail(
        'basic_auth',
        `at most one of basic_auth ${key}, ${key}_file & ${key}_ref must be configured`,
      );
  }
  const a = c.authorization;
  if (present(a)) {
    if (bearer)
      fail(
        'authorization',
        'authorization is not compatible with bearer_token & bearer_token_file',
      );
    if (conflicting(a, 'credentials')) {
      fail(
        'authorization',
        'at most one of authorization credentials & credentials_file must be configured',
      );
    }
    const type = field(a, 'type');
    if (typeof type === 'string' && type.trim().toLowerCase() === 'basic') {
      fail(
        'authorization.type',
        'authorization type cannot be set to "basic", use "basic_auth" instead',
      );
    }
    if (basic || oauth2)
      fail('authorization', 'at most one of basic_auth, oauth2 & authorization must be configured');
  }
  const o = c.oauth2;
  if (oauth2) {
    if (basic)
      fail('oauth2', 'at most one of basic_auth, oauth2 & authorization must be configured');
    if (!set(field(o, 'client_id')))
      fail('oauth2.client_id', 'oauth2 client_id must be configured');
    if (!set(field(o, 'token_url')))
      fail('oauth2.token_url', 'oauth2 token_url must be configured');
    const jwt = field(o, 'grant_type') === 'urn:ietf:params:oauth:grant-type:jwt-bearer';
    if (!jwt && conflicting(o, 'client_secret')) {
      fail(
        'oauth2',
        'at most one of oauth2 client_secret, client_secret_file & client_secret_ref must be configured using grant-type=client_credentials',
      );
    }
  }
  const fromEnv = c.proxy_from_environment === true;
  const connectHeaders =
    typeof c.proxy_connect_header === 'object' && c.proxy_connect_header !== null;
  if (
    connectHeaders &&
    Object.keys(c.proxy_connect_header as object).length > 0 &&
    !fromEnv &&
    !set(c.proxy_url)
  ) {
    fail(
      'proxy_connect_header',
      'if proxy_connect_header is configured, proxy_url or proxy_from_environment must also be configured',
    );
  }
  if (fromEnv && set(c.proxy_url)) {
    fail('proxy_url', 'if proxy_from_environment is configured, proxy_url must not be configured');
  }
  if (fromEnv && set(c.no_proxy)) {
    fail('no_proxy', 'if proxy_from_environment is configured, no_proxy must not be configured');
  }
  if (!set(c.proxy_url) && set(c.no_proxy)) {
    fail('no_proxy', 'if no_proxy is configured, proxy_url must also be configured');
  }
}
