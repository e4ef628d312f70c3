import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import {
  slackSignature,
  type FunctionUrlEvent,
  type FunctionUrlResult,
} from '#lib/chatops/index.ts';
import { startFakeAws, useFakeAws, type FakeAws } from './fake-aws.ts';
import { captureOutput, secretsIn, SECRETS, startTargets, type Targets } from './targets.ts';

interface SampleEvent extends FunctionUrlEvent {
  headers: Record<string, string>;
  body: string;
}
const SAMPLE = JSON.parse(
  await readFile(new URL('../../events/slack-command.json', import.meta.url), 'utf8'),
) as SampleEvent;
const SAMPLE_FORM = new URLSearchParams(Buffer.from(SAMPLE.body, 'base64').toString('utf8'));

interface RequestOptions {
  text?: string;
  user?: string;
  channel?: string;
  secret?: string;
  nowSeconds?: number;
  retryNum?: string;
  base64?: boolean;
  triggerId?: string;
  responseUrl?: string;
}

/** A function URL request as Slack would send it, signed with `secret` at `nowSeconds`. */
function slackRequest(options: RequestOptions = {}): SampleEvent {
  const form = new URLSearchParams(SAMPLE_FORM);
  form.set('text', options.text ?? 'prod apiserver');
  form.set('user_id', options.user ?? 'U012AB3CD');
  form.set('channel_id', options.channel ?? 'C024BE91L');
  form.set('trigger_id', options.triggerId ?? randomUUID());
  if (options.responseUrl !== undefined) form.set('response_url', options.responseUrl);
  const body = Buffer.from(form.toString());
  const timestamp = String(options.nowSeconds ?? Math.floor(Date.now() / 1000));
  const headers: Record<string, string> = {
    ...SAMPLE.headers,
    'content-length': String(body.length),
    'x-slack-request-timestamp': timestamp,
    'x-slack-signature': slackSignature(options.secret ?? SECRETS.signing, timestamp, body),
  };
  if (options.retryNum !== undefined) {
    headers['x-slack-retry-num'] = options.retryNum;
    headers['x-slack-retry-reason'] = 'http_timeout';
  }
  const base64 = options.base64 ?? true;
  return {
    ...SAMPLE,
    headers,
    body: body.toString(base64 ? 'base64' : 'utf8'),
    isBase64Encoded: base64,
  };
}

let aws: FakeAws;
let targets: Targets;
let handler: (event: FunctionUrlEvent) => Promise<FunctionUrlResult>;
const outputs: string[] = [];

async function call(event: FunctionUrlEvent): Promise<{
  status: number;
  body: { text?: string; error?: string; response_type?: string };
  ms: number;
}> {
  const started = performance.now();
  const { value, stdout, stderr } = await captureOutput(() => handler(event));
  outputs.push(stdout, stderr, JSON.stringify(value));
  return {
    status: value.statusCode,
    body: JSON.parse(value.body) as { text?: string },
    ms: performance.now() - started,
  };
}

before(async () => {
  aws = await startFakeAws();
  useFakeAws(aws.url);
  aws.parameters.set('/scrape-check/slack-signing-secret', SECRETS.signing);
  aws.secrets.set('scrape-check/slack', JSON.stringify({ signing_secret: SECRETS.signing }));
  targets = await startTargets();
  process.env.SCRAPE_CHECK_CONFIG = targets.configPath;
  process.env.SCRAPE_CHECK_SLACK_SECRET = 'ssm:/scrape-check/slack-signing-secret';
  process.env.SCRAPE_CHECK_CHECK_FUNCTION = 'scrape-check-dev-check';
  ({ handler } = await import('../../functions/chatops.ts'));
});

after(async () => {
  await targets.close();
  await aws.close();
  assert.deepEqual(secretsIn(outputs.join('\n')), [], 'the signing secret never reaches an output');
});

beforeEach(() => {
  aws.invocations.length = 0;
});

