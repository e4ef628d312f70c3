import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import snappy from 'snappyjs';
import { snappyCompress } from '#lib/sinks/snappy.ts';

function roundTrip(input: Uint8Array): Uint8Array {
  return new Uint8Array(snappy.uncompress(snappyCompress(input)));
}

test('snappy: an independent decoder reads back what we compress', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 5000 }), (input) => {
      assert.deepEqual(roundTrip(input), input);
    }),
    { numRuns: 300 },
  );
});

test('snappy: repetitive input (long copies, offsets past 2 KiB, several 64 KiB blocks)', () => {
  fc.assert(
    fc.property(
      fc.array(fc.string({ minLength: 1, maxLength: 40 }), { minLength: 1, maxLength: 20 }),
      fc.integer({ min: 1, max: 200_000 }),
      fc.integer(),
      (words, length, seed) => {
        let text = '';
        let i = Math.abs(seed);
        while (text.length < length) text += words[i++ % words.length]!;
        const input = new TextEncoder().encode(text);
        const compressed = snappyCompress(input);
        assert.deepEqual(new Uint8Array(snappy.uncompress(compressed)), input);
      },
    ),
    { numRuns: 60 },
  );
});

test('snappy: compresses a remote_write-like body and handles edge sizes', () => {
  const body = new TextEncoder().encode('scrape_check_success{job="etcd"} 1\n'.repeat(3000));
  const compressed = snappyCompress(body);
  assert.ok(compressed.length < body.length / 10, `${compressed.length} of ${body.length}`);
  for (const size of [0, 1, 15, 16, 17, 65535, 65536, 65537, 131072]) {
    const input = new Uint8Array(size).map((_, i) => (i * 7) % 251);
    assert.deepEqual(roundTrip(input), input, `size ${size}`);
  }
});
