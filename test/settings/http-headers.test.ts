/**
 * `http_headers` as Prometheus 3 sends them (prometheus/common config/headers.go): values, secrets
 * and trimmed files, each added to the request; reserved ones never; cookies not carried to
 * another host on a redirect. Prometheus 2.42 has no such key and sends nothing.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { scrape } from '#lib/scrape/scrape.ts';
import type { HttpHeaders } from '#lib/scrape/types.ts';
import { assertNoSecrets } from '../helpers/io.ts';
import { scrapeRequest } from '../scrape/request.ts';
import { BODY, TEXT } from './servers.ts';

const SECRET = 'tenant-secret-value-6a1d';
const FILE_SECRET = 'file-secret-value-0b3c';

interface Seen {
  raw: string[];
  headers: IncomingMessage['headers'];
}

async function server(
  answer: (req: IncomingMessage) => { status: number; location?: string; body?: string },
): Promise<{ port: number; seen: Seen[]; close(): void }> {
  const seen: Seen[] = [];
  const s = createServer((req, res) => {
    seen.push({ raw: req.rawHeaders, headers: req.headers });
    const a = answer(req);
    res.writeHead(a.status, {
      'content-type': TEXT,
      ...(a.location ? { location: a.location } : {}),
    });
    res.end(a.body ?? BODY);
  });
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return {
    port: (s.address() as AddressInfo).port,
    seen,
    close: () => {
      s.closeAllConnections();
      s.close();
    },
  };
}

/** Every value of `name`, one per header line, as the server received them. */
function lines(seen: Seen, name: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < seen.raw.length; i += 2) {
    if (seen.raw[i]!.toLowerCase() === name) out.push(seen.raw[i + 1]!);
  }
  return out;
}

describe('http_headers', () => {
  let dir: string;
  let file: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'scrape-check-headers-'));
    file = join(dir, 'tenant');
    await writeFile(file, `  ${FILE_SECRET}\n`);
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const headers = (): HttpHeaders => ({
    'x-tenant': { values: ['plain'], secrets: [SECRET], files: [file] },
    Accept: { values: ['application/x-extra'], secrets: [], files: [] },
    Cookie: { values: ['session=abc'], secrets: [], files: [] },
  });

  test('Prometheus 3 adds values, secrets and trimmed files, one line each; Accept gets a second line', async () => {
    const target = await server(() => ({ status: 200 }));
    try {
      const { result } = await scrape(
        scrapeRequest(`http://127.0.0.1:${target.port}/metrics`, { httpHeaders: headers() }),
        { prometheusVersion: '3' },
      );
      assert.equal(result.reason, 'ok', result.diagnosis);
      const seen = target.seen[0]!;
      assert.deepEqual(lines(seen, 'x-tenant'), ['plain', SECRET, FILE_SECRET]);
      const accept = lines(seen, 'accept');
      assert.equal(accept.length, 2);
      assert.equal(accept[1], 'application/x-extra');
      assert.deepEqual(lines(seen, 'cookie'), ['session=abc']);
      assertNoSecrets([result], [SECRET, FILE_SECRET]);
    } finally {
      target.close();
    }
  });

  test('Prometheus 2.42 has no http_headers: nothing is sent', async () => {
    const target = await server(() => ({ status: 200 }));
    try {
      await scrape(
        scrapeRequest(`http://127.0.0.1:${target.port}/metrics`, { httpHeaders: headers() }),
        {
          prometheusVersion: '2',
        },
      );
      assert.deepEqual(lines(target.seen[0]!, 'x-tenant'), []);
      assert.equal(lines(target.seen[0]!, 'accept').length, 1);
    } finally {
      target.close();
    }
  });

  test('a redirect to another host keeps the headers but not the cookies', async () => {
    const other = await server(() => ({ status: 200 }));
    const first = await server(() => ({
      status: 302,
      location: `http://localhost:${other.port}/metrics`,
    }));
    try {
      const { result } = await scrape(
        scrapeRequest(`http://127.0.0.1:${first.port}/metrics`, { httpHeaders: headers() }),
        { prometheusVersion: '3' },
      );
      assert.equal(result.reason, 'ok', result.diagnosis);
      assert.deepEqual(lines(first.seen[0]!, 'cookie'), ['session=abc']);
      assert.deepEqual(lines(other.seen[0]!, 'cookie'), []);
      assert.deepEqual(lines(other.seen[0]!, 'x-tenant'), ['plain', SECRET, FILE_SECRET]);
    } finally {
      first.close();
      other.close();
    }
  });

  test('a missing file, a value Go would not send, a reserved name: verdicts and warnings, no secret', async () => {
    const echo = await server((req) => ({
      status: 401,
      body: `you sent ${String(req.headers['x-tenant'])}`,
    }));
    try {
      const url = `http://127.0.0.1:${echo.port}/metrics`;
      const missing = await scrape(
        scrapeRequest(url, {
          httpHeaders: { 'X-A': { values: [], secrets: [], files: [join(dir, 'nope')] } },
        }),
        { prometheusVersion: '3' },
      );
      assert.equal(missing.result.reason, 'config_invalid');
      assert.match(missing.result.diagnosis, /http_headers\.X-A\.files: .*nope does not exist/);
      const newline = await scrape(
        scrapeRequest(url, {
          httpHeaders: { 'X-A': { values: [], secrets: [`${SECRET}\nInjected: 1`], files: [] } },
        }),
        { prometheusVersion: '3' },
      );
      assert.equal(newline.result.reason, 'config_invalid');
      assert.match(newline.result.diagnosis, /net\/http: invalid header field value for "X-A"/);
      const reserved = await scrape(
        scrapeRequest(url, {
          httpHeaders: {
            'user-agent': { values: ['x'], secrets: [], files: [] },
            'X-Tenant': { values: [], secrets: [SECRET], files: [] },
          },
        }),
        { prometheusVersion: '3' },
      );
      assert.equal(reserved.result.reason, 'http_unauthorized');
      assert.ok(
        reserved.result.warnings.some((w) =>
          w.includes('setting header "User-Agent" is not allowed'),
        ),
      );
      assert.notEqual(echo.seen.at(-1)!.headers['user-agent'], 'x');
      assert.match(reserved.errorBody ?? '', /you sent <redacted>/);
      assertNoSecrets([missing, newline, reserved], [SECRET]);
    } finally {
      echo.close();
    }
  });
});