describe('chatops: accepted requests', () => {
  test('a signed command is acknowledged at once and check is invoked asynchronously', async () => {
    const { status, body, ms } = await call(slackRequest());
    assert.equal(status, 200);
    assert.equal(body.response_type, 'ephemeral');
    assert.match(body.text ?? '', /^Checking prod\/apiserver… the results will follow here\.$/);
    assert.ok(ms < 3000, `acknowledged in ${Math.round(ms)} ms`);
    assert.deepEqual(aws.invocations, [
      {
        functionName: 'scrape-check-dev-check',
        invocationType: 'Event',
        payload: {
          jobs: ['prod/apiserver'],
          response_url: SAMPLE_FORM.get('response_url'),
          requested_by: 'U012AB3CD',
        },
      },
    ]);
  });

  test('a whole cluster, a plain job, and a body that was not base64-encoded', async () => {
    await call(slackRequest({ text: 'staging' }));
    await call(slackRequest({ text: ' etcd ', base64: false }));
    assert.deepEqual(
      aws.invocations.map((i) => i.payload),
      [
        {
          clusters: ['staging'],
          response_url: SAMPLE_FORM.get('response_url'),
          requested_by: 'U012AB3CD',
        },
        {
          jobs: ['etcd'],
          response_url: SAMPLE_FORM.get('response_url'),
          requested_by: 'U012AB3CD',
        },
      ],
    );
  });

  test('the secret is fetched once and reused while the container is warm', () => {
    const fetches = aws.calls.filter((c) => c.headers['x-amz-target'] === 'AmazonSSM.GetParameter');
    assert.equal(fetches.length, 1);
  });

  test('the secret may come from Secrets Manager (JSON with signing_secret)', async () => {
    process.env.SCRAPE_CHECK_SLACK_SECRET = 'secretsmanager:scrape-check/slack';
    try {
      const { status } = await call(slackRequest({ text: 'etcd' }));
      assert.equal(status, 200);
      assert.equal(aws.invocations.length, 1);
    } finally {
      process.env.SCRAPE_CHECK_SLACK_SECRET = 'ssm:/scrape-check/slack-signing-secret';
    }
  });
});

