/** The lint pass (`lint: true`): promtool-like warnings that never make an exposition invalid. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseExposition } from '#lib/exposition/index.ts';
import type { ExpositionFormat } from '#lib/exposition/index.ts';

function lint(input: string, format: ExpositionFormat = 'prometheus'): string[] {
  const r = parseExposition(input, { format, lint: true });
  assert.equal(r.error, null);
  return r.warnings;
}

test('no warnings for a tidy exposition, and none at all without lint', () => {
  const tidy =
    '# HELP c_total Requests.\n# TYPE c_total counter\nc_total{a="1"} 3\n' +
    '# HELP h Latency.\n# TYPE h histogram\nh_bucket{le="0.1"} 1\nh_bucket{le="+Inf"} 2\nh_sum 1\nh_count 2\n';
  assert.deepStrictEqual(lint(tidy), []);
  const r = parseExposition('# TYPE c counter\nc 1\nc 1\n', { format: 'prometheus' });
  assert.deepStrictEqual(r.warnings, []);
});

test('missing HELP', () => {
  assert.deepStrictEqual(lint('# TYPE g gauge\ng 1\n'), ['line 1: "g" has no HELP']);
});

test('a text 0.0.4 counter without _total (promlint)', () => {
  assert.deepStrictEqual(lint('# HELP c C.\n# TYPE c counter\nc 1\n'), [
    'line 1: counter "c" should have the suffix "_total"',
  ]);
});

test('an OpenMetrics counter sample without _total', () => {
  assert.deepStrictEqual(lint('# HELP c C.\n# TYPE c counter\nc 1\n# EOF\n', 'openmetrics'), [
    'line 3: counter sample "c" should be named "c_total"',
  ]);
  assert.deepStrictEqual(
    lint('# HELP c C.\n# TYPE c counter\nc_total 1\n# EOF\n', 'openmetrics'),
    [],
  );
});

test('duplicate series, whatever the label order', () => {
  assert.deepStrictEqual(
    lint('# HELP g G.\n# TYPE g gauge\ng{a="1",b="2"} 1\ng{b="2",a="1"} 2\n'),
    ['line 4: duplicate series g{a="1",b="2"} (first on line 3)'],
  );
});

test('histogram buckets: non-cumulative, and no +Inf', () => {
  const h =
    '# HELP h H.\n# TYPE h histogram\n' +
    'h_bucket{x="a",le="0.1"} 5\nh_bucket{x="a",le="0.5"} 3\nh_bucket{x="a",le="+Inf"} 6\n' +
    'h_bucket{x="b",le="1"} 1\n';
  assert.deepStrictEqual(lint(h), [
    'line 3: histogram "h" buckets are not cumulative for {x="a"}: le="0.5" counts 3, less than le="0.1" with 5',
    'line 6: histogram "h" has no le="+Inf" bucket for {x="b"}',
  ]);
});

test('odd buckets: no le, or an le that is not a number', () => {
  assert.deepStrictEqual(
    lint('# HELP h H.\n# TYPE h histogram\nh_bucket 1\nh_bucket{le="x"} 1\n'),
    [
      'line 3: histogram bucket h_bucket has no "le" label',
      'line 4: histogram bucket h_bucket{le="x"} has le="x", not a number',
    ],
  );
});

test('a HELP backslash that is no escape', () => {
  assert.deepStrictEqual(lint('# HELP g a \\q b\n# TYPE g gauge\ng 1\n'), [
    'line 1: HELP of "g" has a backslash that is not an escape (\\\\ or \\n); Prometheus keeps it as it is',
  ]);
});

test('warnings are capped', () => {
  const lines = ['# HELP g G.', '# TYPE g gauge'];
  for (let i = 0; i < 300; i++) lines.push('g 1');
  const w = lint(`${lines.join('\n')}\n`);
  assert.equal(w.length, 201);
  assert.equal(w[200], '… and 99 more warnings');
});

test('an OpenMetrics counter family named with _total', () => {
  assert.deepStrictEqual(
    lint('# HELP c_total C.\n# TYPE c_total counter\nc_total 1\n# EOF\n', 'openmetrics'),
    ['line 1: OpenMetrics counter "c_total" should be named without the suffix "_total"'],
  );
});

test('exemplar labels longer than 128 characters', () => {
  const long = 'x'.repeat(127); // with "id", 129 characters; the next line has exactly 128
  const input = `# HELP c C.\n# TYPE c counter\nc_total 1 # {id="${long}"} 1\nc_total{a="b"} 1 # {i="${'y'.repeat(127)}"} 1\n# EOF\n`;
  assert.deepStrictEqual(lint(input, 'openmetrics'), [
    'line 3: exemplar labels are 129 characters long, more than the 128 OpenMetrics allows',
  ]);
});
