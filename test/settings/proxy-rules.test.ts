/**
 * Which requests go through which proxy: Go's httpproxy rules for `no_proxy` and the environment,
 * `http.ProxyURL` for `proxy_url` alone (expectations from prometheus/common's http_config_test.go
 * `TestProxyConfig_Proxy`, and golang.org/x/net/http/httpproxy's proxy_test.go, whose cases
 * Prometheus inherits).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { chooseProxy, compileNoProxy, useProxy } from '#lib/scrape/proxy-rules.ts';
import type { ProxyEnvironment, ProxySettings } from '#lib/scrape/types.ts';

const PROXY = 'http://127.0.0.1:3128';

function viaUrl(url: string | null, noProxy: string | null = null): ProxySettings {
  return { url, noProxy, fromEnvironment: false, connectHeaders: {} };
}
function viaEnv(env: Partial<ProxyEnvironment>): ProxySettings {
  return {
    url: null,
    noProxy: null,
    fromEnvironment: true,
    environment: { httpProxy: '', httpsProxy: '', noProxy: '', cgi: false, ...env },
    connectHeaders: {},
  };
}
function chosen(target: string, settings: ProxySettings, version: '2' | '3' = '3'): string {
  const choice = chooseProxy(new URL(target), settings, version);
  if ('error' in choice) return `error: ${choice.error}`;
  return choice.proxy ? choice.proxy.href.replace(/\/$/, '') : '<nil>';
}

describe('proxy_url, no_proxy and proxy_from_environment (expectations from prometheus/common http_config_test.go)', () => {
  const cases: [string, ProxySettings, string, string][] = [
    ['proxy from environment', viaEnv({ httpProxy: PROXY }), 'http://prometheus.io/', PROXY],
    [
      'proxy_from_environment with no_proxy',
      viaEnv({ httpProxy: PROXY, noProxy: 'prometheus.io' }),
      'http://prometheus.io/',
      '<nil>',
    ],
    [
      'proxy_from_environment and localhost',
      viaEnv({ httpProxy: PROXY }),
      'http://localhost/',
      '<nil>',
    ],
    ['valid proxy_url and localhost', viaUrl(PROXY), 'http://localhost/', PROXY],
    [
      'valid proxy_url and no_proxy and localhost',
      viaUrl(PROXY, 'prometheus.io'),
      'http://localhost/',
      '<nil>',
    ],
    ['valid proxy_url', viaUrl(PROXY), 'http://prometheus.io/', PROXY],
    [
      'valid proxy url and no_proxy',
      viaUrl(PROXY, 'prometheus.io'),
      'http://prometheus.io/',
      '<nil>',
    ],
    [
      'valid proxy url and no_proxies',
      viaUrl(PROXY, 'promcon.io,prometheus.io,cncf.io'),
      'http://prometheus.io/',
      '<nil>',
    ],
    [
      'valid proxy url and no_proxies that do not include target',
      viaUrl(PROXY, 'promcon.io,cncf.io'),
      'http://prometheus.io/',
      PROXY,
    ],
  ];
  for (const [name, settings, target, want] of cases) {
    test(name, () => {
      assert.equal(chosen(target, settings), want);
    });
  }
});

describe('the environment as httpproxy reads it (expectations from golang.org/x/net httpproxy proxy_test.go)', () => {
  const cases: [Partial<ProxyEnvironment>, string, string][] = [
    [{ httpProxy: '127.0.0.1:8080' }, 'http://example.com/', 'http://127.0.0.1:8080'],
    [
      { httpProxy: 'cache.corp.example.com:1234' },
      'http://example.com/',
      'http://cache.corp.example.com:1234',
    ],
    [
      { httpProxy: 'cache.corp.example.com' },
      'http://example.com/',
      'http://cache.corp.example.com',
    ],
    [
      { httpProxy: 'https://cache.corp.example.com' },
      'http://example.com/',
      'https://cache.corp.example.com',
    ],
    [{ httpProxy: 'socks5://127.0.0.1' }, 'http://example.com/', 'socks5://127.0.0.1'],
    [
      { httpProxy: 'http.proxy.tld', httpsProxy: 'secure.proxy.tld' },
      'http://insecure.tld/',
      'http://http.proxy.tld',
    ],
    [
      { httpProxy: 'http.proxy.tld', httpsProxy: 'secure.proxy.tld' },
      'https://secure.tld/',
      'http://secure.proxy.tld',
    ],
    [{ httpProxy: 'http.proxy.tld' }, 'https://secure.tld/', '<nil>'],
    [
      { httpProxy: 'http://10.1.2.3:8080', cgi: true },
      'http://example.com/',
      'error: refusing to use HTTP_PROXY value in CGI environment; see golang.org/s/cgihttpproxy',
    ],
    [
      { httpsProxy: 'https://secure.proxy.tld', cgi: true },
      'https://secure.tld/',
      'https://secure.proxy.tld',
    ],
    [{}, 'http://example.com/', '<nil>'],
    [{ noProxy: 'example.com', httpProxy: 'proxy' }, 'http://example.com/', '<nil>'],
    [{ noProxy: '.example.com', httpProxy: 'proxy' }, 'http://example.com/', 'http://proxy'],
    [{ noProxy: 'ample.com', httpProxy: 'proxy' }, 'http://example.com/', 'http://proxy'],
    [{ noProxy: 'example.com', httpProxy: 'proxy' }, 'http://foo.example.com/', '<nil>'],
    [{ noProxy: '.foo.com', httpProxy: 'proxy' }, 'http://example.com/', 'http://proxy'],
    [{ noProxy: '.示例.com', httpProxy: 'proxy' }, 'http://www.示例.com', '<nil>'],
    [{ noProxy: 'xn--fsq092h.com', httpProxy: 'proxy' }, 'http://www.示例.com', '<nil>'],
    [{ noProxy: '示例.com', httpProxy: 'proxy' }, 'http://www.xn--fsq092h.com', '<nil>'],
  ];
  for (const [env, target, want] of cases) {
    test(`${JSON.stringify(env)} ${target}`, () => {
      assert.equal(chosen(target, viaEnv(env)), want);
    });
  }

  test('NO_PROXY entries: names, suffixes, wildcards, IPs, CIDRs and ports', () => {
    const noProxy =
      'foobar.com, .barbaz.net, *.wildcard.io, 192.168.1.1, 192.168.1.2:81, 192.168.1.3:80, 10.0.0.0/30, 2001:db8::52:0:1, [2001:db8::52:0:2]:443, [2001:db8::52:0:3]:80, 2002:db8:a::45/64';
    const matchers = compileNoProxy(noProxy);
    const table: [string, boolean][] = [
      ['localhost', false],
      ['127.0.0.1', false],
      ['127.0.0.2', false],
      ['[::1]', false],
      ['[::2]', true],
      ['192.168.1.1', false],
      ['192.168.1.2', true],
      ['192.168.1.3', false],
      ['192.168.1.4', true],
      ['10.0.0.2', false],
      ['[2001:db8::52:0:1]', false],
      ['[2001:db8::52:0:2]', true],
      ['[2001:db8::52:0:3]', false],
      ['[2002:db8:a::123]', false],
      ['[fe80::424b:c8be:1643:a1b6]', true],
      ['barbaz.net', true],
      ['www.barbaz.net', false],
      ['foobar.com', false],
      ['www.foobar.com', false],
      ['foofoobar.com', true],
      ['baz.com', true],
      ['localhost.net', true],
      ['local.localhost', true],
      ['barbarbaz.net', true],
      ['wildcard.io', true],
      ['nested.wildcard.io', false],
      ['awildcard.io', true],
    ];
    for (const [host, proxied] of table) {
      assert.equal(useProxy(new URL(`http://${host}:80/`), matchers), proxied, host);
      assert.equal(
        useProxy(new URL(`http://${host}:80/`), compileNoProxy('*')),
        false,
        `* ${host}`,
      );
    }
    assert.equal(useProxy(new URL('http://example.com/'), compileNoProxy(':1')), true);
  });

  test('Prometheus 2 (prometheus/common v0.39.0) knows proxy_url only', () => {
    assert.equal(chosen('http://prometheus.io/', viaUrl(PROXY, 'prometheus.io'), '2'), PROXY);
    assert.equal(chosen('http://prometheus.io/', viaEnv({ httpProxy: PROXY }), '2'), '<nil>');
  });
});
