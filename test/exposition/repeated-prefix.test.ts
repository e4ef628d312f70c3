/**
 * A sample line that repeats the previous one's start is not scanned again: the scanner takes
 * over the labels it found there (`Scanner.resumeSample`). Fed one line per write, no line has a
 * previous one to take over from, so every line is scanned whole; the two must agree on
 * everything: samples, families, warnings, notes and failures, in every format and mode.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { createCursor, Entry, parseExposition } from '#lib/exposition/index.ts';
import type { ExpositionFormat, ExpositionOptions } from '#lib/exposition/index.ts';
import { parseChunked } from './helpers.ts';

/** Strings of bytes (latin1), so that a test can hold invalid UTF-8 and NULs. */
const latin1 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));

/** Parses `input` one line per write: no region holds two lines. */
function lineByLine(input: Uint8Array, options: ExpositionOptions) {
  const cuts: number[] = [];
  for (let i = 0; i < input.length; i++) if (input[i] === 0x0a) cuts.push(i + 1);
  return parseChunked(input, cuts, options);
}

/** Per sample line of `input`: which labels it took over (bit x: label x), and its name. */
function takenOver(
  input: Uint8Array,
  format: ExpositionFormat,
): { labels: number; name: boolean }[] {
  const cursor = createCursor(format);
  cursor.reset(input, 0, input.length, 1);
  // `reusedLabels` and `reusedName` are the scanner's, for this folder only.
  const scanner = cursor as unknown as { reusedLabels: number; reusedName: boolean };
  const out: { labels: number; name: boolean }[] = [];
  for (;;) {
    const kind = cursor.next();
    if (kind === Entry.End || kind === Entry.Invalid || kind === Entry.Eof) return out;
    if (kind === Entry.Sample) out.push({ labels: scanner.reusedLabels, name: scanner.reusedName });
  }
}

/** How many sample lines of `input` took over labels from the line before. */
function linesTakenOver(input: Uint8Array, format: ExpositionFormat): number {
  return takenOver(input, format).filter((t) => t.labels !== 0).length;
}

const MODES: { name: string; options: (format: ExpositionFormat) => ExpositionOptions }[] = [
  { name: 'validate', options: (format) => ({ format, lint: true, collect: 'families' }) },
  {
    name: 'scrape (Prometheus 2)',
    options: (format) => ({ format, mode: 'scrape', prometheusVersion: '2', collect: 'families' }),
  },
  {
    name: 'scrape (Prometheus 3)',
    options: (format) => ({ format, mode: 'scrape', prometheusVersion: '3', collect: 'families' }),
  },
];

const HISTOGRAM = [
  '# HELP d Request duration.',
  '# TYPE d histogram',
  ...['0.1', '0.5', '1', '+Inf'].map(
    (le) => `d_bucket{code="200",resource="pods",verb="GET",le="${le}"} 1`,
  ),
  'd_sum{code="200",resource="pods",verb="GET"} 0.5',
  'd_count{code="200",resource="pods",verb="GET"} 1',
  ...['0.1', '0.5', '1', '+Inf'].map(
    (le) => `d_bucket{code="200",resource="pods",verb="LIST",le="${le}"} 2`,
  ),
  'd_sum{code="200",resource="pods",verb="LIST"} 0.5',
  'd_count{code="200",resource="pods",verb="LIST"} 2',
].join('\n');

test('a histogram takes over its labels from line to line, with the same result', () => {
  for (const format of ['prometheus', 'openmetrics'] as const) {
    const input = latin1(`${HISTOGRAM}\n${format === 'openmetrics' ? '# EOF\n' : ''}`);
    assert.equal(linesTakenOver(input, format), 6, format);
    for (const mode of MODES) {
      const options = mode.options(format);
      const whole = parseExposition(input, options);
      assert.equal(whole.error, null, `${format} ${mode.name}`);
      assert.deepStrictEqual(whole, lineByLine(input, options), `${format} ${mode.name}`);
    }
  }
});

test('a counter takes over its name, and the labels after the one that changed', () => {
  const text =
    'c_total{code="200",verb="GET",path="/a"} 1\n' +
    'c_total{code="201",verb="GET",path="/a"} 2\n' + // code changed, same length: verb, path
    'c_total{code="201",verb="LIST",path="/a"} 3\n' + // verb grew: path is elsewhere now
    'c_total{code="404",verb="LIST",path="/a"} 4\n';
  for (const format of ['prometheus', 'openmetrics'] as const) {
    const input = latin1(`${text}${format === 'openmetrics' ? '# EOF\n' : ''}`);
    assert.deepEqual(takenOver(input, format), [
      { labels: 0, name: false },
      { labels: 0b110, name: true },
      { labels: 0b001, name: true },
      { labels: 0b110, name: true },
    ]);
    for (const mode of MODES) {
      const options = mode.options(format);
      assert.deepStrictEqual(parseExposition(input, options), lineByLine(input, options));
    }
  }
});

