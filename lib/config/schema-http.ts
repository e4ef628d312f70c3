/**
 * The HTTP client keys of prometheus/common's `HTTPClientConfig` that change whether a scrape works
 * and that the rest of the schema does not have: `oauth2`, the proxy keys (`proxy_url`, `no_proxy`,
 * `proxy_from_environment`, `proxy_connect_header`), `http_headers` and `enable_http2`, validated
 * with common's own messages (`config/http_config.go` `Validate`, `ProxyConfig.Validate`,
 * `config/headers.go` `Headers.Validate`), and `httpSettings`, which turns them into the
 * ScrapeRequest's fields.
 *
 * Prometheus 2.42 has prometheus/common v0.39.0: `oauth2` (with `proxy_url` only), `proxy_url` and
 * `proxy_connect_header`; `no_proxy`, `proxy_from_environment` and `http_headers` came later (see
 * `NOT_IN_PROMETHEUS_2`). Rules whose wording or existence depends on the version are in
 * `httpVersionProblems`; the rest run in `httpClientChecks` for both.
 *
 * @example
 *   const job = z.strictObject({ job_name: z.string(), ...httpClientKeys }).check(httpClientChecks);
 *   const { oauth2, proxy, httpHeaders, enableHttp2 } = httpSettings(parsed, configDir);
 */
import { isAbsolute, join } from 'node:path';
import * as z from 'zod/mini';
import type {
  HttpHeaders,
  OAuth2Settings,
  ProxyEnvironment,
  ProxySettings,
  TlsSettings,
} from '#lib/scrape/types.ts';
import { RESERVED_HEADERS } from '#lib/scrape/http-headers.ts';
import { tlsConfig } from './schema-credentials.ts';

/**
 * A YAML scalar read into a Go string field: yaml.v2 turns `client_id: 12345` into "12345" where
 * zod would refuse a number.
 */
const goString = z.pipe(
  z.union([z.string(), z.number(), z.boolean()], { error: 'expected a string' }),
  z.transform((v: string | number | boolean) => String(v)),
);

/**
 * Go's url.Parse, where it refuses what Prometheus then refuses to load (`parse "…": …`): a
 * control character, a bad %-escape, a colon in the first segment of a URL without a scheme.
 * https://go.dev/src/net/url/url.go
 */
export function goUrlParseError(text: string): string | null {
  if (/[\x00-\x1f\x7f]/.test(text))
    return `parse ${JSON.stringify(text)}: net/url: invalid control character in URL`;
  const escape = /%(?![0-9a-fA-F]{2})(.{0,2})/.exec(text);
  if (escape)
    return `parse ${JSON.stringify(text)}: invalid URL escape ${JSON.stringify(escape[0])}`;
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(text);
  if (!scheme) {
    const firstSegment = text.split('/')[0] ?? '';
    if (firstSegment.includes(':')) {
      return `parse ${JSON.stringify(text)}: first path segment in URL cannot contain colon`;
    }
  }
  return null;
}

const proxyUrl = z.string().check(
  z.superRefine((text, ctx) => {
    const error = goUrlParseError(text);
    if (error) ctx.addIssue({ code: 'custom', message: error, input: text });
  }),
);

/** prometheus/common `ProxyConfig`, spread into `scrape_configs[]` and `oauth2`. */
export const proxyKeys = {
  proxy_url: z.optional(proxyUrl),
  no_proxy: z.optional(z.string()),
  proxy_from_environment: z.optional(z.boolean()),
  /** `map[string][]Secret`: each header's values, sent on CONNECT. */
  proxy_connect_header: z.optional(z.record(z.string(), z.array(goString))),
};

/** `oauth2`: the client-credentials grant (and Prometheus 3's JWT bearer grant, not implemented). */
export const oauth2Config = z.strictObject({
  client_id: z.optional(goString),
  client_secret: z.optional(goString),
  client_secret_file: z.optional(z.string()),
  client_secret_ref: z.optional(z.string()),
  client_certificate_key_id: z.optional(z.string()),
  client_certificate_key: z.optional(z.string()),
  client_certificate_key_file: z.optional(z.string()),
  client_certificate_key_ref: z.optional(z.string()),
  grant_type: z.optional(z.string()),
  signature_algorithm: z.optional(z.string()),
  iss: z.optional(z.string()),
  audience: z.optional(z.string()),
  claims: z.optional(z.record(z.string(), z.unknown())),
  scopes: z.optional(z.array(goString)),
  token_url: z.optional(z.string()),
  endpoint_params: z.optional(z.record(z.string(), goString)),
  tls_config: z.optional(tlsConfig),
  ...proxyKeys,
});

