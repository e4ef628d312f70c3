import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { emfViolations } from '../sinks/emf-spec.ts';
import { startServer, type TestServer } from '../sinks/fixtures.ts';
import { startFakeAws, useFakeAws, type FakeAws } from './fake-aws.ts';
import { captureOutput, jsonLines, secretsIn, startTargets, type Targets } from './targets.ts';

const SCHEDULED_EVENT = JSON.parse(
  await readFile(new URL('../../events/scheduled.json', import.meta.url), 'utf8'),
) as unknown;

let aws: FakeAws;
let receiver: TestServer;
let targets: Targets;
let handler: (event: unknown) => Promise<unknown>;

before(async () => {
  aws = await startFakeAws();
  useFakeAws(aws.url);
  receiver = await startServer((_req, res) => {
    res.statusCode = 204;
    res.end();
  });
  targets = await startTargets({ remoteWriteUrl: `${receiver.url}/api/v1/write` });
  process.env.SCRAPE_CHECK_CONFIG = targets.configPath;
  process.env.SCRAPE_CHECK_QUEUE_URL = `${aws.url}/111122223333/scrape-check-fanout`;
  ({ handler } = await import('../../functions/scheduled.ts'));
});

after(async () => {
  await targets.close();
  await receiver.close();
  await aws.close();
});

describe('scheduled, inline', () => {
  test('a Scheduled Event runs every check and returns the summary', async () => {
    const { value, stdout, stderr } = await captureOutput(() => handler(SCHEDULED_EVENT));
    const summary = value as { total: number; ok: number; failed: number; durationMs: number };
    // etcd and node pass; locked (403) and the three cluster targets (no kubeconfig) fail.
    assert.deepEqual(
      { ...summary, durationMs: 0 },
      { total: 6, ok: 2, failed: 4, skipped: 0, durationMs: 0 },
    );

    const lines = jsonLines(stdout);
    const emf = lines.filter((l) => '_aws' in l && 'Job' in l);
    assert.equal(emf.length, 6, 'one EMF document per result');
    // And one per run, without dimensions, for the aggregate alarm.
    const runs = lines.filter((l) => '_aws' in l && 'ChecksFailed' in l);
    assert.deepEqual(
      runs.map((r) => [r.ChecksRun, r.ChecksFailed, r.RunsFailed]),
      [[6, 4, 0]],
    );
    for (const doc of emf) assert.deepEqual(emfViolations(doc), []);
    const locked = emf.find((d) => d.Job === 'locked')!;
    assert.deepEqual(
      [locked.Cluster, locked.Reason, locked.ScrapeSuccess],
      ['none', 'http_forbidden', 0],
    );
    assert.ok(
      emf.some(
        (d) => d.Cluster === 'prod' && d.Job === 'kubelet' && d.Reason === 'credentials_failed',
      ),
    );
    const etcd = emf.find((d) => d.Job === 'etcd')!;
    assert.equal(etcd.ScrapeSuccess, 1);
    assert.equal(typeof etcd.CertDaysLeft, 'number');
    assert.equal(
      (etcd._aws as { CloudWatchMetrics: { Namespace: string }[] }).CloudWatchMetrics[0]!.Namespace,
      'ScrapeCheckTest',
    );

    const logs = lines.filter((l) => l.message === 'scrape ok' || l.message === 'scrape failed');
    assert.equal(logs.length, 6, 'one log line per result');
    assert.ok(logs.every((l) => typeof l.job === 'string' && typeof l.reason === 'string'));

    assert.equal(receiver.requests.length, 1, 'one remote_write request for the run');
    assert.equal(receiver.requests[0]!.headers.authorization, 'Bearer rw-SECRET-g7h8i9');
    assert.deepEqual(secretsIn(stdout + stderr), [], 'no secret in any output');
    assert.deepEqual(secretsIn(JSON.stringify(value)), []);
  });

  test("the rule's constant input runs only what it names", async () => {
    const { value } = await captureOutput(() => handler({ jobs: ['etcd'], clusters: ['staging'] }));
    assert.equal((value as { total: number }).total, 2);
  });

  test('a run that cannot happen is counted for the aggregate alarm (RunsFailed)', async () => {
    process.env.SCRAPE_CHECK_CONFIG = '/nonexistent/scrape-check.yaml';
    try {
      const { value, stdout } = await captureOutput(() =>
        handler(SCHEDULED_EVENT).catch((error: unknown) => error),
      );
      assert.match((value as Error).message, /no such file/);
      const runs = jsonLines(stdout).filter((l) => 'RunsFailed' in l);
      assert.deepEqual(
        runs.map((r) => [r.ChecksRun, r.ChecksFailed, r.RunsFailed]),
        [[0, 0, 1]],
      );
    } finally {
      process.env.SCRAPE_CHECK_CONFIG = targets.configPath;
    }
  });

  test('a constant input with a typo is an error, not a run of everything', async () => {
    await assert.rejects(
      captureOutput(() => handler({ cluster: ['prod'] })),
      /not a Scheduled Event nor/,
    );
    await assert.rejects(
      captureOutput(() => handler({ clusters: ['nope'] })),
      /no job or cluster named "nope"/,
    );
  });

  test('a remote_write receiver that fails changes no verdict and is logged once', async () => {
    const broken = await startServer((_req, res) => {
      res.statusCode = 400;
      res.end('no');
    });
    const original = targets.configPath;
    const text = (await readFile(original, 'utf8')).replace(receiver.url, broken.url);
    const path = join(targets.dir, 'broken-rw.yaml');
    await writeFile(path, text);
    process.env.SCRAPE_CHECK_CONFIG = path;
    try {
      const { value, stdout, stderr } = await captureOutput(() => handler(SCHEDULED_EVENT));
      assert.equal(
        (value as { ok: number }).ok,
        2,
        JSON.stringify(value) +
          stdout
            .split('\n')
            .filter((l) => /"job":"(etcd|node)"/.test(l))
            .join('\n'),
      );
      const warnings = jsonLines(stdout + stderr).filter((l) =>
        String(l.message).startsWith('sink remote_write failed'),
      );
      assert.equal(warnings.length, 1);
      assert.deepEqual(secretsIn(stdout + stderr), []);
    } finally {
      process.env.SCRAPE_CHECK_CONFIG = original;
      await broken.close();
    }
  });
});

