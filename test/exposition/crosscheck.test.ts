/**
 * Cross-checks against other parsers, where they are comparable: `promtool check metrics` (Debian's
 * Prometheus 2.42, expfmt underneath) must accept what we accept and refuse what we refuse for the
 * cases both define, and parse-prometheus-text-format must find as many samples as we count.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseExposition } from '#lib/exposition/index.ts';
import { buildCorpus } from '../../bench/exposition-corpus.ts';

const require = createRequire(import.meta.url);
const ppft = require('parse-prometheus-text-format') as (text: string) => PpftFamily[];

interface PpftFamily {
  name: string;
  type: string;
  metrics: unknown[];
}

/**
 * What parse-prometheus-text-format gives that is comparable: the family names and types, and the
 * samples of counters, gauges and untyped families (one metric each). Its histograms and summaries
 * are not comparable: it folds every label set of a family into one object keyed by `le` or
 * `quantile`, and drops `_sum` and `_count` when they carry labels.
 */
function ppftView(text: string): { families: string[]; simple: number } {
  const families: string[] = [];
  let simple = 0;
  for (const f of ppft(text)) {
    families.push(`${f.name}:${f.type.toLowerCase().replace('untyped', 'unknown')}`);
    if (f.type !== 'HISTOGRAM' && f.type !== 'SUMMARY') simple += f.metrics.length;
  }
  return { families, simple };
}

/** The same view of our result. */
function ourView(text: string): { families: string[]; simple: number } {
  const r = parseExposition(text, { format: 'prometheus', collect: 'families' });
  assert.equal(r.error, null, JSON.stringify(r.error));
  const families = (r.families ?? []).map((f) => `${f.name}:${f.type}`);
  let simple = 0;
  for (const f of r.families ?? []) {
    if (f.type !== 'histogram' && f.type !== 'summary') simple += f.samples.length;
  }
  return { families, simple };
}

const promtool = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
const promtoolMissing = promtool.error !== undefined;
if (promtoolMissing && process.env.CI === 'true') {
  test('promtool is installed in CI', () => {
    assert.fail(
      `promtool is required in CI (apt-get install prometheus): ${String(promtool.error)}`,
    );
  });
}
const skipPromtool = promtoolMissing
  ? 'promtool is not installed (apt-get install prometheus); skipping the promtool cross-checks'
  : false;
if (skipPromtool !== false) console.log(`# ${skipPromtool}`);

/** promtool check metrics: 0 clean, 3 lint problems only, 1 a parse error. */
function promtoolAccepts(text: string): boolean {
  const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  if (r.status !== 0 && r.status !== 3 && r.status !== 1) {
    throw new Error(`promtool exited ${String(r.status)}: ${r.stderr}`);
  }
  return r.status !== 1;
}

test('the generated kube-apiserver corpus: the generator, the npm parser and ours agree', () => {
  for (const seed of [1, 2, 3]) {
    const corpus = buildCorpus({ targetBytes: 200_000, seed });
    const r = parseExposition(corpus.text, { format: 'prometheus' });
    assert.equal(r.error, null);
    assert.equal(r.series, corpus.series);
    assert.equal(r.familyCount, corpus.families);
    assert.deepStrictEqual(ourView(corpus.text), ppftView(corpus.text));
  }
});

test('promtool accepts the generated corpus', { skip: skipPromtool }, () => {
  assert.equal(promtoolAccepts(buildCorpus({ targetBytes: 200_000, seed: 1 }).text), true);
});

// A random valid text 0.0.4 exposition: families of every type, escapes, specials, timestamps.
const name = fc.stringMatching(/^[a-z_][a-z0-9_]{0,8}$/);
const labelValue = fc
  .array(
    fc.oneof(
      fc.constantFrom('\\\\', '\\"', '\\n', 'ü', '€', ' ', ',', '}', '{', '=', '#'),
      fc.stringMatching(/^[a-zA-Z0-9./:-]{1,6}$/),
    ),
    { maxLength: 5 },
  )
  .map((parts) => parts.join(''));
const value = fc.oneof(
  fc.constantFrom('NaN', '+Inf', '-Inf', '0', '-0', '1e-9', '1.5E+10', '.5', '3.'),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => String(d)),
  fc.integer().map(String),
);
const labelSet = fc
  .uniqueArray(fc.stringMatching(/^[a-k][a-z0-9_]{0,4}$/), { maxLength: 4 })
  .chain((names) => fc.tuple(...names.map((n) => labelValue.map((v) => `${n}="${v}"`))));
