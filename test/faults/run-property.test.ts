/**
 * Issue 13, "nothing from a config or a target ends the run", as a property of the whole run: any
 * mix of healthy targets and hostile ones, run through `runChecks`, gives one verdict per target,
 * the healthy ones `ok`, no `internal_error`, within a bounded time and memory.
 *
 * The hostile targets, each a real server on 127.0.0.1 (or a broken file), are drawn by fast-check:
 * random bytes the moment the connection opens; random bytes, bare or inside a TLS record, as the
 * answer to the TLS hello; a response head made of random bytes; a well-formed head over a body of
 * random bytes (any framing, gzip or not, cut, reset or stalled), over TLS or not; a redirect to
 * anything (random text, URLs Go refuses, itself, a port that is closed, a healthy target); a CA,
 * certificate or key file that is random, truncated, empty or the wrong thing; an oauth2 token
 * endpoint that redirects anywhere or answers random bytes; a proxy that answers random bytes.
 *
 * The seed is fixed, so a failure is reproduced by running the file again; PROPERTY_RUNS and
 * PROPERTY_SEED explore further (e.g. PROPERTY_RUNS=500 PROPERTY_SEED=7).
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { createServer as createTcp, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTls, TLSSocket } from 'node:tls';
import { gzipSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { parseConfig } from '#lib/config/index.ts';
import { makeCa, makeLeaf, type Issued } from '#lib/lab/certs.ts';
import { runChecks } from '#lib/runner/index.ts';
import {
  closedPort,
  METRICS,
  startHttp,
  startHttps,
  tempFiles,
  TEXT,
  type Running,
} from '../helpers/servers.ts';

const SEED = Number(process.env.PROPERTY_SEED ?? 13013);
const RUNS = Number(process.env.PROPERTY_RUNS ?? 60);
/** Each hostile target may stall: it then costs one scrape_timeout, side by side with the rest. */
const TIMEOUT_MS = 400;
/** The healthy ones get room, so that a busy machine cannot turn them into timeouts. */
const HEALTHY_TIMEOUT = '5s';
/** A run of at most 8 targets must be done well within this, stalls included. */
const RUN_BOUND_MS = 6_000;

type End = 'end' | 'reset' | 'stall';

type Target =
  | { kind: 'healthy'; tls: boolean }
  | { kind: 'connect-bytes'; tls: boolean; bytes: Uint8Array; end: End }
  | { kind: 'tls-bytes'; record: boolean; bytes: Uint8Array; end: End }
  | { kind: 'head'; tls: boolean; bytes: Uint8Array; end: End }
  | {
      kind: 'body';
      tls: boolean;
      framing: 'length' | 'short-length' | 'chunked' | 'close';
      gzip: boolean;
      bytes: Uint8Array;
      end: End;
    }
  | { kind: 'redirect'; tls: boolean; status: number; location: Location }
  | { kind: 'material'; file: 'ca' | 'cert' | 'key'; content: Material }
  | { kind: 'oauth2'; reply: Reply }
  | { kind: 'proxy'; tls: boolean; bytes: Uint8Array; end: End };

/** What a hostile oauth2 token endpoint answers the token request with. */
type Reply = { status: number; location: Location } | { bytes: Uint8Array; end: End };

type Location =
  | { to: 'text'; value: string }
  | { to: 'self' | 'healthy' | 'closed' | 'missing' | 'empty' | 'twice' };

type Material = { random: Uint8Array } | { fixed: 'empty' | 'truncated' | 'swapped' | 'der' };

const end = fc.constantFrom<End>('end', 'reset', 'stall');
const bytes = fc.uint8Array({ maxLength: 2048 });

const LOCATIONS = [
  'http://[::1',
  'http://[::1]:99999/x',
  'https://h:99999/',
  '%zz',
  'http://exa%41mple/',
  'ftp://example.invalid/',
  'javascript:alert(1)',
  'http:///x',
  'http:x',
  '///evil.invalid/x',
  '\\\\evil.invalid\\x',
  '//',
  ' ',
  'http://300.1.1.1/',
  'http://a b/',
  'http://user:pass@127.0.0.1:1/',
  '?',
  '#',
  '../../../../..',
  `/${'a'.repeat(9000)}`,
];

