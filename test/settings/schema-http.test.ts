/**
 * lib/config/schema-http.ts: what Prometheus refuses to load, in its words (expectations from
 * prometheus/common's http_config_test.go, `invalidHTTPClientConfigs` and its testdata, and from
 * v0.39.0's Validate for Prometheus 2), and what httpSettings hands the scrape.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import * as z from 'zod/mini';
import {
  goUrlParseError,
  httpClientChecks,
  httpClientKeys,
  httpSettings,
  httpVersionProblems,
  proxyEnvironment,
  type HttpClientInput,
} from '#lib/config/schema-http.ts';

const job = z
  .looseObject({
    ...httpClientKeys,
    authorization: z.optional(z.unknown()),
    basic_auth: z.optional(z.unknown()),
    bearer_token: z.optional(z.string()),
    bearer_token_file: z.optional(z.string()),
  })
  .check(httpClientChecks);

/** Every message for `yaml` under `version`: the schema's, then the version's. */
function messages(yaml: string, version: '2' | '3' = '3'): string[] {
  const parsed = z.safeParse(job, parseYaml(yaml));
  if (!parsed.success) return parsed.error.issues.map((i) => i.message);
  return httpVersionProblems(parsed.data as HttpClientInput, version).map((p) => p.message);
}

const OAUTH2 = 'oauth2: {client_id: a, client_secret: b, token_url: "http://auth"}';

describe('the loader refuses what Prometheus refuses (expectations from prometheus/common http_config_test.go)', () => {
  const table: [string, string, ('2' | '3')?][] = [
    [
      'basic_auth: {username: u, password: p}\n' + OAUTH2,
      'at most one of basic_auth, oauth2 & authorization must be configured',
    ],
    [
      'authorization: {credentials: x}\n' + OAUTH2,
      'at most one of basic_auth, oauth2 & authorization must be configured',
    ],
    [
      'bearer_token_file: file\n' + OAUTH2,
      'at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured',
    ],
    ['oauth2: {client_secret: b, token_url: "http://auth"}', 'oauth2 client_id must be configured'],
    ['oauth2: {client_id: a, client_secret: b}', 'oauth2 token_url must be configured'],
    [
      'oauth2: {client_id: a, client_secret: b, client_secret_file: f, token_url: "http://auth"}',
      'at most one of oauth2 client_secret, client_secret_file & client_secret_ref must be configured using grant-type=client_credentials',
    ],
    [
      'oauth2: {client_id: a, grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", client_certificate_key: k, client_certificate_key_file: f, token_url: "http://auth"}',
      'at most one of oauth2 client_certificate_key, client_certificate_key_file & client_certificate_key_ref must be configured using grant-type=urn:ietf:params:oauth:grant-type:jwt-bearer',
    ],
    [
      'proxy_from_environment: true\nproxy_url: foo',
      'if proxy_from_environment is configured, proxy_url must not be configured',
    ],
    [
      'proxy_from_environment: true\nno_proxy: 127.0.0.1',
      'if proxy_from_environment is configured, no_proxy must not be configured',
    ],
    ['no_proxy: 127.0.0.1', 'if no_proxy is configured, proxy_url must also be configured'],
    [
      'proxy_connect_header: {single: [value_0], multi: [value_1, value_2]}',
      'if proxy_connect_header is configured, proxy_url or proxy_from_environment must also be configured',
    ],
    ['http_headers: {user-Agent: {values: [bar]}}', 'setting header "User-Agent" is not allowed'],
    [
      'http_headers: {authorization: {secrets: [x]}}',
      'setting header "Authorization" is not allowed',
    ],
    [
      'oauth2: {client_id: a, client_secret: b, token_url: "http://auth", no_proxy: x}',
      'if no_proxy is configured, proxy_url must also be configured',
    ],
    [
      'proxy_url: "127.0.0.1:3128"',
      'parse "127.0.0.1:3128": first path segment in URL cannot contain colon',
    ],
    [
      'proxy_url: "http://proxy:3128/%zz"',
      'parse "http://proxy:3128/%zz": invalid URL escape "%zz"',
    ],
    // Prometheus 2.42's prometheus/common v0.39.0.
    [
      'oauth2: {client_id: a, token_url: "http://auth"}',
      'either oauth2 client_secret or client_secret_file must be configured',
      '2',
    ],
    [
      'oauth2: {client_id: a, client_secret: b, client_secret_file: f, token_url: "http://auth"}',
      'at most one of oauth2 client_secret & client_secret_file must be configured',
      '2',
    ],
    [
      'proxy_connect_header: {a: [b]}',
      'if proxy_connect_header is configured proxy_url must also be configured',
      '2',
    ],
  ];
  for (const [yaml, message, version] of table) {
    test(`${version === '2' ? 'Prometheus 2: ' : ''}${message}`, () => {
      assert.deepEqual(messages(yaml, version), [message]);
    });
  }

  test('what both versions accept', () => {
    for (const yaml of [
      'proxy_url: "http://remote.host"\nproxy_connect_header: {single: [value_0], multi: [value_1, value_2]}',
      'oauth2: {client_id: "myclient", client_secret: "mysecret", token_url: "http://auth", proxy_url: "http://foo"}',
      'proxy_url: "localhost:3128"',
      'oauth2: {client_id: 12345, client_secret: 42, token_url: "http://auth"}',
    ]) {
      assert.deepEqual(messages(yaml, '3'), [], yaml);
      assert.deepEqual(messages(yaml, '2'), [], yaml);
    }
    // Prometheus 3 lets a public client go without a secret.
    assert.deepEqual(messages('oauth2: {client_id: a, token_url: "http://auth"}', '3'), []);
    assert.equal(goUrlParseError('http://u:p@proxy:3128'), null);
  });
});

