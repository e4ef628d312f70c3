/**
 * Prometheus 3's proxy settings through a real forward proxy (TooTallNate's `proxy`): `no_proxy`
 * and `proxy_from_environment` decide per URL as Go's httpproxy does (loopback never proxied, so
 * those cases use this machine's host name, which /etc/hosts maps to a loopback address), and a
 * proxy that fails is blamed, never the target. Secrets in the proxy URL and CONNECT headers stay
 * out of every output.
 */
import assert from 'node:assert/strict';
import { lookup } from 'node:dns/promises';
import { createServer, type Socket } from 'node:net';
import { hostname } from 'node:os';
import { after, before, describe, test } from 'node:test';
import { makeCa, makeLeaf, type Issued } from '#lib/lab/certs.ts';
import { clearOAuth2Tokens } from '#lib/scrape/oauth2.ts';
import { scrape } from '#lib/scrape/scrape.ts';
import type { ProxyEnvironment, ProxySettings, ScrapeRequest } from '#lib/scrape/types.ts';
import { assertNoSecrets } from '../helpers/io.ts';
import { scrapeRequest } from '../scrape/request.ts';
import {
  startMetrics,
  startProxy,
  startTlsOnly,
  startTokenEndpoint,
  type RunningProxy,
} from './servers.ts';

const PASSWORD = 'proxy-pass-word-91ac';
const HEADER_SECRET = 'connect-header-secret-44e0';

/** This machine's name when it resolves to loopback (Go's httpproxy proxies names, not 127.0.0.1). */
async function loopbackName(): Promise<string | null> {
  const name = hostname();
  try {
    const { address } = await lookup(name, { family: 4 });
    return address.startsWith('127.') && name !== 'localhost' ? name : null;
  } catch {
    return null;
  }
}

const env = (e: Partial<ProxyEnvironment>): ProxySettings => ({
  url: null,
  noProxy: null,
  fromEnvironment: true,
  environment: { httpProxy: '', httpsProxy: '', noProxy: '', cgi: false, ...e },
  connectHeaders: {},
});