const location: fc.Arbitrary<Location> = fc.oneof(
  fc.record({ to: fc.constant('text' as const), value: fc.string({ maxLength: 64 }) }),
  fc.record({
    to: fc.constant('text' as const),
    value: fc.string({ unit: 'binary', maxLength: 32 }),
  }),
  fc.record({ to: fc.constant('text' as const), value: fc.constantFrom(...LOCATIONS) }),
  fc.record({ to: fc.constant('text' as const), value: fc.webUrl() }),
  fc.record({ to: fc.constantFrom('self', 'healthy', 'closed', 'missing', 'empty', 'twice') }),
);

const material: fc.Arbitrary<Material> = fc.oneof(
  fc.record({ random: fc.uint8Array({ maxLength: 512 }) }),
  fc.record({ fixed: fc.constantFrom('empty', 'truncated', 'swapped', 'der') }),
);

const target: fc.Arbitrary<Target> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('healthy' as const), tls: fc.boolean() }) },
  fc.record({ kind: fc.constant('connect-bytes' as const), tls: fc.boolean(), bytes, end }),
  fc.record({ kind: fc.constant('tls-bytes' as const), record: fc.boolean(), bytes, end }),
  fc.record({ kind: fc.constant('head' as const), tls: fc.boolean(), bytes, end }),
  fc.record({
    kind: fc.constant('body' as const),
    tls: fc.boolean(),
    framing: fc.constantFrom('length', 'short-length', 'chunked', 'close'),
    gzip: fc.boolean(),
    bytes,
    end,
  }),
  fc.record({
    kind: fc.constant('redirect' as const),
    tls: fc.boolean(),
    status: fc.constantFrom(301, 302, 303, 307, 308),
    location,
  }),
  fc.record({
    kind: fc.constant('material' as const),
    file: fc.constantFrom('ca', 'cert', 'key'),
    content: material,
  }),
  fc.record({
    kind: fc.constant('oauth2' as const),
    reply: fc.oneof(
      fc.record({ status: fc.constantFrom(301, 302, 303, 307, 308), location }),
      fc.record({ bytes, end }),
    ),
  }),
  fc.record({ kind: fc.constant('proxy' as const), tls: fc.boolean(), bytes, end }),
);

let ca: Issued;
let leaf: Issued;
let client: Issued;
let healthyHttp: Running;
let healthyHttps: Running;
let closed: number;
let files: Awaited<ReturnType<typeof tempFiles>>;

/** A raw server, plain or TLS, that hands each connection (after its handshake) to `onSocket`. */
async function rawServer(tls: boolean, onSocket: (socket: Socket) => void): Promise<Running> {
  const server: Server = tls
    ? createTls({ cert: leaf.certPem, key: leaf.keyPem }, onSocket)
    : createTcp(onSocket);
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    address: `127.0.0.1:${port}`,
    requests: [],
    close: () =>
      new Promise<void>((done) => {
        for (const s of sockets) s.destroy();
        server.close(() => {
          done();
        });
      }),
  };
}

function finish(socket: Socket, how: End): void {
  if (how === 'end') socket.end();
  // A TLS socket has no TCP handle of its own to reset: it is torn down instead.
  else if (how === 'reset') {
    if (socket instanceof TLSSocket) socket.destroy();
    else socket.resetAndDestroy();
  }
  // 'stall': leave it open; the scrape_timeout ends it.
}

/** Answers the first request on each connection with `answer(socket)`. */
function onRequest(answer: (socket: Socket) => void): (socket: Socket) => void {
  return (socket) => {
    socket.on('error', () => undefined);
    socket.once('data', () => {
      answer(socket);
    });
  };
}