describe('scheduled, fan-out', () => {
  test('fanout: sqs queues one message per cluster and one for the plain jobs', async () => {
    const fan = await startTargets({ fanout: 'sqs' });
    process.env.SCRAPE_CHECK_CONFIG = fan.configPath;
    try {
      const { value } = await captureOutput(() => handler(SCHEDULED_EVENT));
      assert.deepEqual(value, { queued: 3 });
      assert.deepEqual(
        aws.sqsBodies.map((b) => JSON.parse(b) as unknown),
        [{ clusters: ['prod'] }, { clusters: ['staging'] }, { jobs: ['etcd', 'node', 'locked'] }],
      );
      const call = aws.calls.find(
        (c) => c.headers['x-amz-target'] === 'AmazonSQS.SendMessageBatch',
      )!;
      assert.equal(
        (JSON.parse(call.body.toString()) as { QueueUrl: string }).QueueUrl,
        process.env.SCRAPE_CHECK_QUEUE_URL,
      );

      aws.sqsBodies.length = 0;
      const { value: some } = await captureOutput(() => handler({ jobs: ['kubelet', 'etcd'] }));
      assert.deepEqual(some, { queued: 2 });
      assert.deepEqual(
        aws.sqsBodies.map((b) => JSON.parse(b) as unknown),
        [{ jobs: ['prod/kubelet'] }, { jobs: ['etcd'] }],
      );
    } finally {
      process.env.SCRAPE_CHECK_CONFIG = targets.configPath;
      await fan.close();
    }
  });

  test('fan-out without SCRAPE_CHECK_QUEUE_URL names the variable', async () => {
    const fan = await startTargets({ fanout: 'sqs' });
    process.env.SCRAPE_CHECK_CONFIG = fan.configPath;
    const queue = process.env.SCRAPE_CHECK_QUEUE_URL;
    delete process.env.SCRAPE_CHECK_QUEUE_URL;
    try {
      await assert.rejects(
        captureOutput(() => handler(SCHEDULED_EVENT)),
        /SCRAPE_CHECK_QUEUE_URL is not set/,
      );
    } finally {
      process.env.SCRAPE_CHECK_QUEUE_URL = queue;
      process.env.SCRAPE_CHECK_CONFIG = targets.configPath;
      await fan.close();
    }
  });
});