/** One `http_headers` entry: values are plain, secrets are not printed, files are read per scrape. */
const header = z.strictObject({
  values: z.optional(z.array(z.string())),
  secrets: z.optional(z.array(z.string())),
  files: z.optional(z.array(z.string())),
});

/** `http_headers` (Prometheus 3): header name to its values, secrets and files. */
export const httpHeaders = z.record(z.string(), header);

/** The keys to spread into a scrape config's `strictObject`. */
export const httpClientKeys = {
  oauth2: z.optional(oauth2Config),
  http_headers: z.optional(httpHeaders),
  /** Prometheus's default is true (httpSettings applies it): optional here, as in the scrape config. */
  enable_http2: z.optional(z.boolean()),
  ...proxyKeys,
};

/** The parsed keys, as httpSettings and the checks read them (a scrape config has more). */
export interface HttpClientInput {
  oauth2?: z.output<typeof oauth2Config> | undefined;
  http_headers?: z.output<typeof httpHeaders> | undefined;
  enable_http2?: boolean | undefined;
  proxy_url?: string | undefined;
  no_proxy?: string | undefined;
  proxy_from_environment?: boolean | undefined;
  proxy_connect_header?: Record<string, string[]> | undefined;
  authorization?: unknown;
  basic_auth?: unknown;
  bearer_token?: string | undefined;
  bearer_token_file?: string | undefined;
}

/** Keys (paths within a scrape config) that prometheus/common v0.39.0, Prometheus 2.42's, does not have. */
export const NOT_IN_PROMETHEUS_2: readonly string[] = [
  'no_proxy',
  'proxy_from_environment',
  'http_headers',
  'oauth2.no_proxy',
  'oauth2.proxy_from_environment',
  'oauth2.proxy_connect_header',
  'oauth2.client_secret_ref',
  'oauth2.grant_type',
  'oauth2.client_certificate_key_id',
  'oauth2.client_certificate_key',
  'oauth2.client_certificate_key_file',
  'oauth2.client_certificate_key_ref',
  'oauth2.signature_algorithm',
  'oauth2.iss',
  'oauth2.audience',
  'oauth2.claims',
];

/** A problem with where it is and Prometheus's words (the shape of version-checks.ts's). */
export interface HttpProblem {
  path: (string | number)[];
  message: string;
}

const nonEmpty = (v: string | undefined): boolean => v !== undefined && v !== '';

/**
 * The rules both versions share, in the order HTTPClientConfig.Validate checks them (Prometheus
 * names the first one only). The rules between authorization, basic_auth and bearer_token are the
 * scrape config's own check; these add oauth2.
 */
export function httpClientProblems(job: HttpClientInput): HttpProblem[] {
  const problems: HttpProblem[] = [];
  const o = job.oauth2;
  if (!o) return problems;
  if (nonEmpty(job.bearer_token) || nonEmpty(job.bearer_token_file)) {
    problems.push({
      path: ['oauth2'],
      message:
        'at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured',
    });
  }
  if (job.authorization !== undefined || job.basic_auth !== undefined) {
    problems.push({
      path: ['oauth2'],
      message: 'at most one of basic_auth, oauth2 & authorization must be configured',
    });
  }
  if (!nonEmpty(o.client_id))
    problems.push({
      path: ['oauth2', 'client_id'],
      message: 'oauth2 client_id must be configured',
    });
  if (!nonEmpty(o.token_url))
    problems.push({
      path: ['oauth2', 'token_url'],
      message: 'oauth2 token_url must be configured',
    });
  return problems;
}

/** `httpClientProblems` as a zod check for the scrape config object. */
export const httpClientChecks = z.superRefine((job: HttpClientInput, ctx) => {
  for (const p of httpClientProblems(job))
    ctx.addIssue({ code: 'custom', path: p.path, message: p.message });
});

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** prometheus/common's ProxyConfig.Validate, per version, at `path`. */
function proxyProblems(
  keys: Pick<
    HttpClientInput,
    'proxy_url' | 'no_proxy' | 'proxy_from_environment' | 'proxy_connect_header'
  >,
  version: '2' | '3',
  path: (string | number)[],
): HttpProblem[] {
  const hasHeaders = Object.keys(keys.proxy_connect_header ?? {}).length > 0;
  const hasUrl = nonEmpty(keys.proxy_url);
  const at = (key: string, message: string): HttpProblem => ({ path: [...path, key], message });
  if (version === '2') {
    return hasHeaders && !hasUrl
      ? [
          at(
            'proxy_connect_header',
            'if proxy_connect_header is configured proxy_url must also be configured',
          ),
        ]
      : [];
  }
  const fromEnv = keys.proxy_from_environment === true;
  if (hasHeaders && !fromEnv && !hasUrl) {
    return [
      at(
        'proxy_connect_header',
        'if proxy_connect_header is configured, proxy_url or proxy_from_environment must also be configured',
      ),
    ];
  }
  if (fromEnv && hasUrl)
    return [
      at('proxy_url', 'if proxy_from_environment is configured, proxy_url must not be configured'),
    ];
  if (fromEnv && nonEmpty(keys.no_proxy))
    return [
      at('no_proxy', 'if proxy_from_environment is configured, no_proxy must not be configured'),
    ];
  // Go checks `ProxyURL.URL == nil`: an empty proxy_url still counts as configured here.
  if (keys.proxy_url === undefined && nonEmpty(keys.no_proxy)) {
    return [at('no_proxy', 'if no_proxy is configured, proxy_url must also be configured')];
  }
  return [];
}

