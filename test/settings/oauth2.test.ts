/**
 * oauth2 as Prometheus 3's prometheus/common and golang.org/x/oauth2 do it, against a token
 * endpoint that authenticates clients as a provider does (`startTokenEndpoint`) and, for the odd
 * answers (a form body, an error in a 200, silence), another that gives them: the token is fetched
 * before the target is asked, reused until it nearly expires, refetched when the secret file
 * changes, and a failure is the token's. prometheus-242.test.ts sends Prometheus to the same
 * endpoint and compares what each asked.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { clearOAuth2Tokens } from '#lib/scrape/oauth2.ts';
import { scrape } from '#lib/scrape/scrape.ts';
import type { OAuth2Settings } from '#lib/scrape/types.ts';
import { assertNoSecrets } from '../helpers/io.ts';
import { scrapeRequest } from '../scrape/request.ts';
import { startMetrics, startTokenEndpoint, type TokenEndpoint } from './servers.ts';

const SECRET = 'v3-client-secret-2f7a91';
const ROTATED = 'v3-rotated-secret-83bd10';

/** A token endpoint that answers with `answer` (status, content type, body). */
async function tinyEndpoint(
  answer: (
    req: IncomingMessage,
    body: string,
  ) => { status: number; type: string; body: string } | null,
): Promise<{ url: string; bodies: string[]; close(): Promise<void> }> {
  const bodies: string[] = [];
  const server = createServer((req, res: ServerResponse) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      bodies.push(body);
      const a = answer(req, body);
      if (!a) return; // never answers
      res.writeHead(a.status, { 'content-type': a.type });
      res.end(a.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`,
    bodies,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

describe('oauth2 (Prometheus 3)', () => {
  let tokens: TokenEndpoint;
  let target: Awaited<ReturnType<typeof startMetrics>>;
  let dir: string;

  before(async () => {
    tokens = await startTokenEndpoint({
      prometheus: { secret: SECRET },
      rotated: { secret: ROTATED },
    });
    target = await startMetrics((req) =>
      [...tokens.issued].some((t) => req.headers.authorization === `Bearer ${t}`) ? 200 : 401,
    );
    dir = await mkdtemp(join(tmpdir(), 'scrape-check-oauth2-test-'));
  });
  after(async () => {
    await Promise.all([tokens.close(), target.close(), rm(dir, { recursive: true, force: true })]);
  });
  beforeEach(() => {
    clearOAuth2Tokens();
  });

  const settings = (over: Partial<OAuth2Settings> = {}): OAuth2Settings => ({
    clientId: 'prometheus',
    clientSecret: SECRET,
    scopes: [],
    tokenUrl: tokens.tokenUrl,
    endpointParams: {},
    tls: {},
    proxy: null,
    ...over,
  });
  /** Settings without the inline secret (for the file and ref cases). */
  const secretless = (over: Partial<OAuth2Settings>): OAuth2Settings => {
    const out = settings(over);
    delete out.clientSecret;
    return out;
  };
  const run = (oauth2: OAuth2Settings, version: '2' | '3' = '3') =>
    scrape(scrapeRequest(`http://127.0.0.1:${target.port}/metrics`, { oauth2 }), {
      prometheusVersion: version,
    });

  test('a token is fetched once and reused; the target gets it as a Bearer token', async () => {
    const before = tokens.requests.length;
    const first = await run(settings());
    const second = await run(settings());
    assert.equal(first.result.reason, 'ok', first.result.diagnosis);
    assert.equal(second.result.reason, 'ok', second.result.diagnosis);
    assert.equal(tokens.requests.length - before, 1);
    assertNoSecrets([first, second], [SECRET, ...tokens.issued]);
  });

  test('a rotated client_secret_file is read at check time and fetches a new token', async () => {
    const file = join(dir, 'secret');
    await writeFile(file, `${SECRET}\n`);
    const ok = await run(secretless({ clientSecretFile: file }));
    assert.equal(ok.result.reason, 'ok', ok.result.diagnosis);
    await writeFile(file, 'an-old-secret-nobody-knows');
    const rotated = await run(secretless({ clientSecretFile: file }));
    assert.equal(rotated.result.reason, 'token_request_failed');
    const gone = await run(secretless({ clientSecretFile: join(dir, 'missing') }));
    assert.equal(gone.result.reason, 'config_invalid');
    assert.match(gone.result.diagnosis, /oauth2\.client_secret_file .*missing does not exist/);
  });

  test('a refused client: Prometheus 3 names the RFC 6749 error, 2 repeats the status and body', async () => {
    const v3 = await run(settings({ clientSecret: 'wrong-secret-value' }));
    assert.equal(v3.result.reason, 'token_request_failed');
    assert.match(v3.result.diagnosis, /oauth2: "invalid_client" "client authentication failed"/);
    assert.match(v3.result.diagnosis, /the target was not scraped/);
    const v2 = await run(settings({ clientSecret: 'wrong-secret-value' }), '2');
    assert.match(
      v2.result.diagnosis,
      /oauth2: cannot fetch token: 401 Unauthorized Response: \{"error":"invalid_client"/,
    );
    assertNoSecrets([v3, v2], ['wrong-secret-value', SECRET]);
  });

  test('an endpoint param may replace grant_type but not scope', async () => {
    const clash = await run(settings({ scopes: ['a'], endpointParams: { scope: 'b' } }));
    assert.equal(clash.result.reason, 'config_invalid');
    assert.match(clash.result.diagnosis, /oauth2: cannot overwrite parameter "scope"/);
    const before = tokens.requests.length;
    const replaced = await run(
      settings({ endpointParams: { grant_type: 'client_credentials', resource: 'x y' } }),
    );
    assert.equal(replaced.result.reason, 'ok', replaced.result.diagnosis);
    assert.equal(tokens.requests[before]!.raw, 'grant_type=client_credentials&resource=x+y');
  });

  test('the JWT bearer grant and client_secret_ref: said plainly, never scraped without', async () => {
    const jwt = await run(settings({ grantType: 'urn:ietf:params:oauth:grant-type:jwt-bearer' }));
    assert.equal(jwt.result.reason, 'config_invalid');
    assert.match(jwt.result.diagnosis, /does not implement/);
    const ref = await run(secretless({ clientSecretRef: 'vault/x' }));
    assert.equal(ref.result.reason, 'config_invalid');
    assert.match(ref.result.diagnosis, /cannot use secret ref without manager/);
  });

  test('answers only a node:http endpoint gives: a form body, an error in a 200, a custom type, a short life', async () => {
    let n = 0;
    const endpoint = await tinyEndpoint((_req, body) => {
      n++;
      if (body.includes('scope=form')) {
        return {
          status: 200,
          type: 'text/plain',
          body: `access_token=form-token-${n}&token_type=bearer&expires_in=3600`,
        };
      }
      if (body.includes('scope=error')) {
        return {
          status: 200,
          type: 'application/json',
          body: '{"error":"slow_down","error_description":"later"}',
        };
      }
      if (body.includes('scope=short')) {
        // Expires within Go's 10 s expiry delta: fetched again for every scrape.
        return {
          status: 200,
          type: 'application/json',
          body: `{"access_token":"short-token-${n}","expires_in":5}`,
        };
      }
      return {
        status: 200,
        type: 'application/json',
        body: `{"access_token":"mac-token-${n}","token_type":"mac"}`,
      };
    });
    const seen: string[] = [];
    const echo = await startMetrics((req) => {
      seen.push(req.headers.authorization ?? '');
      return 200;
    });
    try {
      const with_ = (scope: string, version: '2' | '3' = '3') =>
        scrape(
          scrapeRequest(`http://127.0.0.1:${echo.port}/metrics`, {
            oauth2: settings({ tokenUrl: endpoint.url, scopes: [scope] }),
          }),
          { prometheusVersion: version },
        );
      assert.equal((await with_('form')).result.reason, 'ok');
      assert.match(seen.at(-1)!, /^Bearer form-token-\d+$/);
      const error3 = await with_('error');
      assert.equal(error3.result.reason, 'token_request_failed');
      assert.match(error3.result.diagnosis, /oauth2: "slow_down" "later"/);
      // x/oauth2 v0.4.0 (Prometheus 2) does not read errors from a 200: no access_token, then.
      const error2 = await with_('error', '2');
      assert.match(error2.result.diagnosis, /oauth2: server response missing access_token/);
      await with_('short');
      await with_('short');
      assert.equal(endpoint.bodies.filter((b) => b.includes('scope=short')).length, 2);
      await with_('mac');
      assert.match(seen.at(-1)!, /^MAC mac-token-\d+$/);
    } finally {
      await Promise.all([endpoint.close(), echo.close()]);
    }
  });

  test('a silent token endpoint ends at scrape_timeout, as the token request', async () => {
    const silent = await tinyEndpoint(() => null);
    try {
      const asked = target.seen.length;
      const started = Date.now();
      const { result } = await scrape(
        scrapeRequest(`http://127.0.0.1:${target.port}/metrics`, {
          oauth2: settings({ tokenUrl: silent.url }),
          timeoutMs: 300,
        }),
        { prometheusVersion: '3' },
      );
      assert.equal(result.reason, 'token_request_failed');
      assert.ok(Date.now() - started < 2000);
      assert.equal(target.seen.length, asked, 'the target is never asked without a token');
    } finally {
      await silent.close();
    }
  });
});