describe('proxies as Prometheus 3 uses them', async () => {
  const name = await loopbackName();
  let ca: Issued;
  let proxy: RunningProxy;
  let plain: Awaited<ReturnType<typeof startMetrics>>;
  let tls: Awaited<ReturnType<typeof startTlsOnly>>;
  const run = (req: ScrapeRequest) => scrape(req, { prometheusVersion: '3' });

  before(async () => {
    ca = await makeCa({ commonName: 'proxy-test-ca' });
    const leaf = await makeLeaf(ca, {
      commonName: 'target',
      dns: ['localhost', ...(name ? [name] : [])],
      ips: ['127.0.0.1'],
    });
    proxy = await startProxy();
    plain = await startMetrics();
    tls = await startTlsOnly(leaf, 'TLSv1.2');
  });
  after(async () => {
    await Promise.all([proxy.close(), plain.close(), tls.close()]);
  });

  test('proxy_url with no_proxy: loopback and listed hosts go direct; proxy_url alone proxies all', async () => {
    const before = proxy.requests.length;
    const direct = await run(
      scrapeRequest(`http://127.0.0.1:${plain.port}/metrics`, {
        proxy: {
          url: proxy.url,
          noProxy: 'example.com',
          fromEnvironment: false,
          connectHeaders: {},
        },
      }),
    );
    assert.equal(direct.result.reason, 'ok');
    assert.equal(proxy.requests.length, before, 'httpproxy never proxies a loopback address');
    const all = await run(
      scrapeRequest(`http://127.0.0.1:${plain.port}/metrics`, {
        proxy: { url: proxy.url, noProxy: null, fromEnvironment: false, connectHeaders: {} },
      }),
    );
    assert.equal(all.result.reason, 'ok');
    assert.equal(proxy.requests.length, before + 1);
  });

  test(
    'proxy_from_environment: HTTPS_PROXY for https, HTTP_PROXY for http, NO_PROXY skips',
    { skip: name ? false : 'no host name resolving to loopback' },
    async () => {
      const https = `https://${name}:${tls.port}/metrics`;
      const http = `http://${name}:${plain.port}/metrics`;
      const connects = proxy.connects.length;
      const requests = proxy.requests.length;
      const viaHttps = await run(
        scrapeRequest(https, { tls: { ca: ca.certPem }, proxy: env({ httpsProxy: proxy.url }) }),
      );
      assert.equal(viaHttps.result.reason, 'ok', viaHttps.result.diagnosis);
      assert.deepEqual(proxy.connects.slice(connects), [`${name}:${tls.port}`]);
      // HTTP_PROXY is not for https URLs.
      await run(
        scrapeRequest(https, {
          tls: { ca: ca.certPem },
          proxy: env({ httpProxy: 'http://127.0.0.1:9' }),
        }),
      );
      assert.equal(proxy.connects.length, connects + 1);
      const viaHttp = await run(scrapeRequest(http, { proxy: env({ httpProxy: proxy.url }) }));
      assert.equal(viaHttp.result.reason, 'ok', viaHttp.result.diagnosis);
      assert.deepEqual(proxy.requests.slice(requests), [http]);
      const skipped = await run(
        scrapeRequest(http, {
          proxy: env({ httpProxy: proxy.url, noProxy: `other.example, ${name}` }),
        }),
      );
      assert.equal(skipped.result.reason, 'ok');
      assert.equal(proxy.requests.length, requests + 1);
      // REQUEST_METHOD set: Go refuses HTTP_PROXY (https://go.dev/s/cgihttpproxy).
      const cgi = await run(
        scrapeRequest(http, { proxy: env({ httpProxy: proxy.url, cgi: true }) }),
      );
      assert.equal(cgi.result.reason, 'config_invalid');
      assert.match(cgi.result.diagnosis, /refusing to use HTTP_PROXY value in CGI environment/);
    },
  );

  test(
    'the oauth2 token request takes oauth2 proxy settings, the environment included',
    { skip: name ? false : 'no host name resolving to loopback' },
    async () => {
      const tokens = await startTokenEndpoint({ p: { secret: 'proxied-client-secret' } });
      try {
        clearOAuth2Tokens();
        const requests = proxy.requests.length;
        const tokenUrl = tokens.tokenUrl.replace('localhost', name!);
        const { result } = await run(
          scrapeRequest(`http://127.0.0.1:${plain.port}/metrics`, {
            oauth2: {
              clientId: 'p',
              clientSecret: 'proxied-client-secret',
              scopes: [],
              tokenUrl,
              endpointParams: {},
              tls: {},
              proxy: env({ httpProxy: proxy.url }),
            },
          }),
        );
        assert.equal(result.reason, 'ok', result.diagnosis);
        assert.deepEqual(proxy.requests.slice(requests), [tokenUrl]);
      } finally {
        await tokens.close();
      }
    },
  );

  test('a proxy that never answers CONNECT: connect_timeout, the proxy named', async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((s) => sockets.add(s));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const { result } = await run(
        scrapeRequest(`https://127.0.0.1:${tls.port}/metrics`, {
          tls: { ca: ca.certPem },
          timeoutMs: 300,
          proxy: {
            url: `http://127.0.0.1:${port}`,
            noProxy: null,
            fromEnvironment: false,
            connectHeaders: {},
          },
        }),
      );
      assert.equal(result.reason, 'connect_timeout');
      assert.match(
        result.diagnosis,
        /the proxy http:\/\/127\.0\.0\.1:\d+ accepted the connection but did not answer CONNECT/,
      );
    } finally {
      for (const s of sockets) s.destroy();
      silent.close();
    }
  });

  test('proxies scrape-check cannot speak to are said so: socks5, https', async () => {
    for (const url of ['socks5://127.0.0.1:1080', 'https://127.0.0.1:3129']) {
      const { result } = await run(
        scrapeRequest(`http://127.0.0.1:${plain.port}/metrics`, {
          proxy: { url, noProxy: null, fromEnvironment: false, connectHeaders: {} },
        }),
      );
      assert.equal(result.reason, 'config_invalid');
      assert.match(result.diagnosis, /scrape-check speaks only to http:\/\/ proxies/);
    }
  });

  test('the proxy password and CONNECT header values never reach the output', async () => {
    const guarded = await startProxy(() => false);
    try {
      const settings: ProxySettings = {
        url: `http://scraper:${PASSWORD}@127.0.0.1:${guarded.port}`,
        noProxy: null,
        fromEnvironment: false,
        connectHeaders: { 'X-Token': [HEADER_SECRET] },
      };
      const outcomes = [
        await run(
          scrapeRequest(`https://127.0.0.1:${tls.port}/metrics`, {
            tls: { ca: ca.certPem },
            proxy: settings,
          }),
        ),
        await run(scrapeRequest(`http://127.0.0.1:${plain.port}/metrics`, { proxy: settings })),
      ];
      for (const { result } of outcomes) {
        assert.equal(result.reason, 'http_status');
        assert.match(result.diagnosis, /407/);
      }
      assert.equal(guarded.headers[0]!['x-token'], HEADER_SECRET);
      assert.equal(guarded.headers[1]!['x-token'], undefined, 'CONNECT headers go on CONNECT only');
      assertNoSecrets(outcomes, [
        PASSWORD,
        HEADER_SECRET,
        Buffer.from(`scraper:${PASSWORD}`).toString('base64'),
      ]);
    } finally {
      await guarded.close();
    }
  });
});
