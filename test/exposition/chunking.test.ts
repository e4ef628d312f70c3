/**
 * The result must not depend on how the body was chunked (undici
 * `test/fuzzing/server/server-fuzz-split-data.js`), and no input, however mangled, may make the
 * parser throw: failures are values.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseExposition } from '#lib/exposition/index.ts';
import type {
  ExpositionFormat,
  ExpositionOptions,
  ExpositionResult,
} from '#lib/exposition/index.ts';
import { buildCorpus } from '../../bench/exposition-corpus.ts';
import { caseBytes, ERROR_CASES } from './error-cases.ts';
import { bytes, fixture, parseChunked } from './helpers.ts';

const FULL = (format: ExpositionFormat): ExpositionOptions => ({
  format,
  collect: 'families',
  lint: true,
});

function assertWellFormed(r: ExpositionResult): void {
  if (r.error === null) return;
  assert.ok(Number.isInteger(r.error.line) && r.error.line >= 1, 'line');
  assert.ok(Number.isInteger(r.error.column) && r.error.column >= 1, 'column');
  assert.match(r.error.message, /^expected .+, got .+$/s);
}

const FIXTURES: [string, ExpositionFormat][] = [
  ['prometheus.txt', 'prometheus'],
  ['openmetrics.txt', 'openmetrics'],
];

for (const [name, format] of FIXTURES) {
  test(`${name}: splitting at every byte position gives the same result`, () => {
    const input = fixture(name);
    const whole = parseExposition(input, FULL(format));
    assert.equal(whole.error, null);
    for (let k = 0; k <= input.length; k++) {
      assert.deepStrictEqual(parseChunked(input, [k], FULL(format)), whole, `split at ${k}`);
    }
  });

  test(`${name}: one byte at a time gives the same result`, () => {
    const input = fixture(name);
    const cuts = Array.from({ length: input.length }, (_, i) => i);
    assert.deepStrictEqual(
      parseChunked(input, cuts, FULL(format)),
      parseExposition(input, FULL(format)),
    );
  });
}

test('every error case fails the same way split at every byte position', () => {
  for (const c of ERROR_CASES) {
    const input = caseBytes(c);
    const options: ExpositionOptions = { format: c.format, collect: 'families', lint: true };
    if (c.maxLineBytes !== undefined) options.maxLineBytes = c.maxLineBytes;
    const whole = parseExposition(input, options);
    assert.notEqual(whole.error, null, c.input);
    for (let k = 0; k <= input.length; k++) {
      assert.deepStrictEqual(parseChunked(input, [k], options), whole, `${c.input} split at ${k}`);
    }
  }
});

const cutsFor = (length: number): fc.Arbitrary<number[]> =>
  fc
    .array(fc.integer({ min: 0, max: length }), { maxLength: 40 })
    .map((cuts) => [...cuts].sort((a, b) => a - b));

for (const format of ['prometheus', 'openmetrics'] as const) {
  test(`${format}: random chunkings of a generated corpus give the same result`, () => {
    const input = bytes(buildCorpus({ targetBytes: 30_000, format, seed: 7 }).text);
    const whole = parseExposition(input, FULL(format));
    assert.equal(whole.error, null);
    fc.assert(
      fc.property(cutsFor(input.length), (cuts) => {
        assert.deepStrictEqual(parseChunked(input, cuts, FULL(format)), whole);
      }),
      { numRuns: 60 },
    );
  });
}

/** Bytes that matter to the grammar, to mutate inputs with. */
const INTERESTING = Array.from('{}"=,\\\n #:_.eE+-0123456789aNnIif\t\r', (c) => c.charCodeAt(0));
const mutation = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom('insert', 'delete', 'replace'),
  byte: fc.oneof(fc.constantFrom(...INTERESTING), fc.integer({ min: 0, max: 255 })),
});

