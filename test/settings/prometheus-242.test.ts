/**
 * oauth2, proxy_url, proxy_connect_header, tls_config.max_version and enable_http2, right and
 * wrong, against Prometheus 2.42 (Debian's, prometheus/common v0.39.0): the same prometheus.yml is
 * scraped by Prometheus and by scrape-check (`--prometheus-version 2`), through a real OAuth2 token
 * endpoint and a real forward proxy, and each job's verdict must be Prometheus's `up`, its reason
 * the one Prometheus's error names. The token requests both send are compared too.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { makeCa, makeLeaf, type Issued } from '#lib/lab/certs.ts';
import { clearOAuth2Tokens } from '#lib/scrape/oauth2.ts';
import { scrape } from '#lib/scrape/scrape.ts';
import type { CheckResult } from '#lib/result/types.ts';
import { assertNoSecrets } from '../helpers/io.ts';
import {
  BINARIES,
  freePort,
  peerMissing,
  startPrometheus,
  type RunningPrometheus,
} from '../helpers/peers.ts';
import { jobsOf, requestFor } from './job.ts';
import {
  startH2Only,
  startMetrics,
  startProxy,
  startTlsOnly,
  startTokenEndpoint,
  type RunningProxy,
  type TokenEndpoint,
  type TokenRequestSeen,
} from './servers.ts';

const SECRET = 'oauth2-client-secret-5be1c0';
const PARAMS_SECRET = 'params-only-secret-77d2a1';
const PROXY_TOKEN = 'proxy-connect-token-0c9e44';
const PROXY_PASSWORD = 'proxy-password-a61f03';
const missing = peerMissing(BINARIES.prometheus);

/** Each job: scrape-check's reason, and what Prometheus's lastError must say. */
const EXPECT: Record<string, { reason: string; lastError: RegExp }> = {
  'oauth2-ok': { reason: 'ok', lastError: /^$/ },
  'oauth2-secret-file': { reason: 'ok', lastError: /^$/ },
  'oauth2-params-only': { reason: 'ok', lastError: /^$/ },
  'oauth2-wrong-secret': {
    reason: 'token_request_failed',
    lastError: /oauth2: cannot fetch token: 401 Unauthorized\s+Response: .*invalid_client/,
  },
  'oauth2-endpoint-down': {
    reason: 'token_request_failed',
    lastError:
      /Post "http:\/\/127\.0\.0\.1:\d+\/token[^"]*": dial tcp 127\.0\.0\.1:\d+: connect: connection refused/,
  },
  'oauth2-https': { reason: 'ok', lastError: /^$/ },
  'oauth2-https-unknown-ca': {
    reason: 'token_request_failed',
    lastError: /Post "https:.*x509: certificate signed by unknown authority/,
  },
  'oauth2-via-proxy': { reason: 'ok', lastError: /^$/ },
  'proxy-http': { reason: 'ok', lastError: /^$/ },
  'proxy-https': { reason: 'ok', lastError: /^$/ },
  'proxy-connect-header': { reason: 'ok', lastError: /^$/ },
  'proxy-connect-header-missing': {
    reason: 'http_status',
    lastError: /: Proxy Authentication Required$/,
  },
  'proxy-userinfo-http': { reason: 'ok', lastError: /^$/ },
  'proxy-wrong-password-http': {
    reason: 'http_status',
    lastError: /server returned HTTP status 407 Proxy Authentication Required/,
  },
  'proxy-down': {
    reason: 'connect_refused',
    lastError: /proxyconnect tcp: dial tcp 127\.0\.0\.1:\d+: connect: connection refused/,
  },
  'proxy-target-closed': { reason: 'http_status', lastError: /: Internal Server Error$/ },
  'max-version-too-low': {
    reason: 'tls_handshake_failed',
    lastError: /remote error: tls: protocol version not supported/,
  },
  'max-version-ok': { reason: 'ok', lastError: /^$/ },
  'h2-only': { reason: 'ok', lastError: /^$/ },
  'h2-only-http2-disabled': {
    reason: 'http_forbidden',
    lastError: /server returned HTTP status 403 Forbidden/,
  },
};

