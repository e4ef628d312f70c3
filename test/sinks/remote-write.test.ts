import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import snappy from 'snappyjs';
import { createRemoteWriteSink, type RemoteWriteOptions } from '#lib/sinks/index.ts';
import type { SinksConfig } from '#lib/config/index.ts';
import { makeFailedClusterResult, makeResult, startServer } from './fixtures.ts';
import {
  BINARIES,
  peerMissing,
  startPrometheus,
  type RunningPrometheus,
} from '../helpers/peers.ts';

type RemoteWriteConfig = NonNullable<SinksConfig['remote_write']>;

function config(url: string, extra: Partial<RemoteWriteConfig> = {}): RemoteWriteConfig {
  return { url, forward: [], timeout: 5000, ...extra };
}

const fast: RemoteWriteOptions = { minBackoffMs: 1, retries: 3 };

describe('remote_write into a real Prometheus', () => {
  const missing = peerMissing(BINARIES.prometheus);
  let prometheus: RunningPrometheus | undefined;
  before(async () => {
    if (!missing)
      prometheus = await startPrometheus('global: {}\n', {}, [
        '--web.enable-remote-write-receiver',
      ]);
  });
  after(async () => {
    await prometheus?.stop();
  });

  test(
    'writes the four series and forwarded samples, read back through the query API',
    { skip: missing ?? false },
    async () => {
      const p = prometheus!;
      const warnings: string[] = [];
      const now = Date.now();
      const sink = createRemoteWriteSink(
        config(`${p.url}/api/v1/write`),
        { warn: (m) => warnings.push(m) },
        { ...fast, now: () => now },
      );
      sink.write({
        result: makeResult(),
        forwarded: [
          { name: 'etcd_server_has_leader', labels: {}, value: 1, timestampMs: null },
          {
            name: 'apiserver_request_total',
            labels: { verb: 'GET', code: '200', job: 'inner' },
            value: 1234,
            timestampMs: now - 1000,
          },
          { name: 'weird_value', labels: { le: '+Inf' }, value: '+Inf', timestampMs: null },
        ],
      });
      sink.write({ result: makeFailedClusterResult(), forwarded: [] });
      await sink.flush();
      assert.deepEqual(warnings, []);

      const success = await p.query('scrape_check_success');
      const byJob = Object.fromEntries(success.map((s) => [s.metric.job ?? '', s]));
      assert.deepEqual(byJob.etcd!.metric, {
        __name__: 'scrape_check_success',
        job: 'etcd',
        instance: '127.0.0.1:2379',
        reason: 'ok',
      });
      assert.equal(byJob.etcd!.value[1], '1');
      assert.deepEqual(byJob.apiserver!.metric, {
        __name__: 'scrape_check_success',
        cluster: 'prod',
        job: 'apiserver',
        instance: '10.0.0.1:443',
        reason: 'http_forbidden',
      });
      assert.equal(byJob.apiserver!.value[1], '0');

      const duration = await p.query('scrape_check_duration_seconds{job="etcd"}');
      assert.ok(Math.abs(Number(duration[0]?.value[1]) - 0.0142) < 1e-12);
      const series = await p.query('scrape_check_series{job="etcd"}');
      assert.equal(series[0]?.value[1], '42');
      const cert = await p.query('scrape_check_cert_expiry_timestamp_seconds');
      assert.equal(cert.length, 1, 'only the result with a certificate has an expiry');
      assert.equal(cert[0]?.value[1], String(Date.parse('2027-01-01T00:00:00.000Z') / 1000));

      const leader = await p.query('etcd_server_has_leader');
      assert.deepEqual(leader[0]?.metric, {
        __name__: 'etcd_server_has_leader',
        job: 'etcd',
        instance: '127.0.0.1:2379',
      });
      const requests = await p.query('apiserver_request_total');
      assert.deepEqual(requests[0]?.metric, {
        __name__: 'apiserver_request_total',
        code: '200',
        verb: 'GET',
        exported_job: 'inner',
        job: 'etcd',
        instance: '127.0.0.1:2379',
      });
      assert.equal(requests[0].value[1], '1234');
      const inf = await p.query('weird_value');
      assert.equal(inf[0]?.value[1], '+Inf');
    },
  );

  test(
    'many series go out in several requests and all arrive',
    { skip: missing ?? false },
    async () => {
      const p = prometheus!;
      const warnings: string[] = [];
      const sink = createRemoteWriteSink(
        config(`${p.url}/api/v1/write`),
        { warn: (m) => warnings.push(m) },
        fast,
      );
      const forwarded = Array.from({ length: 4500 }, (_, i) => ({
        name: 'bulk_series',
        labels: { n: String(i) },
        value: i,
        timestampMs: null,
      }));
      sink.write({ result: makeResult({ job: 'bulk' }), forwarded });
      await sink.flush();
      assert.deepEqual(warnings, []);
      const count = await p.query('count(bulk_series)');
      assert.equal(count[0]?.value[1], '4500');
    },
  );
});