test('what a repeated start cannot hide: failures and warnings after it are found', () => {
  const cases: [string, RegExp][] = [
    // The same label again, after labels taken over.
    ['a{x="1",y="2"} 1\na{x="1",x="3"} 1\n', /unique label names/],
    // A duplicate series, all of it taken over but the value.
    ['a{x="1",y="2"} 1\na{x="1",y="2"} 2\n', /duplicate series/],
    // A shorter line, ending inside what the previous line had.
    ['a{x="1",y="2"} 1\na{x="1"\n', /"," or "}"|label name or "}"/],
  ];
  for (const [text, expected] of cases) {
    const input = latin1(text);
    const options: ExpositionOptions = { format: 'prometheus', lint: true, collect: 'families' };
    const whole = parseExposition(input, options);
    assert.deepStrictEqual(whole, lineByLine(input, options), text);
    const said = [whole.error?.message ?? '', ...whole.warnings].join('\n');
    assert.match(said, expected, text);
  }
});

// Lines built from a few names, labels and values that reach every branch of a label set: escapes,
// UTF-8 (valid and not), NULs, blanks, missing and trailing commas, quoted names, repeated and
// reserved label names. Most lines change one pair of the line before, as a histogram's do, and
// the odd ones are rare enough that most bodies get some way before they fail.

/** One of `common`, or now and then one of `rare`. */
const pick = (common: string[], rare: string[]): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 40, arbitrary: fc.constantFrom(...common) },
    { weight: 1, arbitrary: fc.constantFrom(...rare) },
  );

function bodyOf(format: ExpositionFormat) {
  const om = format === 'openmetrics';
  const pair = fc.record({
    /** `*`: a name of the pair's own, by its place in the label set. */
    name: pick(['*'], ['__name__', '""', '"\xc3\xa9"', '"q"', 'l0', 'le']),
    value: pick(
      ['1', '', 'v', '+Inf', 'a\\"b', 'a\\\\b', 'a\\nb', '\xc3\xa9'],
      ['\xff', 'a\\qb', 'a\x00', 'a\nb'],
    ),
    sep: pick([','], om ? ['', ', '] : ['', ', ', ' ,', '\t,']),
  });
  const line = fc.record({
    name: pick(['a', 'a_bucket', 'a_total', 'b'], ['a_created', '"q.x"', 'a b']),
    /** Which pair of the running label set changes, and to what. */
    change: fc.nat({ max: 5 }),
    pair,
    drop: fc.boolean(),
    trailing: pick([''], [',']),
    value: pick(['1', '2.5', 'NaN'], ['x', '1 2 3']),
    /** Now and then a line of another kind before it. */
    other: fc.oneof(
      { weight: 20, arbitrary: fc.constant(null) },
      {
        weight: 1,
        arbitrary: fc.constantFrom('# TYPE a histogram', '# HELP a h', '# c', '', '# EOF'),
      },
    ),
  });
  return fc.record({
    start: fc.array(pair, { minLength: 1, maxLength: 5 }),
    lines: fc.array(line, { minLength: 1, maxLength: 12 }),
  });
}

type Body = ReturnType<typeof bodyOf> extends fc.Arbitrary<infer T> ? T : never;

function render({ start, lines }: Body, format: ExpositionFormat): Uint8Array {
  const pairs = [...start];
  let name = 'a';
  const out: string[] = [];
  for (const l of lines) {
    if (l.other !== null) out.push(l.other);
    const k = l.change % (pairs.length + 1);
    if (l.drop && pairs.length > 1) pairs.splice(k, 1);
    else pairs[k] = l.pair;
    if (l.change === 0) name = l.name;
    const set = pairs.map(
      (p, i) =>
        `${p.name === '*' ? `l${i}` : p.name}="${p.value}"${i < pairs.length - 1 ? p.sep : ''}`,
    );
    out.push(`${name}{${set.join('')}${l.trailing}} ${l.value}`);
  }
  if (format === 'openmetrics') out.push('# EOF');
  return latin1(`${out.join('\n')}\n`);
}

for (const format of ['prometheus', 'openmetrics'] as const) {
  for (const mode of MODES) {
    test(`${format}, ${mode.name}: lines that repeat a start read as when each is read alone`, () => {
      fc.assert(
        fc.property(bodyOf(format), (b) => {
          const input = render(b, format);
          const options = mode.options(format);
          assert.deepStrictEqual(parseExposition(input, options), lineByLine(input, options));
        }),
        { numRuns: 400 },
      );
    });
  }
}
