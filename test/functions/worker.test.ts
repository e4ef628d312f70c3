import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { readFile } from 'node:fs/promises';
import { startFakeAws, useFakeAws, type FakeAws } from './fake-aws.ts';
import { captureOutput, jsonLines, secretsIn, startTargets, type Targets } from './targets.ts';

interface SqsBatch {
  Records: { messageId: string; body: string }[];
}

const BATCH = JSON.parse(
  await readFile(new URL('../../events/sqs-batch.json', import.meta.url), 'utf8'),
) as SqsBatch;

let aws: FakeAws;
let targets: Targets;
let handler: (event: SqsBatch) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;

before(async () => {
  aws = await startFakeAws();
  useFakeAws(aws.url);
  targets = await startTargets();
  process.env.SCRAPE_CHECK_CONFIG = targets.configPath;
  ({ handler } = await import('../../functions/worker.ts'));
});

after(async () => {
  await targets.close();
  await aws.close();
});

function record(messageId: string, body: string): SqsBatch['Records'][number] {
  return { ...BATCH.Records[0]!, messageId, body };
}

test('worker: failed checks are verdicts, not batch item failures', async () => {
  const { value, stdout, stderr } = await captureOutput(() => handler(BATCH));
  assert.deepEqual(value, { batchItemFailures: [] });
  const results = jsonLines(stdout).filter((l) => '_aws' in l && 'Job' in l);
  // prod: apiserver and kubelet (credentials_failed); etcd passes.
  assert.deepEqual(results.map((r) => `${String(r.Cluster)}/${String(r.Job)}`).sort(), [
    'none/etcd',
    'prod/apiserver',
    'prod/kubelet',
  ]);
  assert.deepEqual(secretsIn(stdout + stderr), []);
});

test('worker: only the unreadable or unrunnable messages come back', async () => {
  const event: SqsBatch = {
    Records: [
      record('good', '{"jobs":["etcd"]}'),
      record('not-json', '{"jobs":['),
      record('wrong-shape', '{"jobs":"etcd"}'),
      record('typo', '{"job":["etcd"]}'),
      record('unknown-name', '{"clusters":["nowhere"]}'),
      record('also-good', '{}'),
    ],
  };
  const { value, stdout, stderr } = await captureOutput(() => handler(event));
  assert.deepEqual(value.batchItemFailures.map((f) => f.itemIdentifier).sort(), [
    'not-json',
    'typo',
    'unknown-name',
    'wrong-shape',
  ]);
  const errors = jsonLines(stdout + stderr).filter((l) => l.message === 'message not run');
  assert.equal(errors.length, 4);
  assert.match(String(errors.find((e) => e.messageId === 'not-json')?.error), /not JSON/);
});

test('worker: an unusable config fails every message of the batch', async () => {
  process.env.SCRAPE_CHECK_CONFIG = `${targets.dir}/does-not-exist.yaml`;
  try {
    const { value } = await captureOutput(() => handler(BATCH));
    assert.deepEqual(
      value.batchItemFailures.map((f) => f.itemIdentifier),
      BATCH.Records.map((r) => r.messageId),
    );
  } finally {
    process.env.SCRAPE_CHECK_CONFIG = targets.configPath;
  }
});