describe('HTTP client settings against Prometheus 2.42', { skip: missing ?? false }, () => {
  let ca: Issued;
  let tokens: TokenEndpoint;
  let tokensTls: TokenEndpoint;
  let open: RunningProxy;
  let guarded: RunningProxy;
  let prometheus: RunningPrometheus;
  let yaml: string;
  const stops: (() => Promise<void>)[] = [];

  before(async () => {
    ca = await makeCa({ commonName: 'settings-ca' });
    const leaf = await makeLeaf(ca, {
      commonName: 'target',
      dns: ['localhost'],
      ips: ['127.0.0.1'],
    });
    const clients = {
      prometheus: { secret: SECRET },
      'params-only': { secret: PARAMS_SECRET, style: 'params' as const },
    };
    tokens = await startTokenEndpoint(clients);
    tokensTls = await startTokenEndpoint(clients, { cert: leaf.certPem, key: leaf.keyPem });
    const authorized = (header: string | undefined): boolean =>
      [...tokens.issued, ...tokensTls.issued].some((t) => header === `Bearer ${t}`);
    const secured = await startMetrics((req) =>
      authorized(req.headers.authorization) ? 200 : 401,
    );
    const plain = await startMetrics();
    open = await startProxy();
    const basic = `Basic ${Buffer.from(`scraper:${PROXY_PASSWORD}`).toString('base64')}`;
    guarded = await startProxy(
      (req) =>
        req.headers['x-proxy-token'] === PROXY_TOKEN ||
        req.headers['proxy-authorization'] === basic,
    );
    const tls13 = await startTlsOnly(leaf);
    const h2 = await startH2Only(leaf);
    for (const running of [tokens, tokensTls, secured, plain, open, guarded, tls13, h2]) {
      stops.push(() => running.close());
    }
    const closed = await freePort();
    const closed2 = await freePort();
    const s = `127.0.0.1:${secured.port}`;
    const p = `127.0.0.1:${plain.port}`;
    const t13 = `127.0.0.1:${tls13.port}`;
    // Each job its own token URL (a query string): x/oauth2 v0.4.0 remembers the auth style that
    // worked per token URL for the whole process, and these jobs must not lean on each other's.
    const oauth = (job: string, id: string, secret: string, extra = ''): string =>
      `{client_id: ${id}, client_secret: ${secret}, token_url: "${tokens.tokenUrl}?job=${job}"${extra}}`;
    yaml = `global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: oauth2-ok
    oauth2: ${oauth('ok', 'prometheus', SECRET, ', scopes: [metrics.read, "metrics list"], endpoint_params: {audience: "scrape check"}')}
    static_configs: [{targets: ["${s}"]}]
  - job_name: oauth2-secret-file
    oauth2: {client_id: prometheus, client_secret_file: client-secret, token_url: "${tokens.tokenUrl}?job=file"}
    static_configs: [{targets: ["${s}"]}]
  - job_name: oauth2-params-only
    oauth2: ${oauth('params', 'params-only', PARAMS_SECRET)}
    static_configs: [{targets: ["${s}"]}]
  - job_name: oauth2-wrong-secret
    oauth2: ${oauth('wrong', 'prometheus', 'not-the-secret')}
    static_configs: [{targets: ["${s}"]}]
  - job_name: oauth2-endpoint-down
    oauth2: {client_id: prometheus, client_secret: ${SECRET}, token_url: "http://127.0.0.1:${closed}/token"}
    static_configs: [{targets: ["${s}"]}]
  - job_name: oauth2-https
    oauth2: {client_id: prometheus, client_secret: ${SECRET}, token_url: "${tokensTls.tokenUrl}?job=https", tls_config: {ca_file: ca.pem}}
    static_configs: [{targets: ["${s}"]}]
  - job_name: oauth2-https-unknown-ca
    oauth2: {client_id: prometheus, client_secret: ${SECRET}, token_url: "${tokensTls.tokenUrl}?job=unknown-ca"}
    static_configs: [{targets: ["${s}"]}]
  - job_name: oauth2-via-proxy
    oauth2: {client_id: prometheus, client_secret: ${SECRET}, token_url: "${tokens.tokenUrl}?job=via-proxy", proxy_url: "${open.url}"}
    static_configs: [{targets: ["${s}"]}]
  - job_name: proxy-http
    proxy_url: ${open.url}
    static_configs: [{targets: ["${p}"]}]
  - job_name: proxy-https
    scheme: https
    tls_config: {ca_file: ca.pem}
    proxy_url: ${open.url}
    static_configs: [{targets: ["${t13}"]}]
  - job_name: proxy-connect-header
    scheme: https
    tls_config: {ca_file: ca.pem}
    proxy_url: ${guarded.url}
    proxy_connect_header: {X-Proxy-Token: [${PROXY_TOKEN}]}
    static_configs: [{targets: ["${t13}"]}]
  - job_name: proxy-connect-header-missing
    scheme: https
    tls_config: {ca_file: ca.pem}
    proxy_url: ${guarded.url}
    static_configs: [{targets: ["${t13}"]}]
  - job_name: proxy-userinfo-http
    proxy_url: http://scraper:${PROXY_PASSWORD}@127.0.0.1:${guarded.port}
    static_configs: [{targets: ["${p}"]}]
  - job_name: proxy-wrong-password-http
    proxy_url: http://scraper:wrong-password@127.0.0.1:${guarded.port}
    static_configs: [{targets: ["${p}"]}]
  - job_name: proxy-down
    scheme: https
    tls_config: {ca_file: ca.pem}
    proxy_url: http://127.0.0.1:${closed}
    static_configs: [{targets: ["${t13}"]}]
  - job_name: proxy-target-closed
    scheme: https
    tls_config: {ca_file: ca.pem}
    proxy_url: ${open.url}
    static_configs: [{targets: ["127.0.0.1:${closed2}"]}]
  - job_name: max-version-too-low
    scheme: https
    tls_config: {ca_file: ca.pem, max_version: TLS12}
    static_configs: [{targets: ["${t13}"]}]
  - job_name: max-version-ok
    scheme: https
    tls_config: {ca_file: ca.pem, max_version: TLS13}
    static_configs: [{targets: ["${t13}"]}]
  - job_name: h2-only
    scheme: https
    tls_config: {ca_file: ca.pem}
    static_configs: [{targets: ["127.0.0.1:${h2.port}"]}]
  - job_name: h2-only-http2-disabled
    scheme: https
    enable_http2: false
    tls_config: {ca_file: ca.pem}
    static_configs: [{targets: ["127.0.0.1:${h2.port}"]}]
`;
    prometheus = await startPrometheus(yaml, {
      'ca.pem': ca.certPem,
      'client-secret': `${SECRET}\n`,
    });
    await prometheus.waitForScrapes(Object.keys(EXPECT).length);
  });

  after(async () => {
    await prometheus.stop();
    await Promise.all(stops.map((stop) => stop()));
  });

  test('each job: ok is up, and the reason matches Prometheus error', async () => {
    const targets = await prometheus.targets();
    const seenByPrometheus = tokens.requests.length;
    clearOAuth2Tokens();
    const results: CheckResult[] = [];
    for (const job of jobsOf(yaml, '2')) {
      const { result } = await scrape(requestFor(job, prometheus.dir), { prometheusVersion: '2' });
      results.push(result);
      const target = targets.find((t) => t.scrapePool === job.job_name)!;
      const expected = EXPECT[job.job_name]!;
      assert.equal(
        result.ok,
        target.health === 'up',
        `${job.job_name}: ${result.reason} ${result.diagnosis}; Prometheus: ${target.health} ${target.lastError}`,
      );
      assert.equal(result.reason, expected.reason, `${job.job_name}: ${result.diagnosis}`);
      assert.match(
        target.lastError,
        expected.lastError,
        `${job.job_name}: Prometheus said ${target.lastError}`,
      );
    }
    assert.ok(seenByPrometheus > 0 && tokens.requests.length > seenByPrometheus);
    assertNoSecrets(results, [
      SECRET,
      PARAMS_SECRET,
      PROXY_TOKEN,
      PROXY_PASSWORD,
      ca.keyPem,
      ...tokens.issued,
      ...tokensTls.issued,
    ]);
    const diagnosis = (job: string): string => results.find((r) => r.job === job)!.diagnosis;
    assert.match(diagnosis('proxy-down'), /the proxy http:\/\/127\.0\.0\.1:\d+/);
    assert.match(diagnosis('proxy-connect-header-missing'), /refused to open a tunnel.*407/);
    assert.match(diagnosis('max-version-too-low'), /max_version is TLS12/);
    assert.match(diagnosis('oauth2-wrong-secret'), /invalid_client/);
    assert.match(diagnosis('oauth2-https-unknown-ca'), /tls_unknown_ca/);
  });

  test('the token requests are the ones Prometheus sends: the form, and the auth style probe', async () => {
    // Per job (the token URL's query): the style (Basic header or form) and the form, in order.
    const byJob = (list: TokenRequestSeen[]): Map<string, string[]> => {
      const out = new Map<string, string[]>();
      for (const r of list) {
        const job = new URL(r.url, 'http://x').searchParams.get('job') ?? '';
        const style = r.authorization?.startsWith('Basic ') ? 'header' : 'form';
        out.set(job, [...(out.get(job) ?? []), `${style} ${r.raw}`]);
      }
      return out;
    };
    // Prometheus fetched first (it reuses a token for its hour, and fetches again for the wrong
    // secret at every scrape, so its requests go on beside ours): told apart by User-Agent.
    const by = (agent: RegExp): TokenRequestSeen[] =>
      tokens.requests.filter((r) => agent.test(r.userAgent ?? ''));
    const theirs = byJob(by(/^Prometheus\//));
    const from = by(/^scrape-check\//).length;
    clearOAuth2Tokens();
    const jobs = jobsOf(yaml, '2');
    for (const name of ['oauth2-ok', 'oauth2-params-only', 'oauth2-wrong-secret']) {
      const job = jobs.find((j) => j.job_name === name)!;
      await scrape(requestFor(job, prometheus.dir), { prometheusVersion: '2' });
    }
    const ours = byJob(by(/^scrape-check\//).slice(from));
    assert.deepEqual(ours.get('ok'), [
      'header audience=scrape+check&grant_type=client_credentials&scope=metrics.read+metrics+list',
    ]);
    assert.deepEqual(ours.get('params'), [
      'header grant_type=client_credentials',
      `form client_id=params-only&client_secret=${PARAMS_SECRET}&grant_type=client_credentials`,
    ]);
    for (const job of ['ok', 'params', 'wrong']) {
      const mine = ours.get(job)!;
      assert.deepEqual(mine, theirs.get(job)?.slice(0, mine.length), `token requests of ${job}`);
    }
    const first = by(/^scrape-check\//)[from]!;
    assert.equal(
      first.authorization,
      `Basic ${Buffer.from(`prometheus:${SECRET}`).toString('base64')}`,
    );
    assert.equal(first.contentType, 'application/x-www-form-urlencoded');
  });

  test('a proxy sees what Go sends it: absolute-form for http, CONNECT with the header for https', () => {
    const target = (job: string): string =>
      yaml.split(`job_name: ${job}\n`)[1]!.match(/targets: \["([^"]+)"\]/)![1]!;
    assert.ok(open.requests.includes(`http://${target('proxy-http')}/metrics`));
    assert.ok(open.connects.includes(target('proxy-https')));
    assert.ok(open.requests.some((r) => r.startsWith(`${tokens.tokenUrl}?job=via-proxy`)));
    const withHeader = guarded.headers.filter((h) => h['x-proxy-token'] === PROXY_TOKEN);
    assert.ok(withHeader.length >= 2, 'Prometheus and scrape-check each sent proxy_connect_header');
  });
});
