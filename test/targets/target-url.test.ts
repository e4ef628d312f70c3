/**
 * The scrape URL as Go prints it: TestTargetURL from Prometheus (v2.42.0 and HEAD, plus HEAD's
 * unix-socket cases), then escaping that Go does its own way. `peers.test.ts` checks the same
 * strings against a running Prometheus 2.42.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { encodeValues, goUrlString, queryEscape, targetUrl } from '#lib/targets/target-url.ts';

describe("TestTargetURL (expectations from Prometheus's scrape/target_test.go at v2.42.0 and HEAD)", () => {
  for (const version of ['2', '3'] as const) {
    test(`version ${version}: params from the job, the first value replaced or added by __param_*`, () => {
      const params = { abc: ['foo', 'bar', 'baz'], xyz: ['hoo'] };
      const labels = {
        __address__: 'example.com:1234',
        __scheme__: 'https',
        __metrics_path__: '/metricz',
        __param_abc: 'overwrite',
        __param_cde: 'huu',
      };
      const url = targetUrl(labels, params, version);
      // expectedParams.Encode() of {abc: [overwrite bar baz], cde: [huu], xyz: [hoo]}.
      assert.equal(
        url.href,
        'https://example.com:1234/metricz?abc=overwrite&abc=bar&abc=baz&cde=huu&xyz=hoo',
      );
      assert.equal(url.url?.searchParams.getAll('abc').join(','), 'overwrite,bar,baz');
      assert.deepEqual(params, { abc: ['foo', 'bar', 'baz'], xyz: ['hoo'] }, 'params not altered');
    });
  }

  test('TestTargetURL_Unix (HEAD): __unix_socket__ does not change the URL', () => {
    const labels = {
      __address__: 'example.com:1234',
      __scheme__: 'https',
      __metrics_path__: '/metrics',
      __unix_socket__: '/tmp/sock',
    };
    assert.equal(targetUrl(labels, {}, '3').href, 'https://example.com:1234/metrics');
  });

  test('TestTargetURL_UnixEmptyAddress (HEAD): no address but a socket is host "localhost"', () => {
    const labels = {
      __scheme__: 'http',
      __metrics_path__: '/metrics',
      __unix_socket__: '/tmp/sock',
    };
    assert.equal(targetUrl(labels, {}, '3').href, 'http://localhost/metrics');
    // 2.42 has no unix sockets.
    assert.equal(targetUrl(labels, {}, '2').href, 'http:///metrics');
  });
});

describe('Go URL.String() and Values.Encode()', () => {
  const url = (scheme: string, host: string, path: string, rawQuery = ''): string =>
    goUrlString({ scheme, host, path, rawQuery });

  test('a path without a leading "/" gets one; an empty path none', () => {
    assert.equal(url('http', 'h:80', 'metrics'), 'http://h:80/metrics');
    assert.equal(url('http', 'h:80', ''), 'http://h:80');
    assert.equal(url('http', 'h:80', '*'), 'http://h:80/*');
  });

  test('the path is escaped as Go escapes a path', () => {
    assert.equal(url('http', 'h', '/a b'), 'http://h/a%20b');
    assert.equal(url('http', 'h', '/100%'), 'http://h/100%25');
    assert.equal(url('http', 'h', '/é/☺'), 'http://h/%C3%A9/%E2%98%BA');
    assert.equal(url('http', 'h', "/!*'()"), 'http://h/%21%2A%27%28%29');
    assert.equal(url('http', 'h', '/$&+,/:;=@-_.~'), 'http://h/$&+,/:;=@-_.~');
    assert.equal(url('http', 'h', '/a?b#c'), 'http://h/a%3Fb%23c');
  });

  test('the host is escaped as Go escapes a host', () => {
    assert.equal(url('http', '[::1]:9090', '/m'), 'http://[::1]:9090/m');
    assert.equal(url('http', '[fe80::1%eth0]:80', '/m'), 'http://[fe80::1%25eth0]:80/m');
    assert.equal(url('http', 'a b', '/m'), 'http://a%20b/m');
    assert.equal(url('http', 'exämple', '/m'), 'http://ex%C3%A4mple/m');
  });

  test('no scheme: "//host/path"; nothing at all: the path', () => {
    assert.equal(url('', 'h:1', '/m'), '//h:1/m');
    assert.equal(url('', '', 'a:b'), './a:b');
  });

  test('QueryEscape: + for space, everything but A-Z a-z 0-9 -_.~ escaped', () => {
    assert.equal(queryEscape('a b+c&d=e/f?g%h~i'), 'a+b%2Bc%26d%3De%2Ff%3Fg%25h~i');
    assert.equal(queryEscape('☺'), '%E2%98%BA');
  });

  test('Values.Encode sorts names in byte order and skips names without values', () => {
    const values = new Map<string, string[]>([
      ['b', ['2']],
      ['a', ['1', '']],
      ['é', ['x']],
      ['Z', ['z']],
      ['none', []],
    ]);
    assert.equal(encodeValues(values), 'Z=z&a=1&a=&b=2&%C3%A9=x');
  });

  test('the WHATWG URL is null when it refuses what Go prints', () => {
    const got = targetUrl(
      { __address__: '::1', __scheme__: 'http', __metrics_path__: '/m' },
      {},
      '3',
    );
    assert.equal(got.href, 'http://::1/m');
    assert.equal(got.url, null);
  });

  test('__param_* labels are applied in label order and values keep their first-value slot', () => {
    const got = targetUrl(
      {
        __address__: 'h:1',
        __scheme__: 'http',
        __metrics_path__: '/probe',
        __param_target: 'https://a b/?x=1',
        __param_module: 'http_2xx',
      },
      { module: ['m1', 'm2'] },
      '2',
    );
    assert.equal(
      got.href,
      'http://h:1/probe?module=http_2xx&module=m2&target=https%3A%2F%2Fa+b%2F%3Fx%3D1',
    );
  });
});
