import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createEmfSink, dimensionValue, emfDocument } from '#lib/sinks/index.ts';
import { emfViolations } from './emf-spec.ts';
import { makeFailedClusterResult, makeResult } from './fixtures.ts';

function capture(namespace?: string): { lines: string[]; sink: ReturnType<typeof createEmfSink> } {
  const lines: string[] = [];
  const sink = createEmfSink({
    ...(namespace ? { namespace } : {}),
    write: (line) => lines.push(line),
    now: () => 1_750_000_000_000,
  });
  return { lines, sink };
}

test('emf: one valid document per result, one line each', async () => {
  const { lines, sink } = capture();
  sink.write({ result: makeResult(), forwarded: [] });
  sink.write({ result: makeFailedClusterResult(), forwarded: [] });
  await sink.flush();
  assert.equal(lines.length, 2);
  for (const line of lines) {
    assert.ok(line.endsWith('\n') && !line.slice(0, -1).includes('\n'));
    assert.deepEqual(emfViolations(JSON.parse(line)), []);
  }
  const plain = JSON.parse(lines[0]!) as Record<string, unknown>;
  assert.deepEqual(plain, {
    _aws: {
      Timestamp: 1_750_000_000_000,
      CloudWatchMetrics: [
        {
          Namespace: 'ScrapeCheck',
          Dimensions: [
            ['Cluster', 'Job'],
            ['Cluster', 'Job', 'Reason'],
          ],
          Metrics: [
            { Name: 'ScrapeSuccess', Unit: 'None' },
            { Name: 'ScrapeDuration', Unit: 'Milliseconds' },
            { Name: 'SeriesScraped', Unit: 'Count' },
            { Name: 'CertDaysLeft', Unit: 'None' },
          ],
        },
      ],
    },
    Cluster: 'none',
    Job: 'etcd',
    Reason: 'ok',
    Instance: '127.0.0.1:2379',
    ScrapeSuccess: 1,
    ScrapeDuration: 14.2,
    SeriesScraped: 42,
    CertDaysLeft: 37,
  });
  const failed = JSON.parse(lines[1]!) as Record<string, unknown>;
  assert.equal(failed.Cluster, 'prod');
  assert.equal(failed.Job, 'apiserver');
  assert.equal(failed.Reason, 'http_forbidden');
  assert.equal(failed.ScrapeSuccess, 0);
  assert.equal(failed.CertDaysLeft, undefined, 'no certificate, no CertDaysLeft');
});

test('emf: the configured namespace', () => {
  const { lines, sink } = capture('Platform/Scrapes');
  sink.write({ result: makeResult(), forwarded: [] });
  assert.match(lines[0]!, /"Namespace":"Platform\/Scrapes"/);
});

test('emf: dimension values stay within CloudWatch limits', () => {
  assert.equal(dimensionValue(null), 'none');
  assert.equal(dimensionValue('   '), 'none');
  assert.equal(dimensionValue('x'.repeat(5000)).length, 1024);
  assert.equal(dimensionValue('prod\u00e9\n'), 'prod__');
  const doc = emfDocument(makeResult({ job: 'j'.repeat(2000), cluster: 'c\u2603' }), {
    namespace: 'ScrapeCheck',
    timestampMs: 1.5,
  });
  assert.deepEqual(emfViolations(doc), []);
});

test('emf: the validator catches what CloudWatch would reject', () => {
  const doc = emfDocument(makeResult(), { namespace: 'ScrapeCheck', timestampMs: 1 });
  assert.deepEqual(emfViolations({ ...doc, ScrapeSuccess: 'yes' }), [
    'metric ScrapeSuccess: the root member must be a finite number (or at most 100 of them)',
  ]);
  assert.deepEqual(emfViolations({ ...doc, Job: undefined }), [
    'dimension Job has no string member at the root',
    'dimension Job has no string member at the root',
  ]);
});
