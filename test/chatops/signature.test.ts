import assert from 'node:assert/strict';
import { test } from 'node:test';
import { slackSignature, verifySlackSignature } from '#lib/chatops/index.ts';

// The worked example of https://api.slack.com/authentication/verifying-requests-from-slack.
const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const TIMESTAMP = '1531420618';
const BODY =
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const SIGNATURE = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';
const AT = Number(TIMESTAMP) * 1000;

test("signature: Slack's documented example", () => {
  assert.equal(slackSignature(SECRET, TIMESTAMP, Buffer.from(BODY)), SIGNATURE);
  assert.deepEqual(
    verifySlackSignature(
      SECRET,
      { timestamp: TIMESTAMP, signature: SIGNATURE, body: Buffer.from(BODY) },
      AT + 1000,
    ),
    { ok: true },
  );
});

test('signature: every way to fail, from one table', () => {
  const body = Buffer.from(BODY);
  const cases: [string, Parameters<typeof verifySlackSignature>[1], number, string][] = [
    ['no timestamp', { timestamp: undefined, signature: SIGNATURE, body }, AT, 'missing'],
    ['no signature', { timestamp: TIMESTAMP, signature: undefined, body }, AT, 'missing'],
    ['empty signature', { timestamp: TIMESTAMP, signature: '', body }, AT, 'missing'],
    [
      'v1 scheme',
      { timestamp: TIMESTAMP, signature: SIGNATURE.replace('v0=', 'v1='), body },
      AT,
      'malformed',
    ],
    [
      'short digest',
      { timestamp: TIMESTAMP, signature: SIGNATURE.slice(0, -2), body },
      AT,
      'malformed',
    ],
    [
      'upper-case digest',
      { timestamp: TIMESTAMP, signature: SIGNATURE.toUpperCase().replace('V0=', 'v0='), body },
      AT,
      'malformed',
    ],
    [
      'non-numeric timestamp',
      { timestamp: '1531420618.5', signature: SIGNATURE, body },
      AT,
      'malformed',
    ],
    [
      'five minutes and a second late',
      { timestamp: TIMESTAMP, signature: SIGNATURE, body },
      AT + 301_000,
      'stale',
    ],
    [
      'from the future',
      { timestamp: TIMESTAMP, signature: SIGNATURE, body },
      AT - 301_000,
      'stale',
    ],
    [
      'other body',
      { timestamp: TIMESTAMP, signature: SIGNATURE, body: Buffer.from(`${BODY}x`) },
      AT,
      'mismatch',
    ],
    ['other timestamp', { timestamp: '1531420619', signature: SIGNATURE, body }, AT, 'mismatch'],
  ];
  for (const [name, request, now, reason] of cases) {
    assert.deepEqual(verifySlackSignature(SECRET, request, now), { ok: false, reason }, name);
  }
  assert.deepEqual(
    verifySlackSignature('other', { timestamp: TIMESTAMP, signature: SIGNATURE, body }, AT),
    { ok: false, reason: 'mismatch' },
  );
});