function mutate(
  input: Uint8Array,
  steps: { at: number; kind: string; byte: number }[],
): Uint8Array {
  let out = Array.from(input);
  for (const step of steps) {
    const at = out.length === 0 ? 0 : step.at % (out.length + 1);
    if (step.kind === 'insert') out.splice(at, 0, step.byte);
    else if (step.kind === 'delete') out.splice(at, 1);
    else if (at < out.length) out[at] = step.byte;
    out = out.slice(0, 100_000);
  }
  return new Uint8Array(out);
}

for (const [name, format] of FIXTURES) {
  test(`${name}: mutated inputs never throw and do not depend on chunking`, () => {
    const input = fixture(name);
    fc.assert(
      fc.property(
        fc.array(mutation, { minLength: 1, maxLength: 6 }),
        cutsFor(input.length + 6),
        (steps, cuts) => {
          const mutated = mutate(input, steps);
          const whole = parseExposition(mutated, FULL(format));
          assertWellFormed(whole);
          const valid = cuts.filter((c) => c <= mutated.length);
          assert.deepStrictEqual(parseChunked(mutated, valid, FULL(format)), whole);
        },
      ),
      { numRuns: 300 },
    );
  });
}

test('random bytes and strings never throw', () => {
  fc.assert(
    fc.property(
      fc.oneof(
        fc.uint8Array({ maxLength: 300 }),
        fc.string({ unit: 'binary', maxLength: 200 }).map((s) => bytes(s)),
        fc.array(fc.constantFrom(...INTERESTING), { maxLength: 200 }).map((a) => new Uint8Array(a)),
      ),
      fc.constantFrom('prometheus' as const, 'openmetrics' as const),
      (input, format) => {
        assertWellFormed(parseExposition(input, FULL(format)));
      },
    ),
    { numRuns: 2000 },
  );
});

test('pathological inputs finish: runs of backslashes, braces and quotes', () => {
  const n = 1_000_000;
  const backslashes = `a{b="${'\\\\'.repeat(n / 2)}"} 1\n`;
  const valid = parseExposition(backslashes, { format: 'prometheus', collect: 'families' });
  assert.equal(valid.error, null);
  assert.equal(valid.families?.[0]?.samples[0]?.labels.b?.length, n / 2);
  const odd = parseExposition(`a{b="${'\\'.repeat(n + 1)}x"} 1\n`, { format: 'prometheus' });
  assert.match(odd.error?.message ?? '', /^expected an escape sequence/);
  for (const s of ['{'.repeat(n), '"'.repeat(n), `a{${'b="c",'.repeat(n / 8)}`, '#'.repeat(n)]) {
    for (const format of ['prometheus', 'openmetrics'] as const) {
      assertWellFormed(parseExposition(s, { format }));
    }
  }
  // Many distinct labels on one line: the duplicate check must not be quadratic in practice.
  const many = `a{${Array.from({ length: 50_000 }, (_, i) => `l${i}="v"`).join(',')}} 1\n`;
  assert.equal(parseExposition(many, { format: 'prometheus' }).error, null);
});

test('a 50 MB line against a 1 MiB maxLineBytes fails naming the limit, streamed or whole', () => {
  const max = 1024 * 1024;
  const line = new Uint8Array(50 * 1024 * 1024).fill(0x61); // "aaaa…"
  const expected = {
    line: 2,
    column: max + 1,
    message: `expected a line of at most ${max} bytes (maxLineBytes), got a longer line`,
  };
  const input = new Uint8Array(line.length + 4);
  input.set(bytes('x 1\n'));
  input.set(line.subarray(0, line.length - 4), 4);
  const cuts: number[] = [];
  for (let k = 65536; k < input.length; k += 65536) cuts.push(k);
  const streamed = parseChunked(input, cuts, { format: 'prometheus', maxLineBytes: max });
  assert.deepStrictEqual(streamed.error, expected);
  assert.equal(streamed.series, 1);
  const whole = parseExposition(input, { format: 'prometheus', maxLineBytes: max });
  assert.deepStrictEqual(whole.error, expected);
});