function framedBody(t: Extract<Target, { kind: 'body' }>): Buffer {
  // Gzip of random bytes, cut short when their count is odd; or the bytes themselves.
  const gzipped = gzipSync(t.bytes);
  const payload = t.gzip
    ? gzipped.subarray(0, t.bytes.length % 2 === 1 ? gzipped.length >> 1 : gzipped.length)
    : Buffer.from(t.bytes);
  const head = [`HTTP/1.1 200 OK`, `Content-Type: ${TEXT}`];
  if (t.gzip) head.push('Content-Encoding: gzip');
  let body = payload;
  if (t.framing === 'length') head.push(`Content-Length: ${payload.length}`);
  if (t.framing === 'short-length') head.push(`Content-Length: ${payload.length + 1000}`);
  if (t.framing === 'chunked') {
    head.push('Transfer-Encoding: chunked');
    body = Buffer.concat([
      Buffer.from(`${payload.length.toString(16)}\r\n`),
      payload,
      Buffer.from('\r\n'),
    ]);
  }
  if (t.framing === 'close') head.push('Connection: close');
  return Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`), body]);
}

function locationHeader(t: { tls: boolean; location: Location }, self: string): Buffer {
  const scheme = t.tls ? 'https' : 'http';
  const line = (value: string): Buffer =>
    Buffer.concat([Buffer.from('Location: '), Buffer.from(value, 'latin1'), Buffer.from('\r\n')]);
  switch (t.location.to) {
    case 'text':
      return line(t.location.value.replace(/[\r\n]/g, ''));
    case 'self':
      return line(`${scheme}://${self}/metrics`);
    case 'healthy':
      return line(`http://${healthyHttp.address}/metrics`);
    case 'closed':
      return line(`http://127.0.0.1:${closed}/metrics`);
    case 'missing':
      return Buffer.alloc(0);
    case 'empty':
      return line('');
    case 'twice':
      return Buffer.concat([line('http://[::1'), line(`http://${healthyHttp.address}/metrics`)]);
  }
}