describe('httpSettings hands the scrape what the job says', () => {
  test('oauth2, its TLS and proxy; relative files joined to the config folder', () => {
    const parsed = z.parse(
      job,
      parseYaml(`
oauth2:
  client_id: 12345
  client_secret_file: secret
  scopes: [a, b]
  token_url: https://auth/token
  endpoint_params: {audience: x}
  tls_config: {ca_file: ca.pem, max_version: TLS12}
  proxy_url: http://proxy:3128
  proxy_connect_header: {X-A: [b]}
http_headers:
  X-Tenant: {values: [a], secrets: [s], files: [header-file, /abs/file]}
no_proxy: 10.0.0.0/8
proxy_url: http://proxy:3128
enable_http2: false
`),
    );
    const settings = httpSettings(parsed, '/etc/prometheus', {});
    assert.deepEqual(settings.oauth2, {
      clientId: '12345',
      scopes: ['a', 'b'],
      tokenUrl: 'https://auth/token',
      endpointParams: { audience: 'x' },
      tls: { caFile: '/etc/prometheus/ca.pem', maxVersion: 'TLS12' },
      proxy: {
        url: 'http://proxy:3128',
        noProxy: null,
        fromEnvironment: false,
        connectHeaders: { 'X-A': ['b'] },
      },
      clientSecretFile: '/etc/prometheus/secret',
    });
    assert.deepEqual(settings.proxy, {
      url: 'http://proxy:3128',
      noProxy: '10.0.0.0/8',
      fromEnvironment: false,
      connectHeaders: {},
    });
    assert.deepEqual(settings.httpHeaders, {
      'X-Tenant': {
        values: ['a'],
        secrets: ['s'],
        files: ['/etc/prometheus/header-file', '/abs/file'],
      },
    });
    assert.equal(settings.enableHttp2, false);
  });

  test('enable_http2 defaults to true; no proxy keys, no proxy', () => {
    const settings = httpSettings(z.parse(job, {}), undefined, {});
    assert.deepEqual(settings, { oauth2: null, proxy: null, httpHeaders: null, enableHttp2: true });
  });

  test('proxy_from_environment reads the variables as Go does: upper case first, empty ones skipped', () => {
    const settings = httpSettings({ proxy_from_environment: true }, undefined, {
      HTTP_PROXY: '',
      http_proxy: 'http://lower:1',
      HTTPS_PROXY: 'http://upper:2',
      https_proxy: 'http://lower:2',
      no_proxy: '.internal',
    });
    assert.deepEqual(settings.proxy?.environment, {
      httpProxy: 'http://lower:1',
      httpsProxy: 'http://upper:2',
      noProxy: '.internal',
      cgi: false,
    });
    assert.equal(proxyEnvironment({ REQUEST_METHOD: 'GET' }).cgi, true);
  });
});