/** The HTTP Canonical form Go checks reserved headers in (textproto.CanonicalMIMEHeaderKey). */
function canonical(name: string): string {
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) return name;
  return name
    .toLowerCase()
    .replace(/(^|-)([a-z])/g, (_m, d: string, c: string) => d + c.toUpperCase());
}

/**
 * What Prometheus `version` refuses at load among these keys, with its words: the client secret
 * rules (v0.39.0 wants one of client_secret and client_secret_file; v3 allows none but not two),
 * the JWT bearer grant's, the proxy rules (job's and oauth2's) and the reserved headers.
 */
export function httpVersionProblems(job: HttpClientInput, version: '2' | '3'): HttpProblem[] {
  const problems: HttpProblem[] = [];
  const o = job.oauth2;
  if (o) {
    const secrets = [
      o.client_secret,
      o.client_secret_file,
      version === '3' ? o.client_secret_ref : undefined,
    ].filter(nonEmpty).length;
    if (version === '2') {
      if (secrets === 0) {
        problems.push({
          path: ['oauth2'],
          message: 'either oauth2 client_secret or client_secret_file must be configured',
        });
      } else if (secrets > 1) {
        problems.push({
          path: ['oauth2', 'client_secret'],
          message: 'at most one of oauth2 client_secret & client_secret_file must be configured',
        });
      }
    } else if (o.grant_type === JWT_BEARER) {
      const keys = [
        o.client_certificate_key,
        o.client_certificate_key_file,
        o.client_certificate_key_ref,
      ].filter(nonEmpty).length;
      if (keys > 1) {
        problems.push({
          path: ['oauth2', 'client_certificate_key'],
          message: `at most one of oauth2 client_certificate_key, client_certificate_key_file & client_certificate_key_ref must be configured using grant-type=${JWT_BEARER}`,
        });
      }
      if (
        nonEmpty(o.signature_algorithm) &&
        !['RS256', 'RS384', 'RS512'].includes(o.signature_algorithm!)
      ) {
        problems.push({
          path: ['oauth2', 'signature_algorithm'],
          message: 'valid signature algorithms are RS256, RS384 and RS512',
        });
      }
    } else if (secrets > 1) {
      problems.push({
        path: ['oauth2', 'client_secret'],
        message:
          'at most one of oauth2 client_secret, client_secret_file & client_secret_ref must be configured using grant-type=client_credentials',
      });
    }
    // OAuth2.UnmarshalYAML validates its own ProxyConfig (v3); v0.39's oauth2 had proxy_url only.
    if (version === '3') problems.push(...proxyProblems(o, version, ['oauth2']));
  }
  problems.push(...proxyProblems(job, version, []));
  if (version === '3') {
    for (const name of Object.keys(job.http_headers ?? {})) {
      if (RESERVED_HEADERS.has(canonical(name))) {
        problems.push({
          path: ['http_headers', name],
          message: `setting header ${JSON.stringify(canonical(name))} is not allowed`,
        });
        break; // Headers.Validate returns at the first (in Go's random map order)
      }
    }
  }
  return problems;
}

/** Go's `httpproxy.FromEnvironment`: the upper-case variable, else the lower-case one, if not empty. */
export function proxyEnvironment(env: NodeJS.ProcessEnv = process.env): ProxyEnvironment {
  const any = (...names: string[]): string =>
    names.map((n) => env[n] ?? '').find((v) => v !== '') ?? '';
  return {
    httpProxy: any('HTTP_PROXY', 'http_proxy'),
    httpsProxy: any('HTTPS_PROXY', 'https_proxy'),
    noProxy: any('NO_PROXY', 'no_proxy'),
    cgi: (env.REQUEST_METHOD ?? '') !== '',
  };
}

