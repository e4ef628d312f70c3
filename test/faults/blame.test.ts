/**
 * Issue 13, "blame the right thing": a body cut short after the headers is the body's fault, not
 * the scheme's; an API server that cannot be reached is named as such (with the network reason
 * and where it was seen from), not as a token problem; a run whose sinks take seconds reports
 * those seconds, and the sinks' warnings follow the results instead of preceding them.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { constants, createSecureServer, type Http2SecureServer } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { stringify } from 'yaml';
import { main } from '#lib/cli/main.ts';
import { parseConfig, type Config } from '#lib/config/index.ts';
import { resetCredentialCache } from '#lib/credentials/index.ts';
import { makeCa, makeLeaf, type Issued } from '#lib/lab/certs.ts';
import { runChecks } from '#lib/runner/index.ts';
import type { Sink } from '#lib/sinks/types.ts';
import { planCluster } from '#lib/targets/cluster.ts';
import { DEFAULTS } from '../credentials/helpers.ts';
import {
  closedPort,
  METRICS,
  startHttp,
  startHttps,
  startTcp,
  tempFiles,
  TEXT,
  type Running,
} from '../helpers/servers.ts';

const BODY = '# TYPE a gauge\na 1\n'; // 19 bytes
let ca: Issued;
let leaf: Issued;
let files: Awaited<ReturnType<typeof tempFiles>>;
const servers: Running[] = [];

async function serve(server: Promise<Running>): Promise<Running> {
  const running = await server;
  servers.push(running);
  return running;
}

async function config(yaml: string): Promise<Config> {
  const parsed = await parseConfig(yaml, 'blame.yaml', files.dir);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.config;
}

/** A raw HTTP/1.1 server that sends `head`, then `body`, then closes (or resets) the connection. */
function cutAfter(head: string, body: string, how: 'end' | 'reset' | 'stall'): Promise<Running> {
  return serve(
    startTcp((socket) => {
      socket.once('data', () => {
        socket.write(`HTTP/1.1 200 OK\r\ncontent-type: ${TEXT}\r\n${head}\r\n${body}`);
        if (how === 'end') setTimeout(() => socket.end(), 30);
        if (how === 'reset') setTimeout(() => socket.resetAndDestroy(), 30);
      });
    }),
  );
}

before(async () => {
  ca = await makeCa({ commonName: 'blame-ca' });
  leaf = await makeLeaf(ca, { commonName: 'blame', dns: ['localhost'], ips: ['127.0.0.1'] });
  files = await tempFiles({ 'ca.pem': ca.certPem });
});
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await files.cleanup();
});