describe('remote_write over the wire', () => {
  test('sends the spec headers and a snappy protobuf body', async () => {
    const server = await startServer((_req, res) => {
      res.statusCode = 204;
      res.end();
    });
    try {
      const sink = createRemoteWriteSink(
        config(`${server.url}/api/v1/write`, {
          authorization: { type: 'Bearer', credentials: 'tok-SECRET-123' },
        }),
        { warn: () => undefined },
        fast,
      );
      sink.write({ result: makeResult(), forwarded: [] });
      await sink.flush();
      assert.equal(server.requests.length, 1);
      const req = server.requests[0]!;
      assert.equal(req.method, 'POST');
      assert.equal(req.headers['content-encoding'], 'snappy');
      assert.equal(req.headers['content-type'], 'application/x-protobuf');
      assert.equal(req.headers['x-prometheus-remote-write-version'], '0.1.0');
      assert.match(req.headers['user-agent'] ?? '', /^scrape-check\/\d+\.\d+\.\d+/);
      assert.equal(req.headers.authorization, 'Bearer tok-SECRET-123');
      const raw = Buffer.from(snappy.uncompress(req.body));
      assert.ok(raw.includes('scrape_check_success'));
      assert.ok(raw.includes('__name__'));
    } finally {
      await server.close();
    }
  });

  test('basic_auth from a password file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rw-'));
    await writeFile(join(dir, 'pw'), 'pw-SECRET-456\n');
    const server = await startServer((_req, res) => {
      res.end();
    });
    try {
      const sink = createRemoteWriteSink(
        config(`${server.url}/write`, {
          basic_auth: { username: 'u', password_file: join(dir, 'pw') },
        }),
        { warn: () => undefined },
        fast,
      );
      sink.write({ result: makeResult(), forwarded: [] });
      await sink.flush();
      assert.equal(
        server.requests[0]?.headers.authorization,
        `Basic ${Buffer.from('u:pw-SECRET-456').toString('base64')}`,
      );
    } finally {
      await server.close();
    }
  });

  test('retries 5xx and 429, then succeeds', async () => {
    let n = 0;
    const server = await startServer((_req, res) => {
      n++;
      res.statusCode = n === 1 ? 503 : n === 2 ? 429 : 200;
      res.end();
    });
    try {
      const warnings: string[] = [];
      const sink = createRemoteWriteSink(
        config(server.url),
        { warn: (m) => warnings.push(m) },
        fast,
      );
      sink.write({ result: makeResult(), forwarded: [] });
      await sink.flush();
      assert.equal(server.requests.length, 3);
      assert.deepEqual(warnings, []);
    } finally {
      await server.close();
    }
  });

  test('does not retry a 4xx, and warns once without the secret', async () => {
    const server = await startServer((req, res) => {
      res.statusCode = 400;
      res.end(`bad request; you sent ${String(req.headers.authorization)}`);
    });
    try {
      const warnings: string[] = [];
      const sink = createRemoteWriteSink(
        config(server.url, { authorization: { credentials: 'tok-SECRET-123' } }),
        { warn: (m) => warnings.push(m) },
        fast,
      );
      sink.write({ result: makeResult(), forwarded: [] });
      await sink.flush();
      assert.equal(server.requests.length, 1);
      assert.equal(warnings.length, 1);
      assert.match(warnings[0]!, /^sink remote_write failed: .*1 attempt: HTTP 400/);
      assert.ok(!warnings[0]!.includes('tok-SECRET-123'), warnings[0]);
    } finally {
      await server.close();
    }
  });

  test('gives up after the retries on a network error and warns', async () => {
    const server = await startServer((_req, res) => {
      res.end();
    });
    const url = server.url;
    await server.close();
    const warnings: string[] = [];
    const sink = createRemoteWriteSink(
      config(url),
      { warn: (m) => warnings.push(m) },
      { minBackoffMs: 1, retries: 2 },
    );
    sink.write({ result: makeResult(), forwarded: [] });
    await sink.flush();
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /3 attempts: .*ECONNREFUSED/);
  });

  test('a flush with nothing written sends nothing', async () => {
    const server = await startServer((_req, res) => {
      res.end();
    });
    try {
      const sink = createRemoteWriteSink(config(server.url), { warn: () => undefined }, fast);
      await sink.flush();
      assert.equal(server.requests.length, 0);
    } finally {
      await server.close();
    }
  });

  test('SigV4 for aps: the signature verifies over the bytes that arrived', async () => {
    const credentials = {
      accessKeyId: 'AKIDEXAMPLE',
      secretAccessKey: 'aws-SECRET-789',
      sessionToken: 'session-SECRET-000',
    };
    let verified = false;
    const server = await startServer(async (req, res) => {
      const auth = String(req.headers.authorization);
      assert.match(
        auth,
        /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/aps\/aws4_request, SignedHeaders=[^,]*content-encoding;content-type;host[^,]*, Signature=[0-9a-f]{64}$/,
      );
      const amzDate = String(req.headers['x-amz-date']);
      const signingDate = new Date(
        `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
      );
      const signedHeaders = /SignedHeaders=([^,]+)/.exec(auth)![1]!.split(';');
      const headers: Record<string, string> = {};
      for (const name of signedHeaders) headers[name] = String(req.headers[name]);
      const url = new URL(req.url, 'http://x');
      const host = headers.host!;
      const signer = new SignatureV4({
        service: 'aps',
        region: 'eu-west-1',
        credentials,
        sha256: Sha256,
      });
      const resigned = await signer.sign(
        new HttpRequest({
          method: req.method,
          protocol: 'http:',
          hostname: host.split(':')[0]!,
          port: Number(host.split(':')[1]),
          path: url.pathname,
          headers,
          body: new Uint8Array(req.body),
        }),
        { signingDate },
      );
      verified = resigned.headers.authorization === auth;
      res.statusCode = verified ? 200 : 403;
      res.end();
    });
    try {
      const warnings: string[] = [];
      const sink = createRemoteWriteSink(
        config(`${server.url}/workspaces/ws-1/api/v1/remote_write`, {
          sigv4: { region: 'eu-west-1' },
        }),
        { warn: (m) => warnings.push(m) },
        { ...fast, credentials },
      );
      sink.write({ result: makeResult(), forwarded: [] });
      await sink.flush();
      assert.deepEqual(warnings, []);
      assert.ok(verified);
      assert.equal(server.requests[0]?.headers['x-amz-security-token'], 'session-SECRET-000');
    } finally {
      await server.close();
    }
  });
});
