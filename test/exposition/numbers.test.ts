/**
 * Sample values as Prometheus reads them: Go's strconv.ParseFloat without "p", "P" or "_"
 * (promparse.go `parseFloat`); expected values worked out from Go's grammar
 * (https://pkg.go.dev/strconv#ParseFloat).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { NumberOut, parseFloatBytes, parseIntBytes } from '#lib/exposition/numbers.ts';
import { bytes } from './helpers.ts';

function float(s: string): number | 'syntax' | 'range' {
  const out = new NumberOut();
  const b = bytes(s);
  parseFloatBytes(b, 0, b.length, out);
  return out.error === 1 ? 'syntax' : out.error === 2 ? 'range' : out.value;
}

const VALUES: [string, number | 'syntax' | 'range'][] = [
  ['0', 0],
  ['-0', -0],
  ['+0', 0],
  ['1', 1],
  ['-1', -1],
  ['+12', 12],
  ['00012', 12],
  ['1.5', 1.5],
  ['1.', 1],
  ['.5', 0.5],
  ['-.5', -0.5],
  ['1e3', 1000],
  ['1E3', 1000],
  ['1e+3', 1000],
  ['1e-3', 0.001],
  ['1.5e-07', 1.5e-7],
  ['4.9351e-05', 4.9351e-5],
  ['7.424100000000001e-05', 7.424100000000001e-5],
  ['1.7976931348623157e308', Number.MAX_VALUE],
  ['5e-324', Number.MIN_VALUE],
  ['1e-400', 0], // underflow is not an error in Go
  ['0e99999', 0],
  ['123456789012345678901234567890', 1.2345678901234568e29],
  ['0.1000000000000000055511151231257827', 0.1],
  ['9007199254740993', 9007199254740992], // ties to even
  ['NaN', NaN],
  ['nan', NaN],
  ['NAN', NaN],
  ['Inf', Infinity],
  ['+Inf', Infinity],
  ['-Inf', -Infinity],
  ['inf', Infinity],
  ['-infinity', -Infinity],
  ['INFINITY', Infinity],
  ['1e400', 'range'],
  ['-1e400', 'range'],
  ['1.8e308', 'range'],
  ['+nan', 'syntax'],
  ['-NaN', 'syntax'],
  ['infin', 'syntax'],
  ['infinityy', 'syntax'],
  ['nana', 'syntax'],
  ['', 'syntax'],
  ['+', 'syntax'],
  ['-', 'syntax'],
  ['.', 'syntax'],
  ['e5', 'syntax'],
  ['.e5', 'syntax'],
  ['1e', 'syntax'],
  ['1e+', 'syntax'],
  ['1.5.', 'syntax'],
  ['1..5', 'syntax'],
  ['1_000', 'syntax'],
  ['0x10', 'syntax'],
  ['0x1p-3', 'syntax'],
  ['1p3', 'syntax'],
  ['true', 'syntax'],
  ['1 ', 'syntax'],
  ['١', 'syntax'],
];

for (const [input, expected] of VALUES) {
  test(`value ${JSON.stringify(input)} is ${String(expected)}`, () => {
    assert.deepStrictEqual(float(input), expected);
  });
}

test('every double printed by JavaScript reads back as itself', () => {
  fc.assert(
    fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (d) => {
      const text = Object.is(d, -0) ? '-0' : String(d); // String(-0) is "0"
      assert.ok(Object.is(float(text), d), text);
      assert.ok(Object.is(float(d.toExponential()), Object.is(d, -0) ? 0 : d), d.toExponential());
    }),
    { numRuns: 5000 },
  );
});

test('decimal strings read as JavaScript reads them, rounding correctly', () => {
  const decimal = fc
    .tuple(
      fc.constantFrom('', '-', '+'),
      fc.stringMatching(/^[0-9]{1,25}$/),
      fc.option(fc.stringMatching(/^[0-9]{0,25}$/)),
      fc.option(fc.integer({ min: -330, max: 310 })),
    )
    .map(
      ([sign, int, frac, exp]) =>
        `${sign}${int}${frac === null ? '' : `.${frac}`}${exp === null ? '' : `e${exp}`}`,
    );
  fc.assert(
    fc.property(decimal, (s) => {
      const expected = Number(s);
      const got = float(s);
      if (!Number.isFinite(expected)) assert.equal(got, 'range');
      else assert.ok(Object.is(got, expected), `${s}: ${String(got)} vs ${expected}`);
    }),
    { numRuns: 5000 },
  );
});

test('text 0.0.4 timestamps are int64 milliseconds', () => {
  const int = (s: string): number | 'range' => {
    const out = new NumberOut();
    const b = bytes(s);
    parseIntBytes(b, 0, b.length, out);
    return out.error === 0 ? out.value : 'range';
  };
  assert.equal(int('0'), 0);
  assert.equal(int('1395066363000'), 1395066363000);
  assert.equal(int('000000000000000000000000001'), 1);
  assert.equal(int('9223372036854775807'), 9223372036854775807);
  assert.equal(int('9223372036854775808'), 'range');
  assert.equal(int('99999999999999999999'), 'range');
});