describe('a body cut short after the headers is not a scheme problem', () => {
  let h2: Http2SecureServer;
  let h2Address: string;
  before(async () => {
    // HTTP/2 (offered by default, as Prometheus offers it): the stream reset mid-body, or left
    // open after 19 bytes (metrics_path /stall).
    h2 = createSecureServer({ cert: leaf.certPem, key: leaf.keyPem });
    h2.on('stream', (stream, headers) => {
      stream.on('error', () => undefined);
      stream.respond({ ':status': 200, 'content-type': TEXT, 'content-length': '1000' });
      stream.write(BODY);
      if (headers[':path'] === '/stall') return;
      setTimeout(() => {
        stream.close(constants.NGHTTP2_INTERNAL_ERROR);
      }, 30);
    });
    await new Promise<void>((resolve) => h2.listen(0, '127.0.0.1', resolve));
    h2Address = `127.0.0.1:${(h2.address() as AddressInfo).port}`;
  });
  after(
    () =>
      new Promise<void>((resolve) => {
        h2.close(() => {
          resolve();
        });
      }),
  );

  test('closed, reset, chunked, HTTP/2: connection_lost, with the bytes that came', async () => {
    const closed = await cutAfter('content-length: 100000\r\n', BODY, 'end');
    const reset = await cutAfter('content-length: 100000\r\n', BODY, 'reset');
    const chunked = await cutAfter('transfer-encoding: chunked\r\n', `13\r\n${BODY}\r\n`, 'end');
    const job = (name: string, address: string, extra = ''): string =>
      `  - job_name: ${name}\n${extra}    static_configs: [{targets: ["${address}"]}]\n`;
    const report = await runChecks(
      await config(
        `scrape_configs:\n${job('closed', closed.address)}${job('reset', reset.address)}${job('chunked', chunked.address)}${job('h2', h2Address, '    scheme: https\n    tls_config: {ca_file: ca.pem}\n')}`,
      ),
    );
    const byJob = new Map(report.results.map((r) => [r.job, r]));
    for (const [name, announced] of [
      ['closed', 100000],
      ['reset', null],
      ['chunked', null],
      ['h2', 1000],
    ] as const) {
      const result = byJob.get(name)!;
      assert.equal(result.reason, 'connection_lost', `${name}: ${result.diagnosis}`);
      assert.equal(result.httpStatus, 200, name);
      assert.doesNotMatch(result.diagnosis, /scheme/, name);
      // HTTP/1.x is read by lib/scrape/http1 (Go's reader), HTTP/2 by undici and classify.ts:
      // both say the headers came, and how much of the body.
      assert.match(result.diagnosis, /headers/, name);
      assert.match(
        result.diagnosis,
        /after 19 (bytes of the body|of the|bytes|body bytes)\b/,
        name,
      );
      if (announced !== null) assert.match(result.diagnosis, new RegExp(`${announced}`), name);
    }
  });

  test('a body that stalls: scrape_timeout, not a scheme problem; over HTTP/2, how much came', async () => {
    const stall = await cutAfter('content-length: 100000\r\n', BODY, 'stall');
    const report = await runChecks(
      await config(`scrape_configs:
  - job_name: stall
    scrape_timeout: 400ms
    static_configs: [{targets: ["${stall.address}"]}]
  - job_name: stall-h2
    scheme: https
    metrics_path: /stall
    scrape_timeout: 400ms
    tls_config: {ca_file: ca.pem}
    static_configs: [{targets: ["${h2Address}"]}]
`),
    );
    for (const result of report.results) {
      assert.equal(result.reason, 'scrape_timeout', result.job);
      assert.equal(result.httpStatus, 200, result.job);
      assert.doesNotMatch(result.diagnosis, /scheme/, result.job);
    }
    assert.match(
      report.results[1]!.diagnosis,
      /sent the response headers \(HTTP 200\) and 19 bytes of the body \(of the 1000 that Content-Length announced\), but not the rest in time/,
    );
  });

  test('TLS on a plain port is still a scheme problem: nothing HTTP came back', async () => {
    const tlsOnly = await serve(
      startHttps({ cert: leaf.certPem, key: leaf.keyPem }, (_req, res) => res.end(METRICS)),
    );
    const report = await runChecks(
      await config(
        `scrape_configs:\n  - job_name: plain\n    static_configs: [{targets: ["${tlsOnly.address}"]}]\n`,
      ),
    );
    assert.equal(report.results[0]!.reason, 'connection_lost');
    assert.match(report.results[0]!.diagnosis, /scheme: https/);
  });
});

