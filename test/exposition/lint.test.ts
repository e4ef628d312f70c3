/** The lint pass (`lint: true`): promtool-like warnings that never make an exposition invalid. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseExposition } from '#lib/exposition/index.ts';
import type { ExpositionFormat } from '#lib/exposition/index.ts';
import { buildCorpus } from '../../bench/exposition-corpus.ts';

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

/**
 * The lint pass keeps no strings per sample (pair ids, bucket groups checked as they come): hold
 * it to a plain reference that compares decoded label sets, on random histograms whose buckets
 * come in any order, repeat, and spell one bound two ways (`1`, `1.0`).
 */
test('duplicates and bucket order match a reference built from strings', () => {
  const pairs = { a: ['x', 'y', 'z\\"q'], b: ['1', '2'] };
  const les = ['0.1', '1', '1.0', '+Inf'];
  const sampleArb = fc.record({
    name: fc.constantFrom('h_bucket', 'h_sum', 'g'),
    a: fc.constantFrom(...pairs.a),
    b: fc.option(fc.constantFrom(...pairs.b), { nil: undefined }),
    le: fc.constantFrom(...les),
    swap: fc.boolean(),
    value: fc.nat(9),
  });
  fc.assert(
    fc.property(fc.array(sampleArb, { maxLength: 40 }), (samples) => {
      const head = ['# HELP h H.', '# TYPE h histogram', '# HELP g G.', '# TYPE g gauge'];
      const lines = [...head];
      const expected: { line: number; text: string }[] = [];
      const seen = new Map<string, number>();
      const groups = new Map<
        string,
        { line: number; where: string; les: number[]; counts: number[]; texts: string[] }
      >();
      for (const s of samples) {
        const labels: [string, string][] = [['a', s.a]];
        if (s.b !== undefined) labels.push(['b', s.b]);
        if (s.name === 'h_bucket') labels.push(['le', s.le]);
        if (s.swap) labels.reverse();
        const text = labels.map(([k, v]) => `${k}="${v}"`).join(',');
        lines.push(`${s.name}{${text}} ${s.value}`);
        const line = lines.length;
        const decoded = labels.map(([k, v]) => [k, v.replace(/\\"/g, '"')] as const);
        const described = (skip: string | null): string => {
          const ps = decoded
            .filter(([k]) => k !== skip)
            .map(([k, v]) => `${k}=${JSON.stringify(v)}`);
          ps.sort();
          return ps.length === 0 ? '' : `{${ps.join(',')}}`;
        };
        const key = `${s.name}${described(null)}`;
        const first = seen.get(key);
        if (first === undefined) seen.set(key, line);
        else expected.push({ line, text: `duplicate series ${key} (first on line ${first})` });
        if (s.name !== 'h_bucket') continue;
        const gk = described('le');
        let group = groups.get(gk);
        if (group === undefined) {
          group = { line, where: gk === '' ? '' : ` for ${gk}`, les: [], counts: [], texts: [] };
          groups.set(gk, group);
        }
        group.les.push(s.le === '+Inf' ? Infinity : Number(s.le));
        group.counts.push(s.value);
        group.texts.push(s.le);
      }
      for (const g of groups.values()) {
        if (!g.les.includes(Infinity)) {
          expected.push({ line: g.line, text: `histogram "h" has no le="+Inf" bucket${g.where}` });
        }
        const order = g.les.map((_, i) => i).sort((x, y) => g.les[x]! - g.les[y]!);
        for (let k = 1; k < order.length; k++) {
          const [p, c] = [order[k - 1]!, order[k]!];
          if (g.counts[c]! < g.counts[p]!) {
            expected.push({
              line: g.line,
              text: `histogram "h" buckets are not cumulative${g.where}: le=${JSON.stringify(g.texts[c])} counts ${g.counts[c]}, less than le=${JSON.stringify(g.texts[p])} with ${g.counts[p]}`,
            });
            break;
          }
        }
      }
      if (!samples.some((s) => s.name.startsWith('h')))
        expected.push({ line: 1, text: '"h" has no HELP' });
      expected.sort((x, y) => x.line - y.line);
      const got = lint(`${lines.join('\n')}\n`).filter((w) => !w.includes('has no HELP'));
      assert.deepStrictEqual(
        got,
        expected
          .filter((w) => !w.text.includes('has no HELP'))
          .slice(0, 200)
          .map((w) => `line ${w.line}: ${w.text}`),
      );
    }),
    { numRuns: 300, seed: 15 },
  );
});

test('a large exposition: no false duplicate, and every repeated line found', () => {
  // Large enough for every table to grow and rehash more than once.
  const { text, series } = buildCorpus({ targetBytes: 1_500_000, seed: 3 });
  assert.deepStrictEqual(lint(text), []);
  const lines = text.split('\n');
  const picks = [
    lines.findIndex((l) => l.startsWith('apiserver_request_duration_seconds_bucket{')) + 5,
    lines.findIndex((l) => l.startsWith('apiserver_request_total{')) + 7,
    lines.findIndex((l) => l.startsWith('workqueue_longest_running_processor_seconds{')) + 3,
  ];
  const repeated = `${text}${picks.map((i) => `${lines[i]!}\n`).join('')}`;
  const r = parseExposition(repeated, { format: 'prometheus', lint: true });
  assert.equal(r.series, series + 3);
  assert.deepStrictEqual(
    r.warnings.map((w) => w.replace(/ duplicate series .*\(/, ' duplicate series (')),
    picks.map((i, k) => `line ${lines.length + k}: duplicate series (first on line ${i + 1})`),
  );
});
