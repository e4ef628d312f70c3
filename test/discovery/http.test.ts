/**
 * http_sd against Prometheus's expectations (`discovery/http/http_test.go`, the same at v2.42.0
 * and HEAD), with real HTTP servers on 127.0.0.1; then what a refresh sends and how it fails, and
 * the config checks of `SDConfig.UnmarshalYAML`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  defaultHttpSdRequest,
  discoverHttp,
  isHttpSdContentType,
  validateHttpSdConfig,
  type HttpSdConfig,
} from '#lib/discovery/http.ts';
import { USER_AGENT } from '#lib/scrape/user-agent.ts';
import { freePort } from '../helpers/peers.ts';
import { startHttp, type Handler, type Running } from '../helpers/servers.ts';

const GOOD = `[
   {
      "labels": {
         "__meta_datacenter": "bru1"
      },
      "targets": [
         "127.0.0.1:9090"
      ]
   }
]
`;

const servers: Running[] = [];
async function serve(handler: Handler): Promise<string> {
  const server = await startHttp(handler);
  servers.push(server);
  return `http://${server.address}`;
}
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

const sd = (url: string, refreshIntervalMs = 30_000): HttpSdConfig => ({ url, refreshIntervalMs });
const json =
  (body: string): Handler =>
  (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  };

describe("http_sd (expectations from Prometheus's discovery/http/http_test.go at v2.42.0 and HEAD)", () => {
  let base: string;
  let stub = '';
  before(async () => {
    base = await serve((req, res) => {
      if (req.url === '/http_sd.good.json') json(GOOD)(req, res);
      else if (req.url === '/bad-request') res.writeHead(400).end();
      // fmt.Fprintln(w, "{}") with Go's sniffed content type.
      else if (req.url === '/text')
        res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('{}\n');
      else json(`${stub}\n`)(req, res);
    });
  });

  for (const version of ['2', '3'] as const) {
    test(`TestHTTPValidRefresh (version ${version})`, async () => {
      const url = `${base}/http_sd.good.json`;
      const outcome = await discoverHttp(sd(url), { version });
      assert.deepEqual(outcome, {
        ok: true,
        warnings: [],
        groups: [
          {
            source: `${url}:0`,
            targets: [{ __address__: '127.0.0.1:9090' }],
            labels: { __meta_datacenter: 'bru1', __meta_url: url },
          },
        ],
      });
    });
  }

  test('TestHTTPInvalidCode', async () => {
    const outcome = await discoverHttp(sd(`${base}/bad-request`), { version: '3' });
    assert.deepEqual(outcome, {
      ok: false,
      failure: { message: 'server returned HTTP status 400 Bad Request', status: 400 },
    });
  });

  test('TestHTTPInvalidFormat', async () => {
    const outcome = await discoverHttp(sd(`${base}/text`), { version: '3' });
    assert.equal(
      !outcome.ok && outcome.failure.message,
      'unsupported content type "text/plain; charset=utf-8"',
    );
  });

  test('TestContentTypeRegex', () => {
    const cases: [string, boolean][] = [
      ['application/json;charset=utf-8', true],
      ['application/json;charset=UTF-8', true],
      ['Application/JSON;Charset="utf-8"', true],
      ['application/json; charset="utf-8"', true],
      ['application/json', true],
      ['application/jsonl; charset="utf-8"', false],
      ['application/json;charset=UTF-9', false],
      ['application /json;charset=UTF-8', false],
      ['application/ json;charset=UTF-8', false],
      ['application/json;', false],
      ['charset=UTF-8', false],
    ];
    for (const [header, match] of cases) assert.equal(isHttpSdContentType(header), match, header);
  });

  test('TestSourceDisappeared: vanished indexes come back as empty groups', async () => {
    const g = (k: string, target: string, i: number): unknown => ({
      source: `${base}/:${i}`,
      targets: [{ __address__: target }],
      labels: { k, __meta_url: `${base}/` },
    });
    const empty = (i: number): unknown => ({ source: `${base}/:${i}`, targets: [], labels: {} });
    const cases: { responses: string[]; expected: unknown[][] }[] = [
      { responses: ['[]', '[]'], expected: [[], []] },
      {
        responses: [
          '[{"labels": {"k": "1"}, "targets": ["127.0.0.1"]}]',
          '[{"labels": {"k": "1"}, "targets": ["127.0.0.1"]}, {"labels": {"k": "2"}, "targets": ["127.0.0.1"]}]',
        ],
        expected: [[g('1', '127.0.0.1', 0)], [g('1', '127.0.0.1', 0), g('2', '127.0.0.1', 1)]],
      },
      {
        responses: [
          '[{"labels": {"k": "1"}, "targets": ["127.0.0.1"]}, {"labels": {"k": "2"}, "targets": ["127.0.0.1"]}]',
          '[{"labels": {"k": "1"}, "targets": ["127.0.0.1"]}]',
        ],
        expected: [
          [g('1', '127.0.0.1', 0), g('2', '127.0.0.1', 1)],
          [g('1', '127.0.0.1', 0), empty(1)],
        ],
      },
      {
        responses: [
          '[{"labels": {"k": "1"}, "targets": ["127.0.0.1"]}, {"labels": {"k": "2"}, "targets": ["127.0.0.1"]}, {"labels": {"k": "3"}, "targets": ["127.0.0.1"]}]',
          '[{"labels": {"k": "1"}, "targets": ["127.0.0.1"]}]',
          '[{"labels": {"k": "v"}, "targets": ["127.0.0.2"]}, {"labels": {"k": "vv"}, "targets": ["127.0.0.3"]}]',
        ],
        expected: [
          [g('1', '127.0.0.1', 0), g('2', '127.0.0.1', 1), g('3', '127.0.0.1', 2)],
          [g('1', '127.0.0.1', 0), empty(1), empty(2)],
          [g('v', '127.0.0.2', 0), g('vv', '127.0.0.3', 1)],
        ],
      },
    ];
    // One Discovery across every case, as in the Go test: the last length carries over.
    let last = 0;
    for (const c of cases) {
      for (const [i, response] of c.responses.entries()) {
        stub = response;
        const outcome = await discoverHttp(sd(`${base}/`, 1000), {
          version: '2',
          previousGroupCount: last,
        });
        if (!outcome.ok) assert.fail(outcome.failure.message);
        assert.deepEqual(outcome.groups, c.expected[i]);
        last = (JSON.parse(response) as unknown[]).length;
      }
    }
  });
});

describe('http_sd: the request and its failures', () => {
  test('sends Accept, the refresh interval and the User-Agent', async () => {
    const server = await startHttp(json('[]'));
    servers.push(server);
    await discoverHttp(sd(`http://${server.address}/sd`, 500), { version: '3' });
    await discoverHttp(sd(`http://${server.address}/sd`, 60_000), { version: '3' });
    assert.equal(server.requests[0]!.accept, 'application/json');
    assert.equal(server.requests[0]!['user-agent'], USER_AGENT);
    assert.equal(server.requests[0]!['x-prometheus-refresh-interval-seconds'], '0.5');
    assert.equal(server.requests[1]!['x-prometheus-refresh-interval-seconds'], '60');
  });

  test("a refused connection, in Go's words", async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/sd`;
    const outcome = await discoverHttp(sd(url), { version: '2' });
    assert.equal(
      !outcome.ok && outcome.failure.message,
      `Get "${url}": dial tcp 127.0.0.1:${port}: connect: connection refused`,
    );
  });

  test('redirects are followed (up to 10); with follow_redirects false the 302 is the answer', async () => {
    const base = await serve((req, res) => {
      if (req.url === '/old') res.writeHead(302, { location: '/new' }).end();
      else if (req.url === '/loop') res.writeHead(302, { location: '/loop' }).end();
      else json('[{"targets": ["a:1"]}]')(req, res);
    });
    const followed = await discoverHttp(sd(`${base}/old`), { version: '3' });
    assert.equal(followed.ok && followed.groups[0]!.labels.__meta_url, `${base}/old`);
    const loop = await discoverHttp(sd(`${base}/loop`), { version: '3' });
    assert.equal(
      !loop.ok && loop.failure.message,
      // net/http names the Location as written (promtool prints the same).
      'Get "/loop": stopped after 10 redirects',
    );
    const kept = await discoverHttp(sd(`${base}/old`), {
      version: '3',
      request: defaultHttpSdRequest({ followRedirects: false }),
    });
    assert.equal(!kept.ok && kept.failure.message, 'server returned HTTP status 302 Found');
  });

  test('a slow endpoint is given up after the timeout (Prometheus itself would wait)', async () => {
    const base = await serve(() => undefined);
    const outcome = await discoverHttp(sd(`${base}/`), {
      version: '3',
      request: defaultHttpSdRequest({ timeoutMs: 200 }),
    });
    assert.match(
      !outcome.ok ? outcome.failure.message : '',
      /^Get "http:\/\/127\.0\.0\.1:\d+\/": context deadline exceeded/,
    );
  });

  test('a caller-supplied request function is used as is', async () => {
    const seen: Record<string, string>[] = [];
    const outcome = await discoverHttp(sd('https://sd.example/targets'), {
      version: '3',
      request: (_url, headers) => {
        seen.push(headers);
        return Promise.resolve({
          status: 200,
          headers: { 'content-type': 'application/json; charset=utf-8' },
          body: new TextEncoder().encode('[{"targets":["x:1"]}]'),
        });
      },
    });
    assert.equal(outcome.ok && outcome.groups[0]!.source, 'https://sd.example/targets:0');
    assert.equal(seen[0]!.accept, 'application/json');
    const failing = await discoverHttp(sd('https://sd.example/targets'), {
      version: '3',
      request: () => Promise.reject(new Error('x509: certificate signed by unknown authority')),
    });
    assert.equal(
      !failing.ok && failing.failure.message,
      'Get "https://sd.example/targets": x509: certificate signed by unknown authority',
    );
  });

  const bodies: [string, string, string][] = [
    [
      'unknown field',
      '[{"targets": [], "foo": 1}]',
      'json: unknown field "foo" (line 1, column 18 of the answer)',
    ],
    ['a null group', '[null]', 'nil target group item found (line 1, column 2 of the answer)'],
    [
      'not JSON',
      '<html>',
      "invalid character '<' looking for beginning of value (line 1, column 1 of the answer)",
    ],
    ['an empty body', '', 'unexpected end of JSON input (line 1, column 1 of the answer)'],
  ];
  for (const [name, body, message] of bodies) {
    test(`a body Prometheus refuses: ${name}`, async () => {
      const base = await serve(json(body));
      const outcome = await discoverHttp(sd(`${base}/`), { version: '2' });
      assert.equal(!outcome.ok && outcome.failure.message, message);
    });
  }

  test('no Content-Type at all', async () => {
    const base = await serve((_req, res) => {
      res.removeHeader('content-type');
      res.writeHead(200).end('[]');
    });
    const outcome = await discoverHttp(sd(`${base}/`), { version: '2' });
    assert.equal(!outcome.ok && outcome.failure.message, 'unsupported content type ""');
  });
});

describe("validateHttpSdConfig (Prometheus's discovery/http/http.go UnmarshalYAML)", () => {
  const problem = (raw: unknown, version: '2' | '3' = '3'): unknown => {
    const got = validateHttpSdConfig(raw, version);
    return got.ok ? null : got.errors[0]!.message;
  };
  test('valid: the refresh interval defaults to 60s', () => {
    assert.deepEqual(validateHttpSdConfig({ url: 'http://sd:8080/targets' }, '2'), {
      ok: true,
      config: { url: 'http://sd:8080/targets', refreshIntervalMs: 60_000 },
    });
    assert.equal(
      validateHttpSdConfig({ url: 'HTTPS://sd/x', refresh_interval: '15s', tls_config: {} }, '3')
        .ok,
      true,
    );
  });
  test("Prometheus's messages", () => {
    assert.equal(problem({}), 'URL is missing');
    assert.equal(problem({ url: '' }), 'URL is missing');
    assert.equal(problem({ url: 'ftp://sd/x' }), "URL scheme must be 'http' or 'https'");
    assert.equal(problem({ url: 'sd:8080/x' }), "URL scheme must be 'http' or 'https'");
    assert.equal(problem({ url: 'http:///x' }), 'host is missing in URL');
    assert.equal(problem({ url: 'http:sd' }), 'host is missing in URL');
    assert.equal(problem({ url: 'http://[::1/x' }), `parse "http://[::1/x": missing ']' in host`);
    assert.equal(
      problem({ url: 'http://sd:port/x' }),
      'parse "http://sd:port/x": invalid port ":port" after host',
    );
    assert.equal(
      problem({ url: 'http://a b/x' }),
      'parse "http://a b/x": invalid character " " in host name',
    );
    assert.equal(
      problem({ url: 'http://sd/%zz' }),
      'parse "http://sd/%zz": invalid URL escape "%zz"',
    );
    assert.equal(problem({ url: ':x' }), 'parse ":x": missing protocol scheme');
    assert.equal(
      problem({ url: 'http://sd/\n' }),
      'parse "http://sd/\\n": net/url: invalid control character in URL',
    );
  });
  test('the keys each version knows', () => {
    assert.equal(
      problem({ url: 'http://sd/', no_proxy: 'x', proxy_url: 'http://p' }, '2'),
      'field no_proxy not found in type http.plain',
    );
    assert.equal(problem({ url: 'http://sd/', no_proxy: 'x', proxy_url: 'http://p' }, '3'), null);
    assert.equal(
      problem({ url: 'http://sd/', kubeconfig_file: 'x' }, '3'),
      'field kubeconfig_file not found in type http.plain',
    );
  });
  test('3.x checks the HTTP client settings; 2.42 did not', () => {
    const both = { url: 'http://sd/', bearer_token: 't', basic_auth: { username: 'u' } };
    assert.equal(
      problem(both, '3'),
      'at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured',
    );
    assert.equal(problem(both, '2'), null);
    assert.equal(
      problem({ url: 'http://sd/', authorization: { type: 'Basic', credentials: 'x' } }, '3'),
      'authorization type cannot be set to "basic", use "basic_auth" instead',
    );
    assert.equal(
      problem({ url: 'http://sd/', no_proxy: 'x' }, '3'),
      'if no_proxy is configured, proxy_url must also be configured',
    );
  });
});