describe('an API server that cannot be reached is named, with the network reason', () => {
  let wrongCa: Issued;
  let silent: Running;
  let otherCa: Running;

  before(async () => {
    wrongCa = await makeCa({ commonName: 'not-the-cluster-ca' });
    const stranger = await makeLeaf(wrongCa, { commonName: 'api', ips: ['127.0.0.1'] });
    otherCa = await serve(
      startHttps({ cert: stranger.certPem, key: stranger.keyPem }, (_req, res) => res.end('{}')),
    );
    silent = await serve(startHttps({ cert: leaf.certPem, key: leaf.keyPem }, () => undefined));
  });
  after(() => {
    resetCredentialCache();
  });

  async function planAgainst(server: string, apiTimeoutMs = 5_000) {
    const kubeconfig = stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: 'c',
          cluster: {
            server,
            'certificate-authority-data': Buffer.from(ca.certPem).toString('base64'),
          },
        },
      ],
      users: [{ name: 'u', user: { token: 'blame-checker-token-0a1b2c3d' } }],
      contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
      'current-context': 'x',
    });
    const path = `${files.dir}/kubeconfig-${Math.random().toString(36).slice(2)}`;
    await writeFile(path, kubeconfig);
    return planCluster(
      {
        name: 'prod',
        kubeconfig: { path },
        service_account: { namespace: 'monitoring', name: 'prometheus' },
        targets: ['apiserver', 'kubelet'],
      },
      DEFAULTS,
      { apiTimeoutMs },
    );
  }

  test('refused, unresolvable, wrong CA, silent: never token_request_failed', async () => {
    const port = await closedPort();
    const cases: [string, string, RegExp, number?][] = [
      [
        `https://127.0.0.1:${port}`,
        'connect_refused',
        /The API server of cluster "prod" \(https:\/\/127\.0\.0\.1:\d+\) is down or unreachable from this host \([^)]+\) \(ECONNREFUSED, nothing listens at that address/,
      ],
      [
        'https://api.scrape-check-test.invalid:6443',
        'dns_failed',
        /is down or unreachable from this host .*ENOTFOUND, the host name does not resolve/,
      ],
      [
        `https://${otherCa.address}`,
        'tls_unknown_ca',
        /was reached from this host \([^)]+\), but its certificate did not verify/,
      ],
      [
        `https://${silent.address}`,
        'scrape_timeout',
        /accepted the connection but did not answer in time from this host/,
        300,
      ],
    ];
    for (const [server, reason, diagnosis, timeout] of cases) {
      const plan = await planAgainst(server, timeout);
      assert.equal(plan.requests.length, 0, server);
      assert.deepEqual(
        plan.failures.map((f) => [f.job, f.reason]),
        [
          ['apiserver', reason],
          ['kubelet', reason],
        ],
        server,
      );
      assert.match(plan.failures[0]!.diagnosis, diagnosis);
      assert.match(
        plan.failures[0]!.diagnosis,
        /TokenRequest for ServiceAccount monitoring\/prometheus/,
      );
      assert.doesNotMatch(plan.failures[0]!.diagnosis, /blame-checker-token/);
    }
  });
});

describe('sinks: the true duration, and their warnings after the results', () => {
  let healthy: Running;
  before(async () => {
    healthy = await serve(
      startHttp((_req, res) => {
        res.writeHead(200, { 'content-type': TEXT });
        res.end(METRICS);
      }),
    );
  });

  test('summary.durationMs counts a sink that takes a second to flush', async () => {
    let flushed = 0;
    const slow: Sink = {
      name: 'slow',
      write: () => undefined,
      flush: async () => {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        flushed = performance.now();
      },
    };
    const started = performance.now();
    const report = await runChecks(
      await config(
        `scrape_configs:\n  - job_name: ok\n    static_configs: [{targets: ["${healthy.address}"]}]\n`,
      ),
      { sinks: [slow] },
    );
    assert.ok(flushed > 0, 'the sink was flushed before the report came back');
    assert.ok(report.summary.durationMs >= 1000, `durationMs ${report.summary.durationMs}`);
    assert.ok(report.summary.durationMs <= performance.now() - started + 1);
  });

  test("the CLI prints a failing sink's warning after the table, and after the JSON", async () => {
    const refusing = await serve(
      startHttp((_req, res) => {
        res.writeHead(400).end('out of order samples');
      }),
    );
    const file = `${files.dir}/sinks.yaml`;
    await writeFile(
      file,
      `scrape_configs:\n  - job_name: ok\n    static_configs: [{targets: ["${healthy.address}"]}]\nsinks:\n  remote_write: {url: "http://${refusing.address}/api/v1/write"}\n`,
    );
    for (const json of [false, true]) {
      // One log for both streams, in the order they were written.
      const log: string[] = [];
      const stream = (tag: string): Writable & { isTTY: boolean } =>
        Object.assign(
          new Writable({
            write(chunk: Buffer, _enc, done) {
              log.push(`${tag}${chunk.toString()}`);
              done();
            },
          }),
          { isTTY: false },
        );
      const io = { stdout: stream('out:'), stderr: stream('err:'), stdin: process.stdin };
      const code = await main(['run', '--config', file, ...(json ? ['--json'] : [])], {}, io);
      assert.equal(code, 0);
      const warning = log.findIndex((l) => l.startsWith('err:warning: sink remote_write failed'));
      const results = log.findIndex((l) => l.startsWith('out:'));
      assert.ok(warning > results && results >= 0, log.join('\n'));
    }
  });
});
