/**
 * A redirect as Go's http.Client follows it for Prometheus (lib/scrape/redirect.ts): one table of
 * Location values, with where each leads or Go's exact refusal. Nothing here throws.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redirectLocation, resolveRedirect, shownUrl } from '#lib/scrape/redirect.ts';

const FROM = new URL('http://user:pw@127.0.0.1:9100/metrics?x=1');
const GET = 'Get "http://user:***@127.0.0.1:9100/metrics?x=1"';

const FOLLOWED: [string, string][] = [
  ['/other', 'http://user:pw@127.0.0.1:9100/other'],
  ['../up', 'http://user:pw@127.0.0.1:9100/up'],
  ['?q=2', 'http://user:pw@127.0.0.1:9100/metrics?q=2'],
  ['//other:8080/m', 'http://other:8080/m'],
  ['HTTPS://Host/X', 'https://host/X'],
  ['/a b', 'http://user:pw@127.0.0.1:9100/a%20b'],
  // Go keeps these on this host; WHATWG would read a host into them.
  ['///evil.invalid/x', 'http://user:pw@127.0.0.1:9100///evil.invalid/x'],
  ['\\\\evil.invalid/x', 'http://user:pw@127.0.0.1:9100/%5C%5Cevil.invalid/x'],
];

const REFUSED: [string, string][] = [
  [
    'http://[::1',
    `the target redirected to a Location Go cannot parse, so Prometheus fails the scrape: ${GET}: failed to parse Location header "http://[::1": parse "http://[::1": missing ']' in host`,
  ],
  [
    '%zz',
    `the target redirected to a Location Go cannot parse, so Prometheus fails the scrape: ${GET}: failed to parse Location header "%zz": parse "%zz": invalid URL escape "%zz"`,
  ],
  [
    'http://a b/',
    `the target redirected to a Location Go cannot parse, so Prometheus fails the scrape: ${GET}: failed to parse Location header "http://a b/": parse "http://a b/": invalid character " " in host name`,
  ],
  [
    'http://a\tb/',
    `the target redirected to a Location Go cannot parse, so Prometheus fails the scrape: ${GET}: failed to parse Location header "http://a\\tb/": parse "http://a\\tb/": net/url: invalid control character in URL`,
  ],
  [
    'ftp://example.invalid/',
    'the target redirected to "ftp://example.invalid/", which Prometheus cannot follow: Get "ftp://example.invalid/": unsupported protocol scheme "ftp"',
  ],
  [
    'javascript:alert(1)',
    'the target redirected to "javascript:alert(1)", which Prometheus cannot follow: Get "javascript:alert(1)": unsupported protocol scheme "javascript"',
  ],
  [
    'http:///x',
    'the target redirected to "http:///x", which Prometheus cannot follow: Get "http:///x": http: no Host in request URL',
  ],
  [
    'http:x',
    'the target redirected to "http:x", which Prometheus cannot follow: Get "http:x": http: no Host in request URL',
  ],
  [
    'https://h:99999/',
    'the target redirected to "https://h:99999/", which Prometheus cannot follow: Get "https://h:99999/": it names no host and port that can be dialled',
  ],
];

test('where a Location leads, as Go resolves it', () => {
  for (const [location, expected] of FOLLOWED) {
    const next = resolveRedirect(location, FROM);
    assert.ok(next instanceof URL, `${location}: ${'reason' in next ? next.diagnosis : ''}`);
    assert.equal(next.href, expected, location);
  }
});

test("what Go refuses to follow, in Go's words, as http_status", () => {
  for (const [location, diagnosis] of REFUSED) {
    const next = resolveRedirect(location, FROM);
    assert.ok(
      !(next instanceof URL),
      `${location} was followed to ${next instanceof URL ? next.href : ''}`,
    );
    assert.deepEqual(next, { reason: 'http_status', diagnosis }, location);
  }
});

test('the Location Go reads: the first, and none when empty', () => {
  assert.equal(redirectLocation(undefined), null);
  assert.equal(redirectLocation(''), null);
  assert.equal(redirectLocation(['', '/x']), null);
  assert.equal(redirectLocation(['/a', '/b']), '/a');
  assert.equal(shownUrl(new URL('http://u:secret@h/')), 'http://u:***@h/');
});
