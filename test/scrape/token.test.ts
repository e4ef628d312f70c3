/**
 * A job's own bearer token, read at check time: the result carries its claims (never the token), and
 * warnings say when it will stop working: expired, a legacy Secret token, a copy nobody refreshes,
 * past EKS's 90 days.
 */
import assert from 'node:assert/strict';
import { utimes, writeFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { scrape } from '#lib/scrape/scrape.ts';
import { assertNoSecrets } from '../helpers/io.ts';
import { METRICS, startHttp, tempFiles, TEXT, type Running } from '../helpers/servers.ts';
import { scrapeRequest } from './request.ts';

const NOW = Date.now();
const HOUR = 3600;

/** An unsigned JWT with these claims: the tests need its shape, not a signature. */
function jwt(claims: Record<string, unknown>): string {
  const part = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'RS256', kid: 'test' })}.${part(claims)}.c2lnbmF0dXJlLW5vdC1jaGVja2Vk`;
}

const SUB = 'system:serviceaccount:monitoring:prometheus';
const tokens = {
  fresh: jwt({
    sub: SUB,
    aud: ['https://kubernetes.default.svc'],
    iat: NOW / 1000 - 60,
    exp: NOW / 1000 + HOUR,
    iss: 'https://kubernetes.default.svc',
  }),
  expired: jwt({
    sub: SUB,
    aud: 'https://kubernetes.default.svc',
    iat: NOW / 1000 - 2 * HOUR,
    exp: NOW / 1000 - HOUR,
  }),
  legacy: jwt({
    sub: SUB,
    iss: 'kubernetes/serviceaccount',
    'kubernetes.io/serviceaccount/secret.name': 'prometheus-token',
  }),
  stale: jwt({ sub: SUB, iat: NOW / 1000 - 3 * HOUR, exp: NOW / 1000 + 300 * 24 * HOUR }),
  ancient: jwt({ sub: SUB, iat: NOW / 1000 - 100 * 24 * HOUR, exp: NOW / 1000 + 265 * 24 * HOUR }),
};

let server: Running;
let files: Awaited<ReturnType<typeof tempFiles>>;
const outputs: string[] = [];

async function check(name: keyof typeof tokens, ageMs = 0) {
  await writeFile(files.path(name), tokens[name]);
  if (ageMs > 0) await utimes(files.path(name), (NOW - ageMs) / 1000, (NOW - ageMs) / 1000);
  const { result } = await scrape(
    scrapeRequest(`http://${server.address}/metrics`, {
      auth: { type: 'bearer', credentialsFile: files.path(name) },
    }),
    {
      prometheusVersion: '3',
    },
  );
  outputs.push(JSON.stringify(result));
  return result;
}

describe('a job token over time', () => {
  before(async () => {
    server = await startHttp((_req, res) => {
      res.writeHead(200, { 'content-type': TEXT });
      res.end(METRICS);
    });
    files = await tempFiles({});
  });
  after(async () => {
    await server.close();
    await files.cleanup();
    assertNoSecrets(outputs, Object.values(tokens));
  });

  test('a fresh bound token: claims, lifetime left, no warning', async () => {
    const result = await check('fresh');
    const token = result.token!;
    assert.equal(token.source, 'file');
    assert.equal(token.sub, SUB);
    assert.deepEqual(token.aud, ['https://kubernetes.default.svc']);
    assert.ok(token.secondsLeft != null && Math.abs(token.secondsLeft - HOUR) < 5);
    assert.deepEqual(result.warnings, []);
  });

  test('an expired token is named before the server refuses it', async () => {
    const result = await check('expired');
    assert.ok(result.token!.secondsLeft! < 0);
    assert.ok(
      result.warnings.some((w) => /expired at .*: the server will refuse it \(401\)/.test(w)),
    );
  });

  test('a legacy Secret token: never expires, cleaned up after a year unused', async () => {
    const result = await check('legacy');
    assert.equal(result.token?.exp, null);
    assert.ok(result.warnings.some((w) => /legacy ServiceAccount Secret token/.test(w)));
  });

  test('a bound token file nobody has rewritten for three hours', async () => {
    const result = await check('stale', 3 * HOUR * 1000);
    assert.ok(
      result.warnings.some((w) => /last written 3 hours ago: .*not being refreshed/.test(w)),
    );
  });

  test("a bound token issued 100 days ago: past EKS's 90 days", async () => {
    const result = await check('ancient', 100 * 24 * HOUR * 1000);
    assert.ok(
      result.warnings.some((w) =>
        /issued 100 days ago: EKS refuses bound tokens older than 90 days/.test(w),
      ),
    );
  });
});
