/** The hand-written MD5 behind `hashmod` against node:crypto. */
import assert from 'node:assert/strict';
import { hash } from 'node:crypto';
import { test } from 'node:test';
import fc from 'fast-check';
import { md5Low64 } from '#lib/relabel/md5.ts';

function expected(s: string): bigint {
  return hash('md5', s, 'buffer').readBigUInt64BE(8);
}

test('bytes 8..15 of MD5 agree with node:crypto at block boundaries', () => {
  for (let n = 0; n < 200; n++) {
    const s = 'x'.repeat(n);
    assert.equal(md5Low64(s), expected(s), `length ${n}`);
  }
});

test('bytes 8..15 of MD5 agree with node:crypto on any string', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => {
      assert.equal(md5Low64(s), expected(s));
    }),
    { numRuns: 2000 },
  );
  // Lone surrogates: both encode them as U+FFFD.
  for (const s of ['\ud800', 'a\udc00b', '\udbff\udfff', '😀'])
    assert.equal(md5Low64(s), expected(s));
});