const timestamp = fc.option(fc.integer({ min: 0, max: 2 ** 45 }).map(String), { nil: undefined });

const family = fc.record({
  name,
  type: fc.constantFrom('counter', 'gauge', 'histogram', 'summary', 'untyped'),
  // Non-empty: parse-prometheus-text-format refuses `# HELP name` with no text (Prometheus takes it).
  help: fc.option(fc.stringMatching(/^[a-zA-Z0-9][a-zA-Z0-9 .,]{0,19}$/), { nil: undefined }),
  series: fc.array(fc.tuple(labelSet, value, timestamp), { minLength: 1, maxLength: 3 }),
});

interface GeneratedFamily {
  name: string;
  type: string;
  help: string | undefined;
  series: [string[], string, string | undefined][];
}

function render(families: GeneratedFamily[]): { text: string; series: number } {
  const lines: string[] = [];
  let series = 0;
  families.forEach((f, i) => {
    const base = `${f.name}_${i}${f.type === 'counter' ? '_total' : ''}`;
    if (f.help !== undefined) lines.push(`# HELP ${base} ${f.help}`);
    lines.push(`# TYPE ${base} ${f.type}`);
    f.series.forEach(([labels, v, ts], j) => {
      const own = [...labels.filter((l) => !l.startsWith('le=')), `series="${j}"`];
      const lbl = (extra: string[] = []): string => `{${[...own, ...extra].join(',')}}`;
      const t = ts === undefined ? '' : ` ${ts}`;
      if (f.type === 'histogram') {
        lines.push(
          `${base}_bucket${lbl(['le="0.5"'])} 1${t}`,
          `${base}_bucket${lbl(['le="+Inf"'])} 2${t}`,
        );
        lines.push(`${base}_sum${lbl()} ${v}${t}`, `${base}_count${lbl()} 2${t}`);
        series += 4;
      } else if (f.type === 'summary') {
        lines.push(`${base}${lbl(['quantile="0.9"'])} ${v}${t}`);
        lines.push(`${base}_sum${lbl()} 1${t}`, `${base}_count${lbl()} 2${t}`);
        series += 3;
      } else {
        lines.push(`${base}${lbl()} ${v}${t}`);
        series += 1;
      }
    });
  });
  return { text: `${lines.join('\n')}\n`, series };
}

test('random valid expositions: we accept them, count every line, and agree with the npm parser', () => {
  fc.assert(
    fc.property(fc.array(family, { minLength: 1, maxLength: 6 }), (families) => {
      const { text, series } = render(families);
      const r = parseExposition(text, { format: 'prometheus' });
      assert.equal(r.error, null, JSON.stringify(r.error));
      assert.equal(r.series, series);
      assert.deepStrictEqual(ourView(text), ppftView(text));
    }),
    { numRuns: 300 },
  );
});

test('random valid expositions: promtool accepts them too', { skip: skipPromtool }, () => {
  fc.assert(
    fc.property(fc.array(family, { minLength: 1, maxLength: 6 }), (families) => {
      const { text } = render(families);
      assert.equal(promtoolAccepts(text), true, text);
    }),
    { numRuns: 25 },
  );
});

/** Inputs both parsers define, and whether they are valid. */
const AGREED: [string, boolean][] = [
  ['a 1\n', true],
  ['a{b="c",} 1 123\n', true],
  ['a { b = "c" , d="e" } 1\n', true],
  ['# HELP a x\n# TYPE a gauge\na 1\n', true],
  ['a{b="\\\\ \\" \\n"} NaN\n', true],
  ['# TYPE a counter\n# TYPE a counter\na 1\n', false],
  ['# HELP a x\n# HELP a y\na 1\n', false],
  ['a 1\n# TYPE a gauge\n', false],
  ['a{b="\\x"} 1\n', false],
  ['a{b="c} 1\n', false],
  ['a{b} 1\n', false],
  ['a abc\n', false],
  ['a\n', false],
  ['# TYPE a nosuchtype\n', false],
  ['a{b="1",b="2"} 1\n', false],
];

test('promtool and this parser agree on the cases both define', { skip: skipPromtool }, () => {
  for (const [input, valid] of AGREED) {
    const ours = parseExposition(input, { format: 'prometheus' }).error === null;
    assert.equal(ours, valid, `ours on ${JSON.stringify(input)}`);
    assert.equal(promtoolAccepts(input), valid, `promtool on ${JSON.stringify(input)}`);
  }
});
