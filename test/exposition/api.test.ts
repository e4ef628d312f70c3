/** The public surface: the stream's contract, SampleRef, detectFormat and the pull cursor. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  createCursor,
  detectFormat,
  Entry,
  ExpositionStream,
  parseExposition,
} from '#lib/exposition/index.ts';
import type { SampleRef } from '#lib/exposition/index.ts';
import { bytes, fixture } from './helpers.ts';

test('onSample is called once per sample line, synchronously, with decoded labels', () => {
  const seen: unknown[] = [];
  const stream = new ExpositionStream({
    format: 'openmetrics',
    onSample(s: SampleRef) {
      const labels: [string, string][] = [];
      s.forEachLabel((n, v) => labels.push([n, v]));
      seen.push({
        name: s.name,
        value: s.value,
        ts: s.timestampMs,
        count: s.labelCount,
        labels,
        record: s.labels(),
        exemplar: s.exemplar(),
      });
    },
  });
  assert.equal(
    stream.write(bytes('a_total{x="1\\n",y="\\"q\\""} 2 1.5 # {t="9"} 3 4\nb 7\n')),
    true,
  );
  assert.equal(seen.length, 2);
  assert.equal(stream.write(bytes('# EOF\n')), true);
  const r = stream.end();
  assert.equal(r.error, null);
  assert.deepStrictEqual(seen, [
    {
      name: 'a_total',
      value: 2,
      ts: 1500,
      count: 2,
      labels: [
        ['x', '1\n'],
        ['y', '"q"'],
      ],
      record: { x: '1\n', y: '"q"' },
      exemplar: { labels: { t: '9' }, value: 3, timestampMs: 4000 },
    },
    { name: 'b', value: 7, ts: null, count: 0, labels: [], record: {}, exemplar: null },
  ]);
});

test('what a SampleRef returns survives later chunks being overwritten', () => {
  const kept: { name: string; labels: Record<string, string> }[] = [];
  const stream = new ExpositionStream({
    format: 'prometheus',
    onSample: (s) => kept.push({ name: s.name, labels: s.labels() }),
  });
  const chunk = bytes('first{v="one"} 1\nsecond{v="two"} 2\n');
  stream.write(chunk);
  chunk.fill(0x41);
  stream.write(bytes('third{v="three"} 3\n'));
  stream.end();
  assert.deepStrictEqual(kept, [
    { name: 'first', labels: { v: 'one' } },
    { name: 'second', labels: { v: 'two' } },
    { name: 'third', labels: { v: 'three' } },
  ]);
});

test('write() returns false once the input is invalid; series counts what came before', () => {
  const stream = new ExpositionStream({ format: 'prometheus' });
  assert.equal(stream.write(bytes('a 1\nb 2\nc{ 3\nd 4\n')), false);
  assert.equal(stream.write(bytes('e 5\n')), false);
  const r = stream.end();
  assert.equal(r.series, 2);
  assert.equal(r.bytes, 21); // every byte handed to write(), even after the failure
  assert.deepStrictEqual(r.error, {
    line: 3,
    column: 4,
    message: 'expected a label name or "}", got "3"',
  });
});

test('end() twice and write() after end() are bugs and throw', () => {
  const stream = new ExpositionStream({ format: 'prometheus' });
  stream.end();
  assert.throws(() => stream.end(), /called twice/);
  assert.throws(() => stream.write(bytes('a 1\n')), /after end/);
});

test('options are checked', () => {
  assert.throws(() => new ExpositionStream({ format: 'prometheus', maxLineBytes: 0 }), RangeError);
  assert.throws(
    () => new ExpositionStream({ format: 'json' as 'prometheus' }),
    /format must be prometheus or openmetrics/,
  );
});

test('the result without collect has no families, and counts families and bytes', () => {
  const input = fixture('prometheus.txt');
  const r = parseExposition(input, { format: 'prometheus' });
  assert.equal(r.families, null);
  assert.deepStrictEqual(r.warnings, []);
  assert.equal(r.bytes, input.length);
  assert.equal(r.familyCount, 17);
  assert.equal(r.format, 'prometheus');
});

test('strings and Uint8Arrays parse alike', () => {
  const text = 'a{b="ü"} 1\n';
  assert.deepStrictEqual(
    parseExposition(text, { format: 'prometheus', collect: 'families' }),
    parseExposition(bytes(text), { format: 'prometheus', collect: 'families' }),
  );
});

test('a label named __proto__ is an ordinary key', () => {
  const r = parseExposition('a{__proto__="x"} 1\n', { format: 'prometheus', collect: 'families' });
  const labels = r.families?.[0]?.samples[0]?.labels;
  assert.deepStrictEqual(Object.keys(labels ?? {}), ['__proto__']);
  assert.equal(Object.getPrototypeOf(labels), Object.prototype);
  assert.equal(JSON.stringify(labels), '{"__proto__":"x"}');
});

test('detectFormat looks for a final # EOF line', () => {
  assert.equal(detectFormat('a 1\n# EOF\n'), 'openmetrics');
  assert.equal(detectFormat('a 1\n# EOF'), 'openmetrics');
  assert.equal(detectFormat('# EOF'), 'openmetrics');
  assert.equal(detectFormat(bytes('a 1\n# EOF\n')), 'openmetrics');
  assert.equal(detectFormat('a 1\n'), 'prometheus');
  assert.equal(detectFormat(''), 'prometheus');
  assert.equal(detectFormat('a 1\n# EOF\n\n'), 'prometheus');
  assert.equal(detectFormat('a 1 # EOF\n'), 'prometheus');
  assert.equal(detectFormat(bytes('x# EOF')), 'prometheus');
});

test('the pull cursor reads entries one by one and builds strings only when asked', () => {
  const cursor = createCursor('prometheus');
  const input = bytes('# HELP a Help.\n# TYPE a gauge\na{b="c"} 1.5 10\n# note\n\n');
  cursor.reset(input, 0, input.length, 1);
  assert.equal(cursor.next(), Entry.Help);
  assert.equal(cursor.metaName(), 'a');
  assert.equal(cursor.helpText(), 'Help.');
  assert.equal(cursor.next(), Entry.Type);
  assert.equal(cursor.next(), Entry.Sample);
  assert.equal(cursor.line, 3);
  assert.equal(cursor.labelCount, 1);
  assert.equal(cursor.value, 1.5);
  assert.equal(cursor.timestampMs, 10);
  assert.equal(cursor.labelName(0), 'b');
  assert.equal(cursor.labelValue(0), 'c');
  assert.equal(cursor.next(), Entry.Comment);
  assert.equal(cursor.commentText(), '# note');
  assert.equal(cursor.next(), Entry.End);
  assert.equal(cursor.line, 5);
});

test('the cursor reports a failure as a value', () => {
  const cursor = createCursor('openmetrics');
  const input = bytes('a 1\nb{c} 2\n');
  cursor.reset(input, 0, input.length, 1);
  assert.equal(cursor.next(), Entry.Sample);
  assert.equal(cursor.next(), Entry.Invalid);
  assert.deepStrictEqual(cursor.failure, {
    line: 2,
    column: 4,
    message: 'expected "=" after the label name, got "}"',
  });
});

test('text 0.0.4 families may resume; a sample name with a suffix finds its family', () => {
  const r = parseExposition(
    '# TYPE h histogram\nh_bucket{le="1"} 1\nother 1\nh_bucket{le="+Inf"} 2\nh_count 2\nh_sum 3\n',
    { format: 'prometheus', collect: 'families' },
  );
  assert.deepStrictEqual(
    r.families?.map((f) => [f.name, f.samples.map((s) => s.name)]),
    [
      ['h', ['h_bucket', 'h_bucket', 'h_count', 'h_sum']],
      ['other', ['other']],
    ],
  );
});

test('samples without metadata are families of unknown type, one per name', () => {
  const r = parseExposition('x_bucket{le="1"} 1\nx_sum 1\nx_count 1\n', {
    format: 'prometheus',
    collect: 'families',
  });
  assert.deepStrictEqual(
    r.families?.map((f) => [f.name, f.type]),
    [
      ['x_bucket', 'unknown'],
      ['x_sum', 'unknown'],
      ['x_count', 'unknown'],
    ],
  );
});

test('series counts every sample line, exemplars never', () => {
  const r = parseExposition(fixture('openmetrics.txt'), { format: 'openmetrics' });
  assert.equal(r.series, 27);
});