/** Starts what `t` needs and returns its job, or writes its broken file. */
async function materialize(t: Target, i: number, servers: Running[]): Promise<string> {
  const job = (address: string, scheme: 'http' | 'https', tls = '{ca_file: ca.pem}'): string =>
    `  - job_name: t${i}\n    scheme: ${scheme}\n${scheme === 'https' ? `    tls_config: ${tls}\n` : ''}    static_configs: [{targets: ["${address}"]}]\n`;
  const start = async (tls: boolean, onSocket: (socket: Socket) => void): Promise<string> => {
    const server = await rawServer(tls, onSocket);
    servers.push(server);
    return server.address;
  };
  switch (t.kind) {
    case 'healthy': {
      const healthy = t.tls ? job(healthyHttps.address, 'https') : job(healthyHttp.address, 'http');
      return `${healthy}    scrape_timeout: ${HEALTHY_TIMEOUT}\n`;
    }
    case 'connect-bytes': {
      const address = await start(false, (socket) => {
        socket.on('error', () => undefined);
        socket.write(t.bytes);
        finish(socket, t.end);
      });
      return job(address, t.tls ? 'https' : 'http');
    }
    case 'tls-bytes': {
      const record = Buffer.from([0x16, 0x03, 0x03, t.bytes.length >> 8, t.bytes.length & 0xff]);
      const address = await start(
        false,
        onRequest((socket) => {
          socket.write(t.record ? Buffer.concat([record, t.bytes]) : t.bytes);
          finish(socket, t.end);
        }),
      );
      return job(address, 'https');
    }
    case 'head': {
      const address = await start(
        t.tls,
        onRequest((socket) => {
          socket.write(Buffer.concat([Buffer.from('HTTP/1.1 200 OK\r\n'), t.bytes]));
          finish(socket, t.end);
        }),
      );
      return job(address, t.tls ? 'https' : 'http');
    }
    case 'body': {
      const address = await start(
        t.tls,
        onRequest((socket) => {
          socket.write(framedBody(t));
          finish(socket, t.end);
        }),
      );
      return job(address, t.tls ? 'https' : 'http');
    }
    case 'redirect': {
      let self = '';
      const address = await start(
        t.tls,
        onRequest((socket) => {
          socket.end(
            Buffer.concat([
              Buffer.from(`HTTP/1.1 ${t.status} Moved\r\nContent-Length: 0\r\n`),
              locationHeader(t, self),
              Buffer.from('\r\n'),
            ]),
          );
        }),
      );
      self = address;
      return job(address, t.tls ? 'https' : 'http');
    }
    case 'material': {
      const name = `m${i}-${t.file}.pem`;
      const c = t.content;
      const text =
        'random' in c
          ? Buffer.from(c.random)
          : {
              empty: '',
              truncated: client.certPem.slice(0, client.certPem.length / 2),
              // The other half of the pair where this one belongs.
              swapped: t.file === 'key' ? client.certPem : client.keyPem,
              der: Buffer.from(client.certPem.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64'),
            }[c.fixed];
      await writeFile(files.path(name), text);
      const tls = {
        ca: `{ca_file: ${name}}`,
        cert: `{ca_file: ca.pem, cert_file: ${name}, key_file: client-key.pem}`,
        key: `{ca_file: ca.pem, cert_file: client.pem, key_file: ${name}}`,
      }[t.file];
      return job(healthyHttps.address, 'https', tls);
    }
    case 'oauth2': {
      const reply = t.reply;
      let self = '';
      const address = await start(
        false,
        onRequest((socket) => {
          if ('bytes' in reply) {
            socket.write(reply.bytes);
            finish(socket, reply.end);
            return;
          }
          socket.end(
            Buffer.concat([
              Buffer.from(`HTTP/1.1 ${reply.status} Moved\r\nContent-Length: 0\r\n`),
              locationHeader({ tls: false, location: reply.location }, self),
              Buffer.from('\r\n'),
            ]),
          );
        }),
      );
      self = address;
      return `${job(healthyHttp.address, 'http')}    oauth2: {client_id: c, client_secret: s, token_url: "http://${address}/token"}\n`;
    }
    case 'proxy': {
      const address = await start(
        false,
        onRequest((socket) => {
          socket.write(t.bytes);
          finish(socket, t.end);
        }),
      );
      // Loopback targets are never proxied by Go's environment rules, but proxy_url always is.
      const target = t.tls ? job(healthyHttps.address, 'https') : job(healthyHttp.address, 'http');
      return `${target}    proxy_url: "http://${address}"\n`;
    }
  }
}

before(async () => {
  ca = await makeCa({ commonName: 'property-ca' });
  leaf = await makeLeaf(ca, { commonName: 'property', dns: ['localhost'], ips: ['127.0.0.1'] });
  client = await makeLeaf(ca, { commonName: 'prometheus', client: true });
  files = await tempFiles({
    'ca.pem': ca.certPem,
    'client.pem': client.certPem,
    'client-key.pem': client.keyPem,
  });
  const answer = (_req: unknown, res: import('node:http').ServerResponse): void => {
    res.writeHead(200, { 'content-type': TEXT }).end(METRICS);
  };
  healthyHttp = await startHttp(answer);
  healthyHttps = await startHttps({ cert: leaf.certPem, key: leaf.keyPem }, answer);
  closed = await closedPort();
});

after(async () => {
  await Promise.all([healthyHttp.close(), healthyHttps.close()]);
  await files.cleanup();
});

test('any mix of healthy and hostile targets: one verdict each, healthy ok, no internal_error, bounded', async (context) => {
  const base = process.memoryUsage().rss;
  let peak = base;
  let slowest = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 25);
  try {
    await fc.assert(
      fc.asyncProperty(fc.array(target, { minLength: 1, maxLength: 8 }), async (targets) => {
        const servers: Running[] = [];
        try {
          const jobs: string[] = [];
          for (const [i, t] of targets.entries()) jobs.push(await materialize(t, i, servers));
          const yaml = `global: {scrape_timeout: ${TIMEOUT_MS}ms, body_size_limit: 1MiB}\nscrape_configs:\n${jobs.join('')}`;
          const parsed = await parseConfig(yaml, 'property.yaml', files.dir);
          if (!parsed.ok) throw new Error(parsed.message);
          const started = performance.now();
          const report = await runChecks(parsed.config);
          const took = performance.now() - started;
          slowest = Math.max(slowest, took);
          assert.ok(took < RUN_BOUND_MS, `the run took ${Math.round(took)} ms`);
          assert.equal(report.results.length, targets.length, 'one verdict per target');
          for (const [i, t] of targets.entries()) {
            const result = report.results.find((r) => r.job === `t${i}`);
            assert.ok(result, `t${i} (${t.kind}) has a verdict`);
            assert.notEqual(
              result.reason,
              'internal_error',
              `t${i} (${t.kind}): ${result.diagnosis}`,
            );
            if (t.kind === 'healthy') {
              assert.equal(result.reason, 'ok', `healthy t${i}: ${result.diagnosis}`);
            }
            // A broken file is this check's own configuration problem, named as such.
            if (t.kind === 'material') {
              assert.equal(result.reason, 'config_invalid', `t${i}: ${result.diagnosis}`);
            }
            assert.ok(result.diagnosis.length > 0, `t${i} (${t.kind}) says why`);
          }
        } finally {
          await Promise.all(servers.map((s) => s.close()));
        }
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
  } finally {
    clearInterval(sampler);
  }
  const growthMb = (peak - base) / 2 ** 20;
  assert.ok(growthMb < 300, `RSS grew ${growthMb.toFixed(0)} MiB`);
  context.diagnostic(
    `slowest run ${Math.round(slowest)} ms, RSS growth ${growthMb.toFixed(0)} MiB`,
  );
});
