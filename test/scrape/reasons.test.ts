/**
 * Every reason code of the contract, each produced by a real failure: real servers on 127.0.0.1 with
 * certificates made here, real refusals, real timeouts. One table, so no code goes untested (the
 * cluster codes, credentials_failed and token_request_failed, are in test/credentials).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { REASONS, type Reason } from '#lib/result/reasons.ts';
import { scrape, type ScrapeOptions } from '#lib/scrape/scrape.ts';
import type { ScrapeRequest } from '#lib/scrape/types.ts';
import { daysFromNow, makeCa, makeLeaf, type Issued } from '#lib/lab/certs.ts';
import { assertNoSecrets } from '../helpers/io.ts';
import {
  blackhole,
  closedPort,
  METRICS,
  startHttp,
  startHttps,
  startTcp,
  tempFiles,
  TEXT,
  type Running,
} from '../helpers/servers.ts';
import { scrapeRequest } from './request.ts';

interface Row {
  reason: Reason;
  name: string;
  setup: () => Promise<{
    req: ScrapeRequest;
    options?: Partial<ScrapeOptions>;
    cleanup?: () => unknown;
  }>;
  diagnosis: RegExp;
}

const TOKEN = 'test-token-b7f3c1d9e0a24c5f8e6d';
const PASSWORD = 'hunter2-correct-horse';
let ca: Issued;
let otherCa: Issued;
let good: Issued;
let files: Awaited<ReturnType<typeof tempFiles>>;
const running: Running[] = [];
const outputs: string[] = [];

async function serve(
  cert: Issued,
  handler: Parameters<typeof startHttps>[1],
  extra: object = {},
): Promise<Running> {
  const server = await startHttps({ cert: cert.certPem, key: cert.keyPem, ...extra }, handler);
  running.push(server);
  return server;
}

const metrics: Parameters<typeof startHttps>[1] = (_req, res) => {
  res.writeHead(200, { 'content-type': TEXT });
  res.end(METRICS);
};

function https(
  server: Running,
  overrides: Partial<ScrapeRequest> = {},
  path = '/metrics',
): ScrapeRequest {
  return scrapeRequest(`https://${server.address}${path}`, {
    tls: { caFile: files.path('ca.pem') },
    ...overrides,
  });
}

function status(code: number, body = ''): Parameters<typeof startHttps>[1] {
  return (_req, res) => {
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(body);
  };
}

const rows: Row[] = [
  {
    reason: 'ok',
    name: 'a verified TLS endpoint with a bearer token',
    diagnosis: /scraped and parsed/,
    setup: async () => {
      const server = await serve(good, (req, res) => {
        if (req.headers.authorization !== `Bearer ${TOKEN}`) {
          status(401)(req, res);
          return;
        }
        metrics(req, res);
      });
      return {
        req: https(server, { auth: { type: 'bearer', credentialsFile: files.path('token') } }),
      };
    },
  },
  {
    reason: 'config_invalid',
    name: 'a ca_file that does not exist',
    diagnosis: /tls_config\.ca_file .*missing-ca\.pem does not exist/,
    setup: async () => {
      const server = await serve(good, metrics);
      return { req: https(server, { tls: { caFile: files.path('missing-ca.pem') } }) };
    },
  },
  {
    reason: 'dns_failed',
    name: 'a host name that does not resolve',
    diagnosis: /does-not-exist\.invalid/,
    setup: () =>
      Promise.resolve({ req: scrapeRequest('http://does-not-exist.invalid:9100/metrics') }),
  },
  {
    reason: 'connect_refused',
    name: 'a port nothing listens on',
    diagnosis: /nothing listens on 127\.0\.0\.1:\d+ \(connection refused\)/,
    setup: async () => ({ req: scrapeRequest(`http://127.0.0.1:${await closedPort()}/metrics`) }),
  },
  {
    reason: 'connect_timeout',
    name: 'a listener that drops SYNs (full accept queue)',
    diagnosis: /no TCP connection .* within 0\.5s: the packets are dropped/,
    setup: async () => {
      const hole = await blackhole();
      return {
        req: scrapeRequest(`http://127.0.0.1:${hole.port}/metrics`, { timeoutMs: 500 }),
        cleanup: () => {
          hole.close();
        },
      };
    },
  },
  {
    reason: 'connection_lost',
    name: 'a server that closes the connection after reading the request',
    diagnosis: /closed the connection before a complete response/,
    setup: async () => {
      const server = await startTcp((socket) => {
        socket.once('data', () => socket.destroy());
      });
      running.push(server);
      return { req: scrapeRequest(`http://${server.address}/metrics`) };
    },
  },
  {
    reason: 'tls_unknown_ca',
    name: 'a certificate from another CA',
    diagnosis:
      /was issued by CN=other-ca, which tls_config\.ca_file .* does not hold \(it holds CN=test-ca\)/,
    setup: async () => {
      const rogue = await makeLeaf(otherCa, { commonName: 'rogue', ips: ['127.0.0.1'] });
      return { req: https(await serve(rogue, metrics)) };
    },
  },
  {
    reason: 'tls_cert_expired',
    name: 'a certificate that expired yesterday (and from an unknown CA: Go says expired first)',
    diagnosis: /expired on/,
    setup: async () => {
      const expired = await makeLeaf(otherCa, {
        commonName: 'old',
        ips: ['127.0.0.1'],
        notBefore: daysFromNow(-30),
        notAfter: daysFromNow(-1),
      });
      return { req: https(await serve(expired, metrics)) };
    },
  },
  {
    reason: 'tls_cert_not_yet_valid',
    name: 'a certificate valid from tomorrow',
    diagnosis: /not valid until/,
    setup: async () => {
      const future = await makeLeaf(ca, {
        commonName: 'future',
        ips: ['127.0.0.1'],
        notBefore: daysFromNow(1),
        notAfter: daysFromNow(30),
      });
      return { req: https(await serve(future, metrics)) };
    },
  },
  {
    reason: 'tls_hostname_mismatch',
    name: 'an IP target and a certificate without IP SANs',
    diagnosis:
      /cannot validate certificate for 127\.0\.0\.1 because it doesn't contain any IP SANs/,
    setup: async () => {
      const named = await makeLeaf(ca, { commonName: 'etcd', dns: ['etcd.internal'] });
      return { req: https(await serve(named, metrics)) };
    },
  },
  {
    reason: 'tls_client_cert_rejected',
    name: 'an mTLS server given no client certificate',
    diagnosis: /wants a client certificate and none was given/,
    setup: async () => {
      const server = await serve(good, metrics, {
        requestCert: true,
        rejectUnauthorized: true,
        ca: ca.certPem,
      });
      return { req: https(server) };
    },
  },
  {
    reason: 'tls_handshake_failed',
    name: 'a plain HTTP server spoken to over TLS',
    diagnosis: /does not speak TLS .*use scheme: http/,
    setup: async () => {
      const server = await startHttp(metrics);
      running.push(server);
      return {
        req: scrapeRequest(`https://${server.address}/metrics`, {
          tls: { caFile: files.path('ca.pem') },
        }),
      };
    },
  },
  {
    reason: 'http_unauthorized',
    name: 'a 401 for a token the server does not accept',
    diagnosis: /HTTP status 401/,
    setup: async () => ({
      req: https(await serve(good, status(401, '{"kind":"Status","code":401}')), {
        auth: { type: 'bearer', credentials: TOKEN },
      }),
    }),
  },
  {
    reason: 'http_forbidden',
    name: 'a 403 from RBAC',
    diagnosis: /HTTP status 403: authorization refused GET \/metrics/,
    setup: async () => ({
      req: https(
        await serve(
          good,
          status(
            403,
            '{"message":"forbidden: User \\"system:serviceaccount:monitoring:prometheus\\" cannot get path \\"/metrics\\""}',
          ),
        ),
        {
          auth: { type: 'bearer', credentials: TOKEN },
        },
      ),
    }),
  },
  {
    reason: 'http_not_found',
    name: 'a 404 on a wrong metrics_path',
    diagnosis: /nothing is served at \/metricz/,
    setup: async () => ({ req: https(await serve(good, status(404)), {}, '/metricz') }),
  },
  {
    reason: 'http_status',
    name: 'a 500',
    diagnosis: /HTTP status 500/,
    setup: async () => ({ req: https(await serve(good, status(500))) }),
  },
  {
    reason: 'scrape_timeout',
    name: 'headers, then a body that trickles past scrape_timeout',
    diagnosis: /longer than scrape_timeout \(0\.4s\)/,
    setup: async () => {
      const server = await serve(good, (_req, res) => {
        res.writeHead(200, { 'content-type': TEXT });
        res.write('# TYPE a gauge\n');
        const timer = setInterval(() => res.write('#'), 100);
        res.on('close', () => {
          clearInterval(timer);
        });
      });
      return { req: https(server, { timeoutMs: 400 }) };
    },
  },
  {
    reason: 'body_too_large',
    name: 'a gzip bomb that decompresses past body_size_limit',
    diagnosis: /body_size_limit \(65536 bytes, decompressed\)/,
    setup: async () => {
      const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, '#'));
      const server = await serve(good, (_req, res) => {
        res.writeHead(200, { 'content-type': TEXT, 'content-encoding': 'gzip' });
        res.end(bomb);
      });
      return {
        req: https(server, {
          limits: { ...scrapeRequest('http://x').limits, bodySizeLimit: 65536 },
        }),
      };
    },
  },
  {
    reason: 'parse_failed',
    name: 'a malformed exposition',
    diagnosis: /line 2, column \d+/,
    setup: async () => {
      const server = await serve(good, (_req, res) => {
        res.writeHead(200, { 'content-type': TEXT });
        res.end('# TYPE a counter\na_total{code="200" 1\n');
      });
      return { req: https(server) };
    },
  },
  {
    reason: 'no_samples',
    name: 'an exposition with only comments',
    diagnosis: /holds no samples/,
    setup: async () => {
      const server = await serve(good, (_req, res) => {
        res.writeHead(200, { 'content-type': TEXT });
        res.end('# HELP a nothing\n');
      });
      return { req: https(server) };
    },
  },
  {
    reason: 'unsupported_content_type',
    name: 'a text/html Content-Type under Prometheus 3',
    diagnosis: /fallback_scrape_protocol/,
    setup: async () => {
      const server = await serve(good, (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(METRICS);
      });
      return { req: https(server) };
    },
  },
  {
    reason: 'sample_limit_exceeded',
    name: 'three samples against sample_limit 2',
    diagnosis: /exposes 3 samples and sample_limit is 2/,
    setup: async () => ({
      req: https(await serve(good, metrics), {
        limits: { ...scrapeRequest('http://x').limits, sampleLimit: 2 },
      }),
    }),
  },
  {
    reason: 'label_limit_exceeded',
    name: 'label_limit 3 against job, instance, __name__ and one label',
    diagnosis: /label_limit exceeded \(metric: up_total, number of labels: 4, limit: 3\)/,
    setup: async () => ({
      req: https(await serve(good, metrics), {
        limits: { ...scrapeRequest('http://x').limits, labelLimit: 3 },
      }),
    }),
  },
];

describe('every reason code comes from a real failure', () => {
  before(async () => {
    ca = await makeCa({ commonName: 'test-ca' });
    otherCa = await makeCa({ commonName: 'other-ca' });
    good = await makeLeaf(ca, { commonName: 'good', dns: ['localhost'], ips: ['127.0.0.1'] });
    files = await tempFiles({ 'ca.pem': ca.certPem, token: `${TOKEN}\n`, password: PASSWORD });
  });
  after(async () => {
    await Promise.all(running.map((s) => s.close()));
    await files.cleanup();
    assertNoSecrets(outputs, [TOKEN, PASSWORD, good.keyPem, ca.keyPem]);
  });

  test('the table covers every code but the cluster ones and internal_error (test/runner)', () => {
    const covered = new Set(rows.map((r) => r.reason));
    // Cluster codes: test/credentials; internal_error: test/runner; the job-level discovery
    // verdicts: test/targets/job-verdicts.test.ts.
    const elsewhere = new Set([
      'credentials_failed',
      'token_request_failed',
      'internal_error',
      'discovery_failed',
      'no_targets',
    ]);
    const missing = REASONS.filter((r) => !covered.has(r) && !elsewhere.has(r));
    assert.deepEqual(missing, []);
  });

  for (const row of rows) {
    test(`${row.reason}: ${row.name}`, async () => {
      const { req, options, cleanup } = await row.setup();
      try {
        const { result } = await scrape(req, { prometheusVersion: '3', ...options });
        outputs.push(JSON.stringify(result));
        assert.equal(result.reason, row.reason, result.diagnosis);
        assert.equal(result.ok, row.reason === 'ok');
        assert.match(result.diagnosis, row.diagnosis);
      } finally {
        await cleanup?.();
      }
    });
  }
});
