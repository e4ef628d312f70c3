import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Logger } from '@aws-lambda-powertools/logger';
import { createLogSink } from '#lib/sinks/index.ts';
import { makeFailedClusterResult, makeResult } from './fixtures.ts';

test('logs: one JSON line per result through Powertools Logger, the fields at the top', async () => {
  const lines: string[] = [];
  const original = process.stdout.write.bind(process.stdout);
  process.stdout.write = (chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  };
  try {
    const sink = createLogSink(new Logger({ serviceName: 'scrape-check-test' }));
    sink.write({
      result: makeResult({ samples: [{ name: 'up', labels: {}, value: 1, timestampMs: null }] }),
      forwarded: [],
    });
    sink.write({ result: makeFailedClusterResult(), forwarded: [] });
    await sink.flush();
  } finally {
    process.stdout.write = original;
  }
  const records = lines
    .join('')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(records.length, 2);
  assert.equal(records[0]!.message, 'scrape ok');
  assert.equal(records[0]!.level, 'INFO');
  assert.equal(records[0]!.job, 'etcd');
  // Powertools leaves out top-level null and '' values: a plain job's line has no cluster.
  assert.equal('cluster' in records[0]!, false);
  assert.equal(records[1]!.cluster, 'prod');
  assert.equal(records[0]!.samples, undefined, 'samples stay out of log lines');
  assert.deepEqual(records[0]!.tls, makeResult().tls);
  assert.equal(records[1]!.message, 'scrape failed');
  assert.equal(records[1]!.reason, 'http_forbidden');
  assert.equal(records[1]!.diagnosis, makeFailedClusterResult().diagnosis);
});
