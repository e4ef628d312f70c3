/**
 * Hostile and broken endpoints: each fault ends in a verdict with a clear reason, the healthy target
 * checked beside it still passes, nothing secret reaches the output, and memory stays bounded.
 * (Redirect faults, to another host and in a loop, are in test/scrape/behaviour.test.ts; wrong
 * schemes against real Go servers in test/peers.)
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { parseConfig } from '#lib/config/index.ts';
import { main } from '#lib/cli/main.ts';
import { makeCa, makeLeaf, type Issued } from '#lib/lab/certs.ts';
import type { CheckResult } from '#lib/result/types.ts';
import { runChecks } from '#lib/runner/index.ts';
import { assertNoSecrets, captureIo } from '../helpers/io.ts';
import {
  METRICS,
  startHttp,
  startHttps,
  startTcp,
  tempFiles,
  TEXT,
  type Running,
} from '../helpers/servers.ts';

const TOKEN = 'fault-suite-token-5e0c1a7f9b3d';
const PASSWORD = 'fault-suite-password-11aa22bb';
let ca: Issued;
let leaf: Issued;
let files: Awaited<ReturnType<typeof tempFiles>>;
let healthy: Running;
const servers: Running[] = [];
const outputs: string[] = [];

/** Peak RSS growth over a call, sampled every 20 ms. */
async function peakRssGrowth<T>(fn: () => Promise<T>): Promise<{ value: T; growthMb: number }> {
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  try {
    const value = await fn();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { value, growthMb: (peak - base) / 2 ** 20 };
  } finally {
    clearInterval(timer);
  }
}

/** Runs the fault's job beside a healthy one; returns the fault's result. */
async function check(job: string, options: { concurrency?: number } = {}): Promise<CheckResult> {
  const yaml = `global: {scrape_timeout: 2s}
scrape_configs:
${job}
  - job_name: healthy-neighbour
    scheme: https
    tls_config: {ca_file: ca.pem}
    authorization: {credentials_file: token}
    static_configs: [{targets: ["${healthy.address}"]}]
`;
  const parsed = await parseConfig(yaml, 'faults.yaml', files.dir);
  if (!parsed.ok) throw new Error(parsed.message);
  const report = await runChecks(parsed.config, options);
  outputs.push(JSON.stringify(report));
  const neighbour = report.results.find((r) => r.job === 'healthy-neighbour')!;
  assert.equal(neighbour.reason, 'ok', `the healthy neighbour: ${neighbour.diagnosis}`);
  return report.results.find((r) => r.job !== 'healthy-neighbour')!;
}

async function serve(server: Promise<Running>): Promise<Running> {
  const running = await server;
  servers.push(running);
  return running;
}

