/**
 * What a scrape sends and how it treats what comes back, against real servers: Prometheus's headers
 * per version, credentials read at check time, redirects that never carry a token to another origin,
 * insecure_skip_verify that still says what verification would have found, gzip, and the result's
 * TLS and phase figures.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { daysFromNow, makeCa, makeLeaf, type Issued } from '#lib/lab/certs.ts';
import { ACCEPT_PROMETHEUS_2 } from '#lib/scrape/protocol.ts';
import { scrape } from '#lib/scrape/scrape.ts';
import { assertNoSecrets } from '../helpers/io.ts';
import {
  METRICS,
  startHttp,
  startHttps,
  tempFiles,
  TEXT,
  type Running,
} from '../helpers/servers.ts';
import { scrapeRequest } from './request.ts';

const TOKEN_A = 'rotating-token-aaaaaaaaaaaaaaaa';
const TOKEN_B = 'rotating-token-bbbbbbbbbbbbbbbb';
let ca: Issued;
let leaf: Issued;
let files: Awaited<ReturnType<typeof tempFiles>>;
const servers: Running[] = [];
const outputs: string[] = [];

const ok: Parameters<typeof startHttp>[0] = (_req, res) => {
  res.writeHead(200, { 'content-type': TEXT });
  res.end(METRICS);
};

describe('a scrape as Prometheus makes it', () => {
  before(async () => {
    ca = await makeCa({ commonName: 'behaviour-ca' });
    leaf = await makeLeaf(ca, { commonName: 'target', dns: ['localhost'], ips: ['127.0.0.1'] });
    files = await tempFiles({ 'ca.pem': ca.certPem, token: TOKEN_A });
  });
  after(async () => {
    await Promise.all(servers.map((s) => s.close()));
    await files.cleanup();
    assertNoSecrets(outputs, [TOKEN_A, TOKEN_B, leaf.keyPem]);
  });

  test('sends the headers of the Prometheus version it reproduces', async () => {
    const server = await startHttp(ok);
    servers.push(server);
    const req = scrapeRequest(`http://${server.address}/metrics`, {
      timeoutMs: 7500,
      auth: { type: 'bearer', credentials: TOKEN_A },
    });
    await scrape(req, { prometheusVersion: '3' });
    await scrape(req, { prometheusVersion: '2' });
    const [three, two] = server.requests;
    assert.equal(
      three!.accept,
      'application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2',
    );
    assert.equal(two!.accept, ACCEPT_PROMETHEUS_2);
    assert.equal(three!['accept-encoding'], 'gzip');
    assert.equal(three!['x-prometheus-scrape-timeout-seconds'], '7.5');
    assert.match(three!['user-agent']!, /^scrape-check\/\d+\.\d+\.\d+/);
    assert.equal(three!.authorization, `Bearer ${TOKEN_A}`);
  });

  test('honours scrape_protocols and enable_compression', async () => {
    const server = await startHttp(ok);
    servers.push(server);
    await scrape(
      scrapeRequest(`http://${server.address}/metrics`, {
        scrapeProtocols: ['PrometheusText0.0.4'],
        enableCompression: false,
      }),
      { prometheusVersion: '3' },
    );
    assert.equal(server.requests[0]!.accept, 'text/plain;version=0.0.4;q=0.6,*/*;q=0.5');
    assert.equal(server.requests[0]!['accept-encoding'], 'identity');
  });

  test('reads the token file at check time, so a rotated token is used at once', async () => {
    const server = await startHttp(ok);
    servers.push(server);
    const req = scrapeRequest(`http://${server.address}/metrics`, {
      auth: { type: 'bearer', credentialsFile: files.path('token') },
    });
    await scrape(req, { prometheusVersion: '3' });
    await writeFile(files.path('token'), `${TOKEN_B}\n`);
    const { result } = await scrape(req, { prometheusVersion: '3' });
    outputs.push(JSON.stringify(result));
    assert.deepEqual(
      server.requests.map((h) => h.authorization),
      [`Bearer ${TOKEN_A}`, `Bearer ${TOKEN_B}`],
    );
  });

  test('a redirect to another origin does not carry the token', async () => {
    const other = await startHttp(ok);
    const first = await startHttp((_req, res) => {
      res.writeHead(302, { location: `http://localhost:${other.port}/metrics` });
      res.end();
    });
    servers.push(other, first);
    const { result } = await scrape(
      scrapeRequest(`http://${first.address}/metrics`, {
        auth: { type: 'bearer', credentials: TOKEN_A },
      }),
      { prometheusVersion: '3' },
    );
    outputs.push(JSON.stringify(result));
    assert.equal(result.reason, 'ok');
    assert.equal(first.requests[0]!.authorization, `Bearer ${TOKEN_A}`);
    assert.equal(other.requests[0]!.authorization, undefined);
    assert.ok(result.warnings.some((w) => /credentials were not sent to the other origin/.test(w)));
  });

  test('a redirect loop stops after ten hops; follow_redirects: false stops at the first', async () => {
    const loop = await startHttp((_req, res) => {
      res.writeHead(302, { location: '/metrics' });
      res.end();
    });
    servers.push(loop);
    const looped = await scrape(scrapeRequest(`http://${loop.address}/metrics`), {
      prometheusVersion: '3',
    });
    assert.equal(looped.result.reason, 'http_status');
    assert.match(looped.result.diagnosis, /stopped after 10 redirects/);
    const stopped = await scrape(
      scrapeRequest(`http://${loop.address}/metrics`, { followRedirects: false }),
      { prometheusVersion: '3' },
    );
    assert.equal(stopped.result.reason, 'http_status');
    assert.match(
      stopped.result.diagnosis,
      /HTTP status 302: a redirect.*follow_redirects is false/,
    );
  });

  test('insecure_skip_verify scrapes, and says what verification would have found', async () => {
    const expired = await makeLeaf(ca, {
      commonName: 'old',
      ips: ['127.0.0.1'],
      notBefore: daysFromNow(-10),
      notAfter: daysFromNow(-2),
    });
    const server = await startHttps({ cert: expired.certPem, key: expired.keyPem }, ok);
    servers.push(server);
    const { result } = await scrape(
      scrapeRequest(`https://${server.address}/metrics`, {
        tls: { caFile: files.path('ca.pem'), insecureSkipVerify: true },
      }),
      { prometheusVersion: '3' },
    );
    assert.equal(result.reason, 'ok');
    const tls = result.tls!;
    assert.equal(tls.verificationSkipped, true);
    assert.equal(tls.verified, false);
    assert.equal(tls.chainNotAfter, null);
    assert.ok(result.warnings.some((w) => /insecure_skip_verify hides .*tls_cert_expired/.test(w)));
  });

  test('reports TLS facts, phases and sizes of a verified scrape, gzip decoded', async () => {
    const server = await startHttps({ cert: leaf.certPem, key: leaf.keyPem }, (_req, res) => {
      res.writeHead(200, { 'content-type': TEXT, 'content-encoding': 'gzip' });
      res.end(gzipSync(METRICS));
    });
    servers.push(server);
    const { result } = await scrape(
      scrapeRequest(`https://${server.address}/metrics`, { tls: { caFile: files.path('ca.pem') } }),
      {
        prometheusVersion: '3',
      },
    );
    outputs.push(JSON.stringify(result));
    assert.equal(result.reason, 'ok');
    assert.equal(result.series, 3);
    assert.equal(result.bytes, Buffer.byteLength(METRICS));
    assert.equal(result.format, 'prometheus');
    assert.equal(result.httpStatus, 200);
    const tls = result.tls!;
    assert.equal(tls.verified, true);
    assert.equal(tls.subject, 'CN=target');
    assert.equal(tls.issuer, 'CN=behaviour-ca');
    assert.deepEqual(tls.sans, ['DNS:localhost', 'IP:127.0.0.1']);
    assert.equal(tls.notAfter, leaf.cert.notAfter.toISOString());
    assert.ok(tls.daysLeft !== null && tls.daysLeft >= 363 && tls.daysLeft <= 365);
    assert.equal(tls.earliestNotAfter, tls.notAfter);
    assert.equal(tls.chainNotAfter, tls.notAfter);
    assert.match(tls.fingerprintSha256!, /^[0-9a-f]{64}$/);
    assert.match(tls.version!, /^TLSv1\.[23]$/);
    for (const phase of ['dnsMs', 'connectMs', 'tlsMs', 'firstByteMs', 'bodyMs'] as const) {
      assert.equal(typeof result.phases[phase], 'number', phase);
    }
    assert.equal(result.phases.dnsMs, 0, 'an IP address needs no lookup');
  });

  test('a Common-Name-only certificate is refused as Go refuses it, though Node would accept it', async () => {
    const cnOnly = await makeLeaf(ca, { commonName: 'localhost', noSan: true });
    const server = await startHttps({ cert: cnOnly.certPem, key: cnOnly.keyPem }, ok);
    servers.push(server);
    const { result } = await scrape(
      scrapeRequest(`https://localhost:${server.port}/metrics`, {
        tls: { caFile: files.path('ca.pem') },
      }),
      {
        prometheusVersion: '2',
      },
    );
    assert.equal(result.reason, 'tls_hostname_mismatch');
    assert.match(result.diagnosis, /legacy Common Name field/);
  });

  test('a server that does not send its intermediate: said precisely; the full chain verifies', async () => {
    const root = await makeCa({ commonName: 'root-ca' });
    const intermediate = await makeCa({
      commonName: 'intermediate-ca',
      issuer: root,
      notAfter: daysFromNow(100),
    });
    const served = await makeLeaf(intermediate, { commonName: 'apiserver', ips: ['127.0.0.1'] });
    const leafOnly = await startHttps({ cert: served.certPem, key: served.keyPem }, ok);
    const fullChain = await startHttps(
      { cert: served.certPem + intermediate.certPem, key: served.keyPem },
      ok,
    );
    servers.push(leafOnly, fullChain);
    const missing = await scrape(
      scrapeRequest(`https://${leafOnly.address}/metrics`, { tls: { ca: root.certPem } }),
      { prometheusVersion: '3' },
    );
    assert.equal(missing.result.reason, 'tls_unknown_ca');
    assert.match(
      missing.result.diagnosis,
      /does not send the intermediate certificate that links the two/,
    );
    const full = await scrape(
      scrapeRequest(`https://${fullChain.address}/metrics`, { tls: { ca: root.certPem } }),
      { prometheusVersion: '3' },
    );
    assert.equal(full.result.reason, 'ok', full.result.diagnosis);
    // The intermediate expires first: that is when verification will start to fail.
    assert.equal(full.result.tls!.chainNotAfter, intermediate.cert.notAfter.toISOString());
    assert.equal(full.result.tls!.earliestNotAfter, intermediate.cert.notAfter.toISOString());
    assert.equal(full.result.tls!.notAfter, served.cert.notAfter.toISOString());
  });

  test('insecure_skip_verify on a certificate that would verify: nothing claimed, nothing warned', async () => {
    const server = await startHttps({ cert: leaf.certPem, key: leaf.keyPem }, ok);
    servers.push(server);
    const { result } = await scrape(
      scrapeRequest(`https://${server.address}/metrics`, {
        tls: { caFile: files.path('ca.pem'), insecureSkipVerify: true },
      }),
      { prometheusVersion: '3' },
    );
    assert.equal(result.reason, 'ok');
    const tls = result.tls!;
    assert.equal(tls.verificationSkipped, true);
    assert.equal(tls.verified, false);
    assert.equal(tls.chainNotAfter, null);
    assert.equal(tls.notAfter, leaf.cert.notAfter.toISOString());
    assert.deepEqual(result.warnings, []);
  });

  test('server_name sets SNI and the name verified', async () => {
    const named = await makeLeaf(ca, { commonName: 'etcd', dns: ['etcd.kube-system.svc'] });
    let sni: string | undefined;
    const server = await startHttps(
      {
        cert: named.certPem,
        key: named.keyPem,
        SNICallback: (name, cb) => {
          sni = name;
          cb(null);
        },
      },
      ok,
    );
    servers.push(server);
    const { result } = await scrape(
      scrapeRequest(`https://${server.address}/metrics`, {
        tls: { caFile: files.path('ca.pem'), serverName: 'etcd.kube-system.svc' },
      }),
      { prometheusVersion: '3' },
    );
    assert.equal(result.reason, 'ok', result.diagnosis);
    assert.equal(sni, 'etcd.kube-system.svc');
  });

  test('a blank Content-Type: Prometheus 3 refuses it, 2 reads text and warns, a fallback reads it', async () => {
    const server = await startHttp((_req, res) => {
      res.writeHead(200);
      res.end(METRICS);
    });
    servers.push(server);
    const url = `http://${server.address}/metrics`;
    const three = await scrape(scrapeRequest(url), { prometheusVersion: '3' });
    assert.equal(three.result.reason, 'unsupported_content_type');
    assert.match(three.result.diagnosis, /a blank Content-Type/);
    const two = await scrape(scrapeRequest(url), { prometheusVersion: '2' });
    assert.equal(two.result.reason, 'ok');
    assert.ok(two.result.warnings.some((w) => /Prometheus 3 would refuse this target/.test(w)));
    const fallback = await scrape(
      scrapeRequest(url, { fallbackScrapeProtocol: 'PrometheusText0.0.4' }),
      { prometheusVersion: '3' },
    );
    assert.equal(fallback.result.reason, 'ok');
    assert.equal(fallback.result.series, 3);
  });

  test('Prometheus accepts only 200: a 204 fails', async () => {
    const server = await startHttp((_req, res) => {
      res.writeHead(204);
      res.end();
    });
    servers.push(server);
    const { result } = await scrape(scrapeRequest(`http://${server.address}/metrics`), {
      prometheusVersion: '3',
    });
    assert.equal(result.reason, 'http_status');
    assert.match(result.diagnosis, /only 200 OK/);
  });

  test('a body of exactly body_size_limit bytes fails, as Prometheus fails n >= limit', async () => {
    const server = await startHttp(ok);
    servers.push(server);
    const limits = {
      ...scrapeRequest('http://x').limits,
      bodySizeLimit: Buffer.byteLength(METRICS),
    };
    const exact = await scrape(scrapeRequest(`http://${server.address}/metrics`, { limits }), {
      prometheusVersion: '3',
    });
    assert.equal(exact.result.reason, 'body_too_large');
    const roomy = await scrape(
      scrapeRequest(`http://${server.address}/metrics`, {
        limits: { ...limits, bodySizeLimit: limits.bodySizeLimit + 1 },
      }),
      {
        prometheusVersion: '3',
      },
    );
    assert.equal(roomy.result.reason, 'ok');
    assert.ok(roomy.result.warnings.some((w) => /of body_size_limit/.test(w)));
  });

  test('a hostile server echoing the token in an error body never gets it into the result', async () => {
    const server = await startHttp((req, res) => {
      res.writeHead(403);
      res.end(`forbidden: you sent ${req.headers.authorization ?? ''}`);
    });
    servers.push(server);
    const outcome = await scrape(
      scrapeRequest(`http://${server.address}/metrics`, {
        auth: { type: 'bearer', credentials: TOKEN_A },
      }),
      {
        prometheusVersion: '3',
      },
    );
    assert.equal(outcome.result.reason, 'http_forbidden');
    assert.ok(outcome.errorBody?.includes('<redacted>'));
    outputs.push(JSON.stringify(outcome));
  });
});