/** prometheus/common JoinDir: a relative path is the config folder's. */
function joinDir(dir: string | undefined, path: string): string {
  return dir === undefined || path === '' || isAbsolute(path) ? path : join(dir, path);
}

/**
 * `tls_config` in the scrape's terms; relative file paths are joined with `dir` (the config file's
 * folder) when given, as prometheus/common's `SetDirectory` does, else kept as written.
 */
export function tlsSettings(
  tls: z.output<typeof tlsConfig> | undefined,
  dir?: string,
): TlsSettings {
  const out: TlsSettings = {};
  if (!tls) return out;
  if (tls.ca_file !== undefined) out.caFile = joinDir(dir, tls.ca_file);
  if (tls.ca !== undefined) out.ca = tls.ca;
  if (tls.cert_file !== undefined) out.certFile = joinDir(dir, tls.cert_file);
  if (tls.cert !== undefined) out.cert = tls.cert;
  if (tls.key_file !== undefined) out.keyFile = joinDir(dir, tls.key_file);
  if (tls.key !== undefined) out.key = tls.key;
  if (tls.server_name !== undefined) out.serverName = tls.server_name;
  if (tls.insecure_skip_verify !== undefined) out.insecureSkipVerify = tls.insecure_skip_verify;
  if (tls.min_version !== undefined) out.minVersion = tls.min_version;
  if (tls.max_version !== undefined) out.maxVersion = tls.max_version;
  return out;
}

function proxySettings(
  keys: Pick<
    HttpClientInput,
    'proxy_url' | 'no_proxy' | 'proxy_from_environment' | 'proxy_connect_header'
  >,
  env: NodeJS.ProcessEnv,
): ProxySettings | null {
  const fromEnvironment = keys.proxy_from_environment === true;
  const connectHeaders = keys.proxy_connect_header ?? {};
  if (
    !nonEmpty(keys.proxy_url) &&
    !fromEnvironment &&
    !nonEmpty(keys.no_proxy) &&
    Object.keys(connectHeaders).length === 0
  ) {
    return null;
  }
  const out: ProxySettings = {
    url: nonEmpty(keys.proxy_url) ? keys.proxy_url! : null,
    noProxy: nonEmpty(keys.no_proxy) ? keys.no_proxy! : null,
    fromEnvironment,
    connectHeaders,
  };
  if (fromEnvironment) out.environment = proxyEnvironment(env);
  return out;
}

/** What httpSettings returns: the ScrapeRequest's fields. */
export interface HttpSettings {
  oauth2: OAuth2Settings | null;
  proxy: ProxySettings | null;
  httpHeaders: HttpHeaders | null;
  enableHttp2: boolean;
}

/**
 * The ScrapeRequest fields of a parsed scrape config (or anything with these keys). `baseDir` is
 * the config's folder, against which relative `*_file` paths and header `files` are read, as
 * prometheus/common's SetDirectory does; `env` is where `proxy_from_environment` reads the proxy
 * variables (once, here, as Prometheus reads them when it builds the client).
 */
export function httpSettings(
  job: HttpClientInput,
  baseDir?: string,
  env: NodeJS.ProcessEnv = process.env,
): HttpSettings {
  let oauth2: OAuth2Settings | null = null;
  const o = job.oauth2;
  if (o) {
    oauth2 = {
      clientId: o.client_id ?? '',
      scopes: o.scopes ?? [],
      tokenUrl: o.token_url ?? '',
      endpointParams: o.endpoint_params ?? {},
      tls: tlsSettings(o.tls_config, baseDir),
      proxy: proxySettings(o, env),
    };
    if (o.client_secret !== undefined) oauth2.clientSecret = o.client_secret;
    if (nonEmpty(o.client_secret_file))
      oauth2.clientSecretFile = joinDir(baseDir, o.client_secret_file!);
    if (nonEmpty(o.client_secret_ref)) oauth2.clientSecretRef = o.client_secret_ref!;
    if (nonEmpty(o.grant_type)) oauth2.grantType = o.grant_type!;
  }
  let headers: HttpHeaders | null = null;
  if (job.http_headers) {
    headers = {};
    for (const [name, h] of Object.entries(job.http_headers)) {
      headers[name] = {
        values: h.values ?? [],
        secrets: h.secrets ?? [],
        files: (h.files ?? []).map((f) => joinDir(baseDir, f)),
      };
    }
  }
  return {
    oauth2,
    proxy: proxySettings(job, env),
    httpHeaders: headers,
    enableHttp2: job.enable_http2 ?? true,
  };
}
