import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { readFile } from 'node:fs/promises';
import type { RunReport } from '#lib/result/types.ts';
import type { SlackMessage } from '#lib/chatops/index.ts';
import { startServer, type TestServer } from '../sinks/fixtures.ts';
import { startFakeAws, useFakeAws, type FakeAws } from './fake-aws.ts';
import { captureOutput, secretsIn, startTargets, type Targets } from './targets.ts';

const CHECK_EVENT = JSON.parse(
  await readFile(new URL('../../events/check.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

let aws: FakeAws;
let slack: TestServer;
let targets: Targets;
let handler: (event: unknown) => Promise<RunReport>;

before(async () => {
  aws = await startFakeAws();
  useFakeAws(aws.url);
  slack = await startServer((_req, res) => {
    res.end('ok');
  });
  // chatops.response_url_hosts: the local receiver stands in for hooks.slack.com.
  targets = await startTargets({ responseUrlHosts: [new URL(slack.url).host] });
  process.env.SCRAPE_CHECK_CONFIG = targets.configPath;
  ({ handler } = await import('../../functions/check.ts'));
});

after(async () => {
  await targets.close();
  await slack.close();
  await aws.close();
});

test('check: returns the run --json document', async () => {
  const { value, stdout, stderr } = await captureOutput(() => handler(CHECK_EVENT));
  assert.deepEqual(Object.keys(value), ['summary', 'results', 'skipped']);
  assert.equal(value.summary.total, 1);
  const etcd = value.results[0]!;
  assert.equal(etcd.job, 'etcd');
  assert.equal(etcd.instance, targets.instance);
  assert.equal(etcd.ok, true, etcd.diagnosis);
  assert.equal(etcd.series, 11);
  assert.deepEqual(secretsIn(JSON.stringify(value) + stdout + stderr), []);
  assert.equal(slack.requests.length, 0, 'nothing posted without response_url');
});

test('check: with response_url, also posts a Block Kit message', async () => {
  const url = `${slack.url}/commands/T0001/123/abc`;
  const { value, stdout, stderr } = await captureOutput(() =>
    handler({
      jobs: ['etcd', 'locked', 'prod/kubelet'],
      response_url: url,
      requested_by: 'U012AB3CD',
    }),
  );
  assert.equal(value.summary.failed, 2);
  assert.equal(slack.requests.length, 1);
  const post = slack.requests[0]!;
  assert.equal(post.url, '/commands/T0001/123/abc');
  assert.match(String(post.headers['content-type']), /^application\/json/);
  const message = JSON.parse(post.body.toString()) as SlackMessage;
  assert.equal(message.response_type, 'in_channel');
  assert.match(message.text, /2 of 3 checks failed/);
  const texts = (message.blocks ?? []).map((b) =>
    'text' in b ? b.text.text : 'elements' in b ? b.elements.map((e) => e.text).join(' ') : '',
  );
  assert.match(texts[0]!, /scrape-check: 2 of 3 checks failed/);
  assert.match(texts[1]!, /asked by <@U012AB3CD>/);
  const locked = texts.find((t) => t.includes('*locked*'))!;
  assert.match(locked, /:x: \*locked\* `127\.0\.0\.1:\d+`\n\*http_forbidden\*: /);
  const kubelet = texts.find((t) => t.includes('*kubelet*'))!;
  assert.match(kubelet, /\(prod\)/);
  assert.match(kubelet, /\*credentials_failed\*: The kubeconfig/);
  assert.ok(
    texts.some((t) =>
      /:white_check_mark: \*etcd\* `127\.0\.0\.1:\d+` · \d+ ms · 11 series · cert \d+ d/.test(t),
    ),
  );
  assert.deepEqual(secretsIn(post.body.toString() + stdout + stderr), []);
});

test('check: a run that cannot happen posts why, then fails the invocation', async () => {
  slack.requests.length = 0;
  await assert.rejects(
    captureOutput(() => handler({ jobs: ['nope'], response_url: `${slack.url}/x` })),
    /no job or cluster named "nope"/,
  );
  const message = JSON.parse(slack.requests[0]!.body.toString()) as SlackMessage;
  assert.match(message.text, /could not run the checks: no job or cluster named "nope"/);
});

test('check: a response_url on a host the config does not allow gets nothing', async () => {
  slack.requests.length = 0;
  const { value, stdout, stderr } = await captureOutput(() =>
    handler({ jobs: ['etcd'], response_url: 'https://hooks.example.com/commands/T1/2/x' }),
  );
  assert.equal(value.summary.total, 1, 'the run still happens');
  assert.match(stdout + stderr, /response_url is not on an allowed host/);
  assert.equal(slack.requests.length, 0);
});

test('check: a malformed event is refused', async () => {
  await assert.rejects(
    captureOutput(() => handler({ jobs: 'etcd' })),
    /not a check event: jobs:/,
  );
  await assert.rejects(
    captureOutput(() => handler({ response_url: 'file:///etc/passwd' })),
    /response_url/,
  );
});
