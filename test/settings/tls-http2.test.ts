/**
 * `tls_config.max_version` and `enable_http2` as Go's crypto/tls and net/http apply them, against
 * real servers: a TLS 1.3-only and a TLS 1.2-only server, an HTTP/2-only server and one that
 * speaks both.
 */
import assert from 'node:assert/strict';
import { createSecureServer } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { makeCa, makeLeaf, type Issued } from '#lib/lab/certs.ts';
import { scrape } from '#lib/scrape/scrape.ts';
import type { TlsSettings } from '#lib/scrape/types.ts';
import { scrapeRequest } from '../scrape/request.ts';
import { BODY, startH2Only, startTlsOnly, TEXT } from './servers.ts';

describe('tls_config.max_version and enable_http2', () => {
  let ca: Issued;
  let tls13: Awaited<ReturnType<typeof startTlsOnly>>;
  let tls12: Awaited<ReturnType<typeof startTlsOnly>>;
  let h2only: Awaited<ReturnType<typeof startH2Only>>;
  let both: { port: number; versions: string[]; close(): void };

  before(async () => {
    ca = await makeCa({ commonName: 'tls-test-ca' });
    const leaf = await makeLeaf(ca, { commonName: 'target', ips: ['127.0.0.1'] });
    tls13 = await startTlsOnly(leaf, 'TLSv1.3');
    tls12 = await startTlsOnly(leaf, 'TLSv1.2');
    h2only = await startH2Only(leaf);
    const versions: string[] = [];
    const server = createSecureServer(
      { cert: leaf.certPem, key: leaf.keyPem, allowHTTP1: true },
      (req, res) => {
        versions.push(req.httpVersion);
        res.writeHead(200, { 'content-type': TEXT });
        res.end(BODY);
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    both = {
      port: (server.address() as AddressInfo).port,
      versions,
      close: () => {
        server.close();
      },
    };
  });
  after(async () => {
    both.close();
    await Promise.all([tls13.close(), tls12.close(), h2only.close()]);
  });

  const run = (port: number, tls: TlsSettings = {}, enableHttp2?: boolean) =>
    scrape(
      scrapeRequest(`https://127.0.0.1:${port}/metrics`, {
        tls: { ca: ca.certPem, ...tls },
        ...(enableHttp2 === undefined ? {} : { enableHttp2 }),
      }),
      { prometheusVersion: '3' },
    );

  test('max_version below what the server speaks fails the handshake, and says max_version', async () => {
    const { result } = await run(tls13.port, { maxVersion: 'TLS12' });
    assert.equal(result.reason, 'tls_handshake_failed');
    assert.match(result.diagnosis, /protocol version not supported/);
    assert.match(
      result.diagnosis,
      /tls_config\.max_version is TLS12 .*raise or remove max_version/,
    );
    assert.equal((await run(tls13.port, { maxVersion: 'TLS13' })).result.reason, 'ok');
    assert.equal((await run(tls12.port, { maxVersion: 'TLS12' })).result.tls?.version, 'TLSv1.2');
  });

  test('min_version above what the server speaks names min_version', async () => {
    const { result } = await run(tls12.port, { minVersion: 'TLS13' });
    assert.equal(result.reason, 'tls_handshake_failed');
    assert.match(result.diagnosis, /min_version is TLS13/);
  });

  test("max_version below min_version: prometheus/common's refusal; below Go's default minimum: Go's", async () => {
    const both = await run(tls13.port, { minVersion: 'TLS12', maxVersion: 'TLS11' });
    assert.equal(both.result.reason, 'config_invalid');
    assert.match(
      both.result.diagnosis,
      /^tls_config\.max_version must be greater than or equal to tls_config\.min_version if both are specified$/,
    );
    const alone = await run(tls13.port, { maxVersion: 'TLS11' });
    assert.equal(alone.result.reason, 'tls_handshake_failed');
    assert.match(
      alone.result.diagnosis,
      /tls: no supported versions satisfy MinVersion and MaxVersion/,
    );
  });

  test('enable_http2 (the default) negotiates h2 and scrapes an HTTP/2-only server', async () => {
    const { result } = await run(h2only.port);
    assert.equal(result.reason, 'ok', result.diagnosis);
    assert.equal(result.series, 2);
    await run(both.port);
    assert.equal(both.versions.at(-1), '2.0');
  });

  test('enable_http2: false offers no ALPN, as Go then does: HTTP/1.1, which an h2-only server refuses', async () => {
    const { result } = await run(h2only.port, {}, false);
    assert.equal(result.ok, false);
    assert.equal(result.reason, 'http_forbidden');
    await run(both.port, {}, false);
    assert.equal(both.versions.at(-1), '1.1');
  });
});
