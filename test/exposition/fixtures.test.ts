/**
 * One realistic fixture per format, full of edge cases, checked against the ordered entries it
 * must produce (Prometheus `promparse_test.go` style). Expected values are worked out from the
 * format descriptions, not printed by the parser.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseExposition } from '#lib/exposition/index.ts';
import { entries, fixture } from './helpers.ts';
import type { ParsedEntry } from './helpers.ts';

const s = (
  name: string,
  labels: Record<string, string>,
  value: number,
  timestampMs: number | null = null,
  exemplar?: unknown,
): ParsedEntry => {
  const e: ParsedEntry = {
    kind: 'sample',
    name,
    labels: Object.entries(labels),
    value,
    timestampMs,
  };
  if (exemplar !== undefined) e.exemplar = exemplar;
  return e;
};
const help = (name: string, text: string): ParsedEntry => ({ kind: 'help', name, text });
const type = (name: string, t: string): ParsedEntry => ({ kind: 'type', name, type: t });
const unit = (name: string, u: string): ParsedEntry => ({ kind: 'unit', name, unit: u });
const comment = (text: string): ParsedEntry => ({ kind: 'comment', text });

const PROMETHEUS: ParsedEntry[] = [
  comment('# A comment at the top, with a \\ backslash, "quotes" and ünïcödé.'),
  help('http_requests_total', 'The total number of HTTP requests.'),
  type('http_requests_total', 'counter'),
  s('http_requests_total', { method: 'post', code: '200' }, 1027, 1395066363000),
  s('http_requests_total', { method: 'post', code: '400' }, 3, 1395066363000),
  comment('# Escaping in label values:'),
  // \\ is a backslash, \n a line feed, \" a quote (text format 0.0.4, "label_value").
  s(
    'msdos_file_access_time_seconds',
    { path: 'C:\\DIR\\FILE.TXT', error: 'Cannot find file:\n"FILE.TXT"' },
    1458255915,
  ),
  comment('#Comment without a blank after the hash'),
  s('metric_without_timestamp_and_labels', {}, 12.47),
  help('http_request_duration_seconds', 'A histogram of the request duration.'),
  type('http_request_duration_seconds', 'histogram'),
  s('http_request_duration_seconds_bucket', { le: '0.05' }, 24054),
  s('http_request_duration_seconds_bucket', { le: '0.1' }, 33444),
  s('http_request_duration_seconds_bucket', { le: '+Inf' }, 144320),
  s('http_request_duration_seconds_sum', {}, 53423),
  s('http_request_duration_seconds_count', {}, 144320),
  type('rpc_duration_seconds', 'summary'),
  help('rpc_duration_seconds', 'A summary of the RPC duration in seconds.'),
  s('rpc_duration_seconds', { quantile: '0.5' }, 4773),
  s('rpc_duration_seconds', { quantile: '0.99' }, 76656),
  s('rpc_duration_seconds_sum', {}, 17560473),
  s('rpc_duration_seconds_count', {}, 2693),
  comment('# A comment after leading blanks'),
  s('indented_gauge', {}, 1),
  // Text 0.0.4 help escapes are \\ and \n only; Prometheus keeps any other backslash.
  help('go_gc_duration_seconds', 'Escapes: back\\slash, new\nline, and \\q kept as is.'),
  type('go_gc_duration_seconds', 'summary'),
  s('go_gc_duration_seconds', { quantile: '0' }, 4.9351e-5),
  s('go_gc_duration_seconds', { quantile: '0.25' }, 7.424100000000001e-5),
  s('go_gc_duration_seconds', { quantile: '0.5', a: 'b' }, 8.3835e-5),
  help('nohelp1', ''),
  help('nohelp2', ''),
  // promparse.go drops exactly one character after the name.
  help('untyped_metric', ' Two blanks: the second one is kept.'),
  type('untyped_metric', 'unknown'),
  s('untyped_metric', {}, -0),
  s('special_values', { v: 'nan' }, NaN),
  s('special_values', { v: 'inf' }, Infinity),
  s('special_values', { v: 'ninf' }, -Infinity),
  s('special_values', { v: 'exp' }, 0.001),
  s('special_values', { v: 'dot' }, 0.5),
  s('special_values', { v: 'trail' }, 5),
  s('special_values', { v: 'sign' }, 12),
  s('special_values', { v: 'max' }, Number.MAX_VALUE),
  s('special_values', { v: 'denormal' }, Number.MIN_VALUE),
  // 0.1 is the double nearest 0.1000000000000000055511151231257827.
  s('special_values', { v: 'long' }, 0.1),
  s('special_values', { v: 'zeros' }, 123.45),
  s('my.dotted.metric', { 'label.with.dots': 'v', plain: 'ü' }, 1, 1700000000000),
  s('unicode_label', { city: 'Zürich', emoji: '🎉' }, 2),
  s('some:recording:rule_rate5m', {}, 0.5),
  s('_leading_underscore', { _label: 'x' }, 1),
  s('http_requests_total', { method: 'get', code: '200' }, 5),
  s('empty_labels', {}, 0),
  s('last_line_without_newline', {}, 42),
];

const OPENMETRICS: ParsedEntry[] = [
  help('acme_http_router_request_seconds', "Latency through all of ACME's HTTP request router."),
  type('acme_http_router_request_seconds', 'summary'),
  unit('acme_http_router_request_seconds', 'seconds'),
  s('acme_http_router_request_seconds_sum', { path: '/api/v1', method: 'GET' }, 9036.32),
  s('acme_http_router_request_seconds_count', { path: '/api/v1', method: 'GET' }, 807283),
  s('acme_http_router_request_seconds_created', { path: '/api/v1', method: 'GET' }, 1605281325),
  s(
    'acme_http_router_request_seconds',
    { quantile: '0.5', path: '/api/v1', method: 'GET' },
    0.0123,
  ),
  help('go_goroutines', 'Number of goroutines that currently exist.'),
  type('go_goroutines', 'gauge'),
  // Seconds with a fraction, reported in milliseconds.
  s('go_goroutines', {}, 69, 1520879607789),
  type('process_cpu_seconds', 'counter'),
  unit('process_cpu_seconds', 'seconds'),
  help('process_cpu_seconds', 'Total user and system CPU time spent in seconds.'),
  s('process_cpu_seconds_total', {}, 4200722.46, null, {
    labels: { trace_id: 'KOO5S4vxi0o' },
    value: 0.67,
    timestampMs: null,
  }),
  s('process_cpu_seconds_created', {}, 1605281325),
  type('foo', 'histogram'),
  s('foo_bucket', { le: '0.0' }, 0),
  s('foo_bucket', { le: '1e-05' }, 0),
  s('foo_bucket', { le: '0.1' }, 8, null, { labels: {}, value: 0.054, timestampMs: null }),
  s('foo_bucket', { le: '1.0' }, 11, null, {
    labels: { trace_id: 'KOO5S4vxi0o' },
    value: 0.67,
    timestampMs: 1500000000000,
  }),
  s('foo_bucket', { le: '+Inf' }, 17),
  s('foo_count', {}, 17),
  s('foo_sum', {}, 324789.3),
  s('foo_created', {}, 1520430000.123),
  type('bar', 'gaugehistogram'),
  s('bar_bucket', { le: '1' }, 3),
  s('bar_bucket', { le: '+Inf' }, 5),
  s('bar_gcount', {}, 5),
  s('bar_gsum', {}, -2.5),
  type('build', 'info'),
  s('build_info', { version: '1.2.3', revision: 'abc' }, 1),
  type('state', 'stateset'),
  s('state', { state: 'a' }, 1),
  s('state', { state: 'b' }, 0),
  type('mystery', 'unknown'),
  // -1.5 s is -1500 ms.
  s('mystery', {}, 3.14, -1500),
  // OpenMetrics help escapes are those of label values: \\, \n and \".
  help('escapes', 'Help with \\ and \n and " escapes, and \\q kept.'),
  type('escapes', 'gauge'),
  s('escapes', { a: 'quote"', b: 'back\\slash', c: 'new\nline' }, 1),
  s('utf8.metric', { 'label ü': 'ö' }, 1),
  help('empty_help', ''),
  type('empty_help', 'gauge'),
  unit('empty_help', ''),
  // 1.0005 * 1000 is 1000.4999999999999 in float64; Go's int64() truncates it to 1000.
  s('empty_help', {}, 0, 1000),
  s('nan_values', { v: 'nan' }, NaN, 0),
  { kind: 'eof' },
];

test('the text 0.0.4 fixture gives exactly its entries, in order', () => {
  assert.deepStrictEqual(entries(fixture('prometheus.txt'), 'prometheus'), PROMETHEUS);
});

test('the OpenMetrics fixture gives exactly its entries, in order', () => {
  assert.deepStrictEqual(entries(fixture('openmetrics.txt'), 'openmetrics'), OPENMETRICS);
});

test('the text 0.0.4 fixture groups its samples into families', () => {
  const r = parseExposition(fixture('prometheus.txt'), {
    format: 'prometheus',
    collect: 'families',
  });
  assert.equal(r.error, null);
  const samples = PROMETHEUS.filter((e) => e.kind === 'sample');
  assert.equal(r.series, samples.length);
  const shape = r.families?.map((f) => [f.name, f.type, f.samples.length]);
  assert.deepStrictEqual(shape, [
    // The later http_requests_total{method="get"} line joins its family (expfmt does the same).
    ['http_requests_total', 'counter', 3],
    ['msdos_file_access_time_seconds', 'unknown', 1],
    ['metric_without_timestamp_and_labels', 'unknown', 1],
    ['http_request_duration_seconds', 'histogram', 5],
    ['rpc_duration_seconds', 'summary', 4],
    ['indented_gauge', 'unknown', 1],
    ['go_gc_duration_seconds', 'summary', 3],
    ['nohelp1', 'unknown', 0],
    ['nohelp2', 'unknown', 0],
    ['untyped_metric', 'unknown', 1],
    ['special_values', 'unknown', 11],
    ['my.dotted.metric', 'unknown', 1],
    ['unicode_label', 'unknown', 1],
    ['some:recording:rule_rate5m', 'unknown', 1],
    ['_leading_underscore', 'unknown', 1],
    ['empty_labels', 'unknown', 1],
    ['last_line_without_newline', 'unknown', 1],
  ]);
  assert.equal(r.familyCount, 17);
  const special = r.families?.find((f) => f.name === 'special_values');
  assert.deepStrictEqual(
    special?.samples.slice(0, 3).map((x) => x.value),
    ['NaN', '+Inf', '-Inf'],
  );
});

test('the OpenMetrics fixture groups _created, _gsum, _info and quantiles into families', () => {
  const r = parseExposition(fixture('openmetrics.txt'), {
    format: 'openmetrics',
    collect: 'families',
  });
  assert.equal(r.error, null);
  assert.equal(r.series, OPENMETRICS.filter((e) => e.kind === 'sample').length);
  const shape = r.families?.map((f) => [f.name, f.type, f.unit, f.samples.length]);
  assert.deepStrictEqual(shape, [
    ['acme_http_router_request_seconds', 'summary', 'seconds', 4],
    ['go_goroutines', 'gauge', '', 1],
    ['process_cpu_seconds', 'counter', 'seconds', 2],
    ['foo', 'histogram', '', 8],
    ['bar', 'gaugehistogram', '', 4],
    ['build', 'info', '', 1],
    ['state', 'stateset', '', 2],
    ['mystery', 'unknown', '', 1],
    ['escapes', 'gauge', '', 1],
    ['utf8.metric', 'unknown', '', 1],
    ['empty_help', 'gauge', '', 1],
    ['nan_values', 'unknown', '', 1],
  ]);
  const cpu = r.families?.[2];
  assert.deepStrictEqual(cpu?.samples[0], {
    name: 'process_cpu_seconds_total',
    labels: {},
    value: 4200722.46,
    timestampMs: null,
    exemplar: { labels: { trace_id: 'KOO5S4vxi0o' }, value: 0.67, timestampMs: null },
  });
  const created = r.families?.[2]?.samples[1];
  assert.ok(created);
  assert.equal('exemplar' in created, false);
});

test('the same text parses as OpenMetrics or text 0.0.4 only where the formats agree', () => {
  // The OpenMetrics fixture is not text 0.0.4: `# UNIT` is only a comment there, but text 0.0.4
  // timestamps are integer milliseconds (promlex.l `{D}+`).
  const r = parseExposition(fixture('openmetrics.txt'), { format: 'prometheus' });
  assert.deepStrictEqual(r.error, {
    line: 10,
    column: 28,
    message: 'expected the end of the line after the timestamp, got ".789"',
  });
  assert.equal(r.series, 4);
});