describe('faults end in a verdict, and hurt nobody else', () => {
  before(async () => {
    ca = await makeCa({ commonName: 'fault-ca' });
    leaf = await makeLeaf(ca, { commonName: 'fault', dns: ['localhost'], ips: ['127.0.0.1'] });
    files = await tempFiles({ 'ca.pem': ca.certPem, token: TOKEN, password: PASSWORD });
    healthy = await serve(
      startHttps({ cert: leaf.certPem, key: leaf.keyPem }, (req, res) => {
        res.writeHead(req.headers.authorization === `Bearer ${TOKEN}` ? 200 : 401, {
          'content-type': TEXT,
        });
        res.end(METRICS);
      }),
    );
  });
  after(async () => {
    await Promise.all(servers.map((s) => s.close()));
    await files.cleanup();
    assertNoSecrets(outputs, [TOKEN, PASSWORD, leaf.keyPem, ca.keyPem]);
  });

  const https = (name: string, address: string, extra = ''): string =>
    `  - job_name: ${name}\n    scheme: https\n    tls_config: {ca_file: ca.pem}\n    authorization: {credentials_file: token}\n    static_configs: [{targets: ["${address}"]}]\n${extra}`;

  test('a server that accepts and never answers: scrape_timeout', async () => {
    const silent = await serve(startTcp(() => undefined));
    const result = await check(
      `  - job_name: silent\n    scrape_timeout: 300ms\n    static_configs: [{targets: ["${silent.address}"]}]\n`,
    );
    assert.equal(result.reason, 'scrape_timeout');
  });

  test('headers, then a body trickled a byte a second: scrape_timeout', async () => {
    const trickle = await serve(
      startHttp((_req, res) => {
        res.writeHead(200, { 'content-type': TEXT });
        const timer = setInterval(() => res.write('#'), 1000);
        res.on('close', () => {
          clearInterval(timer);
        });
      }),
    );
    const result = await check(
      `  - job_name: trickle\n    scrape_timeout: 1500ms\n    static_configs: [{targets: ["${trickle.address}"]}]\n`,
    );
    assert.equal(result.reason, 'scrape_timeout');
    assert.equal(result.httpStatus, 200);
  });

  test('a reset in the middle of the body: connection_lost', async () => {
    const reset = await serve(
      startTcp((socket) => {
        socket.once('data', () => {
          socket.write(
            `HTTP/1.1 200 OK\r\ncontent-type: ${TEXT}\r\ncontent-length: 100000\r\n\r\n# TYPE a gauge\na 1\n`,
          );
          setTimeout(() => socket.resetAndDestroy(), 50);
        });
      }),
    );
    const result = await check(
      `  - job_name: reset\n    static_configs: [{targets: ["${reset.address}"]}]\n`,
    );
    assert.equal(result.reason, 'connection_lost');
  });

  test('a close during the TLS handshake: connection_lost', async () => {
    const cut = await serve(
      startTcp((socket) => {
        socket.once('data', () => socket.destroy());
      }),
    );
    const result = await check(https('cut-handshake', cut.address));
    assert.equal(result.reason, 'connection_lost');
    assert.match(result.diagnosis, /during the TLS handshake/);
  });

  test('a corrupt gzip body: parse_failed, saying so', async () => {
    const corrupt = gzipSync(METRICS);
    corrupt.fill(0x55, 12, 30);
    const server = await serve(
      startHttp((_req, res) => {
        res.writeHead(200, { 'content-type': TEXT, 'content-encoding': 'gzip' });
        res.end(corrupt);
      }),
    );
    const result = await check(
      `  - job_name: corrupt-gzip\n    static_configs: [{targets: ["${server.address}"]}]\n`,
    );
    assert.equal(result.reason, 'parse_failed');
    assert.match(result.diagnosis, /not valid gzip/);
  });

  test('a zip bomb past body_size_limit: body_too_large, memory bounded', async () => {
    const bomb = gzipSync(Buffer.alloc(512 * 2 ** 20, '#'), { level: 9 });
    const server = await serve(
      startHttp((_req, res) => {
        res.writeHead(200, { 'content-type': TEXT, 'content-encoding': 'gzip' });
        res.end(bomb);
      }),
    );
    const { value: result, growthMb } = await peakRssGrowth(() =>
      check(
        `  - job_name: zip-bomb\n    body_size_limit: 1MiB\n    static_configs: [{targets: ["${server.address}"]}]\n`,
      ),
    );
    assert.equal(result.reason, 'body_too_large');
    assert.ok(growthMb < 100, `RSS grew ${growthMb.toFixed(0)} MiB on a 512 MiB bomb`);
  });

  test('plain HTTP on the HTTPS port, and TLS on the plain port', async () => {
    const plain = await serve(startHttp((_req, res) => res.end(METRICS)));
    const tlsOnly = await serve(
      startHttps({ cert: leaf.certPem, key: leaf.keyPem }, (_req, res) => res.end(METRICS)),
    );
    const toPlain = await check(https('tls-to-plain', plain.address));
    assert.equal(toPlain.reason, 'tls_handshake_failed');
    assert.match(toPlain.diagnosis, /use scheme: http/);
    const toTls = await check(
      `  - job_name: plain-to-tls\n    static_configs: [{targets: ["${tlsOnly.address}"]}]\n`,
    );
    assert.equal(toTls.reason, 'connection_lost');
    assert.match(toTls.diagnosis, /scheme: https/);
  });

  test('a billion-character line: parse_failed at the line limit, without reading the billion', async () => {
    let sent = 0;
    const server = await serve(
      startHttp((_req, res) => {
        res.writeHead(200, { 'content-type': TEXT });
        const chunk = Buffer.alloc(64 * 1024, 'a');
        const body = Readable.from(
          (function* () {
            for (let i = 0; i < 2 ** 30 / chunk.length; i++) {
              sent += chunk.length;
              yield chunk;
            }
          })(),
        );
        body.pipe(res);
        res.on('close', () => body.destroy());
      }),
    );
    const { value: result, growthMb } = await peakRssGrowth(() =>
      check(
        `  - job_name: long-line\n    scrape_timeout: 10s\n    static_configs: [{targets: ["${server.address}"]}]\n`,
      ),
    );
    assert.equal(result.reason, 'parse_failed');
    assert.match(result.diagnosis, /line of at most 16777216 bytes/);
    assert.ok(sent < 2 ** 29, `stopped early (${sent} bytes sent)`);
    assert.ok(growthMb < 150, `RSS grew ${growthMb.toFixed(0)} MiB`);
  });

  test('labels with invalid UTF-8, and a NUL byte', async () => {
    const bodies: Record<string, Buffer> = {
      '/invalid-utf8': Buffer.concat([
        Buffer.from('m{a="'),
        Buffer.from([0xff, 0xfe]),
        Buffer.from('"} 1\n'),
      ]),
      '/nul-in-value': Buffer.from('m{a="x\0y"} 1\n'),
      '/nul-in-name': Buffer.from('m\0x 1\n'),
    };
    const server = await serve(
      startHttp((req, res) => {
        res.writeHead(200, { 'content-type': TEXT });
        res.end(bodies[req.url ?? '']);
      }),
    );
    const job = (path: string): string =>
      `  - job_name: bytes\n    metrics_path: ${path}\n    static_configs: [{targets: ["${server.address}"]}]\n`;
    const invalid = await check(job('/invalid-utf8'));
    assert.equal(invalid.reason, 'parse_failed');
    assert.match(
      invalid.diagnosis,
      /line 1, column 6: expected a label value in UTF-8, got byte 0xff/,
    );
    // Prometheus's lexer takes any byte but `"` and `\` in a label value, NUL included.
    assert.equal((await check(job('/nul-in-value'))).reason, 'ok');
    assert.equal((await check(job('/nul-in-name'))).reason, 'parse_failed');
  });

  test('1,000 targets at once, a tenth hanging: the run takes one scrape_timeout, not a hundred', async () => {
    const hanging = await serve(startTcp(() => undefined));
    const plain = await serve(
      startHttp((_req, res) => {
        res.writeHead(200, { 'content-type': TEXT });
        res.end(METRICS);
      }),
    );
    const group = (address: string, i: number): string =>
      `{targets: ["${address}"], labels: {n: "${i}"}}`;
    const hangers = Array.from({ length: 100 }, (_, i) => group(hanging.address, i));
    const healthy = Array.from({ length: 900 }, (_, i) => group(plain.address, i));
    // The hanging targets time out after 1 s; the healthy ones have room to spare on a busy
    // machine (900 scrapes share this process's event loop with the server answering them).
    const config = `scrape_configs:
  - job_name: hanging
    scrape_timeout: 1s
    static_configs: [${hangers.join(', ')}]
  - job_name: healthy
    scrape_interval: 30s
    scrape_timeout: 20s
    static_configs: [${healthy.join(', ')}]
`;
    const started = performance.now();
    const { value: result, growthMb } = await peakRssGrowth(async () => {
      const parsed = await parseConfig(config, 'many.yaml', files.dir);
      if (!parsed.ok) throw new Error(parsed.message);
      return runChecks(parsed.config, { concurrency: 1000 });
    });
    const elapsed = performance.now() - started;
    assert.equal(result.summary.total, 1000);
    assert.equal(result.summary.failed, 100);
    assert.ok(
      result.results
        .filter((r) => !r.ok)
        .every((r) => r.job === 'hanging' && r.reason === 'scrape_timeout'),
    );
    // Not a speed target: 100 timeouts in a row would be 100 s; side by side they are about one.
    assert.ok(elapsed < 15_000, `took ${Math.round(elapsed)} ms`);
    assert.ok(growthMb < 300, `RSS grew ${growthMb.toFixed(0)} MiB for 1,000 targets`);
  });

  test('broken config files: exit 2, one message naming the place, nothing on stdout', async () => {
    const broken = await tempFiles({
      'empty.yaml': '',
      'not-yaml.yaml': 'scrape_configs: [\n  - job_name: x\n',
      'wrong-types.yaml':
        'scrape_configs:\n  - job_name: 7\n    static_configs: {targets: "a:1"}\n',
    });
    try {
      const table: [string, RegExp][] = [
        [broken.path('empty.yaml'), /empty\.yaml: the configuration has no check in it/],
        [broken.path('not-yaml.yaml'), /not-yaml\.yaml:\d+:\d+: /],
        [
          broken.path('wrong-types.yaml'),
          /wrong-types\.yaml:2:15: scrape_configs\[0\]\.job_name: expected string, got number 7/,
        ],
        [broken.path('missing.yaml'), /missing\.yaml: no such file/],
        [broken.dir, /is a directory, not a configuration file/],
      ];
      for (const [file, message] of table) {
        const io = captureIo();
        const code = await main(['run', '--config', file], {}, io);
        assert.equal(code, 2, file);
        assert.equal(io.out(), '', file);
        assert.match(io.err(), message);
        assert.equal(io.err().trim().split('\n').length >= 1, true);
      }
    } finally {
      await broken.cleanup();
    }
  });
});