describe('chatops: refused requests run nothing', () => {
  test('forged: signed with another secret', async () => {
    const { status, body } = await call(slackRequest({ secret: 'not-the-secret' }));
    assert.deepEqual([status, body.error], [401, 'signature mismatch']);
  });

  test('missing signature headers', async () => {
    const event = slackRequest();
    delete event.headers['x-slack-signature'];
    assert.equal((await call(event)).status, 401);
    const noTime = slackRequest();
    delete noTime.headers['x-slack-request-timestamp'];
    assert.equal((await call(noTime)).status, 401);
  });

  test('tampered: the body changed after signing', async () => {
    const event = slackRequest({ base64: false });
    event.body = event.body.replace('prod+apiserver', 'all');
    assert.deepEqual((await call(event)).body.error, 'signature mismatch');
  });

  test('stale: correctly signed more than five minutes ago (or ahead)', async () => {
    const now = Math.floor(Date.now() / 1000);
    assert.deepEqual(
      (await call(slackRequest({ nowSeconds: now - 301 }))).body.error,
      'signature stale',
    );
    assert.deepEqual(
      (await call(slackRequest({ nowSeconds: now + 301 }))).body.error,
      'signature stale',
    );
    assert.equal((await call(slackRequest({ nowSeconds: now - 290 }))).status, 200);
    aws.invocations.length = 0;
  });

  test('replayed: the same request again is acknowledged, not run twice', async () => {
    const event = slackRequest({ triggerId: 'trigger-replay-1' });
    const first = await call(event);
    const second = await call(event);
    assert.equal(first.status, 200);
    assert.deepEqual(
      [second.status, second.body.text],
      [200, 'Already on it: the results will follow here.'],
    );
    assert.equal(aws.invocations.length, 1);
  });

  test('retried: Slack retries (X-Slack-Retry-Num) are acknowledged, not run', async () => {
    const { status, body } = await call(slackRequest({ retryNum: '1' }));
    assert.deepEqual([status, body.text], [200, 'Already on it: the results will follow here.']);
    assert.equal(aws.invocations.length, 0);
  });

  test('a user or a channel not on the allow-lists gets a polite refusal', async () => {
    const user = await call(slackRequest({ user: 'U999' }));
    assert.equal(user.status, 200);
    assert.match(
      user.body.text ?? '',
      /^Sorry, you are not on the list .*chatops\.allow_users.*Nothing was run\.$/,
    );
    const channel = await call(slackRequest({ channel: 'C999' }));
    assert.match(channel.body.text ?? '', /^Sorry, checks cannot be run from this channel/);
    assert.equal(aws.invocations.length, 0);
  });

  test('help and unknown names answer without running', async () => {
    const help = await call(slackRequest({ text: 'help' }));
    assert.match(help.body.text ?? '', /\/scrape-check prod apiserver/);
    assert.match(help.body.text ?? '', /Clusters: `prod`, `staging`/);
    const empty = await call(slackRequest({ text: '' }));
    assert.equal(empty.body.text, help.body.text);
    const unknown = await call(slackRequest({ text: 'prod <script>' }));
    assert.match(unknown.body.text ?? '', /^I don't know `&lt;script&gt;`: nothing was run\./);
    assert.equal(aws.invocations.length, 0);
  });

  test("GovSlack's response_url is accepted; the hosts are a setting", async () => {
    const before = aws.invocations.length;
    const gov = await call(
      slackRequest({
        responseUrl: 'https://hooks.slack-gov.com/commands/T0001/1234/abc',
        triggerId: 'trigger-govslack',
      }),
    );
    assert.equal(gov.status, 200);
    assert.equal(aws.invocations.length, before + 1);
    const { isAllowedResponseUrl } = await import('#lib/chatops/index.ts');
    assert.ok(isAllowedResponseUrl('http://127.0.0.1:8080/x', ['127.0.0.1:8080']));
    assert.ok(
      !isAllowedResponseUrl('http://10.0.0.1:8080/x', ['10.0.0.1:8080']),
      'http only to loopback',
    );
    assert.ok(!isAllowedResponseUrl('https://hooks.slack.com.evil.example/x'));
    assert.ok(!isAllowedResponseUrl('https://user:pw@hooks.slack.com/x'));
  });

  test("a response_url that is not Slack's is refused", async () => {
    const { status } = await call(slackRequest({ responseUrl: 'http://169.254.169.254/latest' }));
    assert.equal(status, 400);
    assert.equal(aws.invocations.length, 0);
  });

  test('GET is not a slash command', async () => {
    const event = slackRequest();
    event.requestContext = { http: { method: 'GET' } };
    assert.equal((await call(event)).status, 405);
  });
});

describe('chatops: failures', () => {
  test('when check cannot be invoked, say so, and let the same request run later', async () => {
    aws.failInvokes = 5;
    const event = slackRequest({ triggerId: 'trigger-retry-after-failure' });
    const failed = await call(event);
    assert.match(failed.body.text ?? '', /could not be started/);
    aws.failInvokes = 0;
    const again = await call(event);
    assert.match(again.body.text ?? '', /^Checking/);
    assert.equal(aws.invocations.length, 1);
  });

  test('an unreadable signing secret is a 500 that reveals nothing', async () => {
    process.env.SCRAPE_CHECK_SLACK_SECRET = 'ssm:/not/there';
    try {
      const { status, body } = await call(slackRequest());
      assert.deepEqual([status, body.error], [500, 'scrape-check is not configured for Slack yet']);
    } finally {
      process.env.SCRAPE_CHECK_SLACK_SECRET = 'ssm:/scrape-check/slack-signing-secret';
    }
  });
});
