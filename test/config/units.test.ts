import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDuration, parseDuration, parseSize } from '#lib/config/units.ts';

// Expected values from prometheus/common model.ParseDuration and alecthomas/units ParseBase2Bytes.
test('durations read as Prometheus reads them', () => {
  const table: [string, number | undefined][] = [
    ['0', 0],
    ['10s', 10_000],
    ['1m30s', 90_000],
    ['500ms', 500],
    ['1h', 3_600_000],
    ['1d', 86_400_000],
    ['1w', 604_800_000],
    ['1y', 31_536_000_000],
    ['2h45m', 9_900_000],
    ['1s500ms', 1500],
    ['', undefined],
    ['10', undefined],
    ['1.5s', undefined],
    ['30s1m', undefined],
    ['-1s', undefined],
    ['1 s', undefined],
  ];
  for (const [text, ms] of table) assert.equal(parseDuration(text), ms, text);
});

test('durations print as Prometheus prints them', () => {
  assert.equal(formatDuration(90_000), '1m30s');
  assert.equal(formatDuration(500), '500ms');
  assert.equal(formatDuration(0), '0s');
});

test('sizes read as Prometheus reads body_size_limit', () => {
  const table: [string, number | undefined][] = [
    ['0', 0],
    ['64MiB', 64 * 2 ** 20],
    ['64MB', 64 * 2 ** 20],
    ['1KB', 1024],
    ['512B', 512],
    ['1GiB512MiB', 1.5 * 2 ** 30],
    ['1.5KiB', 1536],
    ['1024', undefined],
    ['10XB', undefined],
    ['MiB', undefined],
    ['', undefined],
  ];
  for (const [text, bytes] of table) assert.equal(parseSize(text), bytes, text);
});
