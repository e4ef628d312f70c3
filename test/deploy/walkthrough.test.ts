/**
 * The deploy section of docs/serverless.md, walked as a new user would, on a copy of the working
 * tree (every tracked and untracked file git does not ignore; node_modules linked, not installed):
 * `npx serverless package` with the sample config, the synthesized template checked against the
 * CloudFormation resource specification and against the names the docs promise, then each zip
 * unpacked on its own and run under the Lambda Runtime Interface Client with the sample events,
 * against a local EKS, Kubernetes API, S3/SSM/SQS/Lambda and Slack receiver (127.0.0.1 only).
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { eksFixture, type EksFixture } from '../credentials/fixtures.ts';
import { startServer, type TestServer } from '../sinks/fixtures.ts';
import { startFakeAws, type FakeAws } from '../functions/fake-aws.ts';
import { validateTemplate } from './cfn-spec.ts';
import { runInRuntime, type RuntimeRun } from './lambda-runtime.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FUNCTIONS = ['scheduled', 'worker', 'check', 'chatops'] as const;
const SIGNING_SECRET = 'walkthrough-SECRET-signing-7f3a';
const run = promisify(execFile);

type Template = {
  Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
  Outputs: Record<string, unknown>;
};

let clone: string;
let template: Template;
let eks: EksFixture;
let aws: FakeAws;
let slack: TestServer;
const measured: Record<string, unknown> = {};

function event(name: string): unknown {
  return JSON.parse(readFileSync(join(clone, 'events', name), 'utf8'));
}

/** The zip of `fn`, unpacked into a folder of its own (no node_modules above it). */
function unpack(fn: string): string {
  const dir = mkdtempSync(join(tmpdir(), `scrape-check-task-${fn}-`));
  execFileSync('unzip', ['-q', join(clone, '.serverless', `${fn}.zip`), '-d', dir]);
  return dir;
}

/** The function's environment as the template sets it; references become the local stand-ins. */
function environment(fn: string): Record<string, string> {
  const resource = template.Resources[`${fn[0]!.toUpperCase()}${fn.slice(1)}LambdaFunction`]!;
  const variables = (resource.Properties.Environment as { Variables: Record<string, unknown> })
    .Variables;
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(variables))
    env[name] =
      typeof value === 'string' ? value : `${aws.url}/111122223333/scrape-check-dev-fanout`;
  const pass = Object.entries(process.env).filter(
    ([k]) =>
      k.startsWith('AWS_ENDPOINT_URL_') ||
      [
        'AWS_ACCESS_KEY_ID',
        'AWS_SECRET_ACCESS_KEY',
        'AWS_CONFIG_FILE',
        'AWS_SHARED_CREDENTIALS_FILE',
        'AWS_EC2_METADATA_DISABLED',
      ].includes(k),
  );
  return { ...env, ...Object.fromEntries(pass as [string, string][]) };
}

async function invoke(
  fn: string,
  events: unknown[],
  env: Record<string, string> = {},
): Promise<RuntimeRun> {
  const resource = template.Resources[`${fn[0]!.toUpperCase()}${fn.slice(1)}LambdaFunction`]!;
  const handler = String(resource.Properties.Handler);
  const result = await runInRuntime({
    taskRoot: unpack(fn),
    handler,
    functionName: `scrape-check-dev-${fn}`,
    env: { ...environment(fn), ...env },
    events,
  });
  const leaked = [SIGNING_SECRET, ...eks.secrets()].filter((s) =>
    (result.stdout + result.stderr + JSON.stringify(result.outcomes)).includes(s),
  );
  assert.deepEqual(leaked, [], `${fn} printed a secret`);
  return result;
}

function logLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** The peers this walk needs: unzip, botocore, and the RIC's native addon (built by its install script). */
function missingPeers(): string[] {
  const missing: string[] = [];
  if (!existsSync(join(ROOT, 'node_modules/aws-lambda-ric/dist/rapid-client.node')))
    missing.push(
      'aws-lambda-ric native addon (npm ci needs autoconf automake libtool cmake g++ make)',
    );
  try {
    execFileSync('unzip', ['-v'], { stdio: 'ignore' });
  } catch {
    missing.push('unzip');
  }
  try {
    // The local EKS signs and checks tokens with botocore, as the credentials tests do.
    execFileSync('python3', ['-c', 'import botocore'], { stdio: 'ignore' });
  } catch {
    missing.push('python3-botocore');
  }
  return missing;
}

const MISSING = missingPeers();
if (MISSING.length > 0 && process.env.CI === 'true')
  throw new Error(`the deploy walkthrough needs ${MISSING.join(', ')} (.ci/run installs them)`);

before(async () => {
  if (MISSING.length > 0) return;
  // A copy of the working tree as `git clone` of it would hold it, plus the uncommitted work.
  clone = mkdtempSync(join(tmpdir(), 'scrape-check-clone-'));
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: ROOT })
    .toString()
    .split('\0')
    .filter(Boolean);
  for (const file of files) {
    try {
      mkdirSync(dirname(join(clone, file)), { recursive: true });
      cpSync(join(ROOT, file), join(clone, file));
    } catch {
      // A file deleted in the working tree but still tracked.
    }
  }
  symlinkSync(join(ROOT, 'node_modules'), join(clone, 'node_modules'));
  const started = performance.now();
  await run('npx', ['serverless', 'package', '--param', 'config=events/scrape-check.yaml'], {
    cwd: clone,
    env: { ...process.env, PATH: `${join(ROOT, 'node_modules/.bin')}:${process.env.PATH ?? ''}` },
    timeout: 240_000,
  });
  measured.packageSeconds = Math.round((performance.now() - started) / 100) / 10;
  template = JSON.parse(
    readFileSync(join(clone, '.serverless/cloudformation-template-update-stack.json'), 'utf8'),
  ) as Template;
  eks = await eksFixture();
  aws = await startFakeAws();
  for (const service of ['SQS', 'SSM', 'S3', 'SECRETS_MANAGER', 'LAMBDA'])
    process.env[`AWS_ENDPOINT_URL_${service}`] = aws.url;
  aws.parameters.set('/scrape-check/slack-signing-secret', SIGNING_SECRET);
  slack = await startServer((_req, res) => {
    res.end('ok');
  });
});

after(async () => {
  if (MISSING.length > 0) return;
  await slack.close();
  await aws.close();
  await eks.close();
  rmSync(clone, { recursive: true, force: true });
  process.stdout.write(`# deploy walkthrough measurements: ${JSON.stringify(measured)}\n`);
});

describe('package', { skip: MISSING.length > 0 && `missing: ${MISSING.join(', ')}` }, () => {
  test('four zips, each with its handler, the ESM marker and the config it reads', () => {
    const sizes: Record<string, number> = {};
    for (const fn of FUNCTIONS) {
      const zip = join(clone, '.serverless', `${fn}.zip`);
      sizes[fn] = statSync(zip).size;
      const list = execFileSync('unzip', ['-Z1', zip]).toString().split('\n');
      for (const file of [
        `functions/${fn}.js`,
        'functions/package.json',
        'events/scrape-check.yaml',
      ])
        assert.ok(list.includes(file), `${fn}.zip lacks ${file}`);
      assert.ok(!list.some((f) => f.startsWith('node_modules/')), `${fn}.zip carries node_modules`);
    }
    measured.zipBytes = sizes;
  });

  test('the handler strings in serverless.yml are the ones the template gives Lambda', () => {
    const yml = parse(readFileSync(join(clone, 'serverless.yml'), 'utf8')) as {
      functions: Record<string, { handler: string }>;
    };
    for (const fn of FUNCTIONS) {
      const resource = template.Resources[`${fn[0]!.toUpperCase()}${fn.slice(1)}LambdaFunction`]!;
      assert.equal(resource.Properties.Handler, yml.functions[fn]!.handler);
    }
  });

  test('the template validates against the CloudFormation resource specification', async () => {
    measured.templateResources = Object.keys(template.Resources).length;
    assert.deepEqual(await validateTemplate(template), []);
  });

  test('every name the docs list is one the stack creates', () => {
    const docs = readFileSync(join(clone, 'docs/serverless.md'), 'utf8');
    const section = docs.slice(docs.indexOf('### What the stack creates'));
    const rows = [...section.matchAll(/^\| `([^`]+)` +\| (`AWS::[A-Za-z0-9:]+`|output) /gm)];
    assert.ok(rows.length >= 10, 'the docs list what the stack creates');
    for (const [, name, kind] of rows) {
      if (kind === 'output') {
        assert.ok(name! in template.Outputs, `docs name the output ${name!}; the stack has none`);
        continue;
      }
      const type = kind!.slice(1, -1);
      const prefix = name!.split('<')[0]!;
      const found = Object.entries(template.Resources).filter(([id]) =>
        name!.includes('<') ? id.startsWith(prefix) : id === name,
      );
      assert.ok(found.length > 0, `docs name ${name!}; the stack has no such resource`);
      for (const [id, r] of found) assert.equal(r.Type, type, `${id}'s type`);
    }
    // The access entries map to the group the RBAC manifest binds, which the docs name.
    const rbac = readFileSync(join(clone, 'deploy/kubernetes/checker-rbac.yaml'), 'utf8');
    const entries = Object.values(template.Resources).filter(
      (r) => r.Type === 'AWS::EKS::AccessEntry',
    );
    assert.equal(entries.length, 3, 'one per checking role for the sample cluster prod-eks');
    for (const entry of entries) {
      const [group] = entry.Properties.KubernetesGroups as string[];
      assert.match(rbac, new RegExp(`name: ${group!}$`, 'm'));
      assert.ok(docs.includes(`--kubernetes-groups ${group!}`));
      assert.equal(entry.Properties.ClusterName, 'prod-eks');
    }
  });
});

describe(
  'each zip under the Lambda runtime interface client',
  { skip: MISSING.length > 0 && `missing: ${MISSING.join(', ')}` },
  () => {
    test('scheduled: a Scheduled Event and the constant input run the sample config', async () => {
      const result = await invoke('scheduled', [
        event('scheduled.json'),
        event('constant-input.json'),
      ]);
      measured.initMs = { ...(measured.initMs as object), scheduled: Math.round(result.initMs) };
      assert.equal(result.initError, undefined);
      const [all, some] = result.outcomes;
      assert.deepEqual(all?.error, undefined, result.stderr);
      assert.equal((all?.response as { total: number }).total, 2);
      assert.equal((some?.response as { total: number }).total, 2);
      const lines = logLines(result.stdout);
      const apiserver = lines.find((l) => l.job === 'apiserver' && l.cluster === 'prod' && l.level);
      assert.equal(apiserver?.reason, 'ok', JSON.stringify(apiserver));
      // Powertools' context: the request id and the cold start flag on every line of an invocation.
      const first = lines.filter((l) => l.function_request_id === all?.requestId);
      assert.ok(first.length > 0);
      assert.ok(first.every((l) => l.cold_start === true));
      assert.ok(
        lines
          .filter((l) => l.function_request_id === some?.requestId)
          .every((l) => l.cold_start === false),
      );
      // The aggregate alarm's metrics, one document per run, without dimensions.
      const runs = lines.filter((l) => 'ChecksFailed' in l);
      assert.equal(runs.length, 2);
      assert.deepEqual(
        (runs[0]!._aws as { CloudWatchMetrics: { Dimensions: unknown }[] }).CloudWatchMetrics[0]!
          .Dimensions,
        [[]],
      );
    });

    test('worker: the sample SQS batch runs, no message comes back', async () => {
      const result = await invoke('worker', [event('sqs-batch.json')]);
      measured.initMs = { ...(measured.initMs as object), worker: Math.round(result.initMs) };
      assert.deepEqual(result.outcomes[0]?.response, { batchItemFailures: [] }, result.stderr);
    });

    test('check: the run --json document for the sample events, and a post to an allowed response_url', async () => {
      const result = await invoke('check', [event('check.json'), event('check-from-slack.json')]);
      measured.initMs = { ...(measured.initMs as object), check: Math.round(result.initMs) };
      type Report = {
        results: { job: string; cluster: string | null; ok: boolean; reason: string }[];
      };
      const reports = result.outcomes.map((o) => o.response as Report);
      assert.equal(reports[0]!.results[0]?.job, 'etcd');
      const apiserver = reports[1]!.results[0]!;
      assert.equal(apiserver.cluster, 'prod');
      assert.equal(apiserver.reason, 'ok');
      // A config in S3 that allows a local receiver (chatops.response_url_hosts): the message arrives.
      const host = new URL(slack.url).host;
      const config = readFileSync(join(clone, 'events/scrape-check.yaml'), 'utf8').replace(
        'chatops: { allow_users: [U012AB3CD], allow_channels: [C024BE91L] }',
        `chatops: { allow_users: [U012AB3CD], allow_channels: [C024BE91L], response_url_hosts: ["${host}"] }`,
      );
      aws.objects.set('ops-config/scrape-check.yaml', config);
      const posted = await invoke(
        'check',
        [{ jobs: ['prod/apiserver'], response_url: `${slack.url}/commands/T1/2/x` }],
        {
          SCRAPE_CHECK_CONFIG: 's3://ops-config/scrape-check.yaml',
        },
      );
      assert.equal(
        (posted.outcomes[0]?.response as { summary: { ok: number } }).summary.ok,
        1,
        posted.stderr,
      );
      assert.equal(slack.requests.length, 1);
      assert.match(slack.requests[0]!.body.toString(), /apiserver/);
    });

    test('chatops: a freshly signed sample command starts check; the stale sample is refused', async () => {
      const { stdout } = await run(process.execPath, ['scripts/sign-slack-request.ts'], {
        cwd: clone,
        env: { ...process.env, SLACK_SIGNING_SECRET: SIGNING_SECRET },
      });
      const result = await invoke('chatops', [JSON.parse(stdout), event('slack-command.json')]);
      measured.initMs = { ...(measured.initMs as object), chatops: Math.round(result.initMs) };
      const [fresh, stale] = result.outcomes.map(
        (o) => o.response as { statusCode: number; body: string },
      );
      assert.equal(fresh?.statusCode, 200, result.stderr);
      assert.match(fresh.body, /Checking prod\/apiserver/);
      assert.equal(stale?.statusCode, 401);
      assert.equal(aws.invocations.length, 1);
      assert.equal(aws.invocations[0]!.functionName, 'scrape-check-dev-check');
      assert.deepEqual(
        (aws.invocations[0]!.payload as { clusters?: string[]; jobs?: string[] }).jobs ??
          (aws.invocations[0]!.payload as { clusters: string[] }).clusters,
        ['prod/apiserver'],
      );
    });

    test('cold start beside a bare handler, through the same runtime client', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'scrape-check-task-bare-'));
      writeFileSync(join(dir, 'index.mjs'), 'export const handler = async () => ({ ok: true });\n');
      const bare = await runInRuntime({
        taskRoot: dir,
        handler: 'index.handler',
        functionName: 'bare',
        env: {},
        events: [{}],
      });
      assert.deepEqual(bare.outcomes[0]?.response, { ok: true });
      measured.bareInitMs = Math.round(bare.initMs);
    });
  },
);

describe(
  'serverless invoke local, offline, as docs/serverless.md shows it',
  { skip: MISSING.length > 0 && `missing: ${MISSING.join(', ')}` },
  () => {
    /** Runs the docs' command for `fn`; osls prints the handler's return value last, indented. */
    async function local(fn: string, eventFile: string): Promise<unknown> {
      const config = join(clone, 'events/scrape-check.yaml');
      const { stdout, stderr } = await run(
        'npx',
        ['serverless', 'invoke', 'local', '-f', fn, '--path', `events/${eventFile}`]
          .concat(['--param', 'config=events/scrape-check.yaml'])
          .concat(['-e', `SCRAPE_CHECK_CONFIG=${config}`]),
        {
          cwd: clone,
          env: {
            ...process.env,
            PATH: `${join(ROOT, 'node_modules/.bin')}:${process.env.PATH ?? ''}`,
          },
          timeout: 120_000,
        },
      );
      const leaked = [SIGNING_SECRET, ...eks.secrets()].filter((x) =>
        (stdout + stderr).includes(x),
      );
      assert.deepEqual(leaked, [], `${fn} printed a secret`);
      const lines = stdout.split('\n');
      const start = lines.lastIndexOf('{');
      assert.ok(start >= 0, `no return value printed:\n${stdout}\n${stderr}`);
      return JSON.parse(lines.slice(start).join('\n'));
    }

    test('all four functions run with the sample events and config', async () => {
      const started = performance.now();
      const scheduled = (await local('scheduled', 'scheduled.json')) as { total: number };
      assert.equal(scheduled.total, 2);
      assert.deepEqual(await local('worker', 'sqs-batch.json'), { batchItemFailures: [] });
      const check = (await local('check', 'check.json')) as { results: { job: string }[] };
      assert.equal(check.results[0]?.job, 'etcd');
      // The sample command's signature is years old: read the secret, then refuse it.
      const chatops = (await local('chatops', 'slack-command.json')) as { statusCode: number };
      assert.equal(chatops.statusCode, 401);
      measured.invokeLocalSeconds = Math.round((performance.now() - started) / 100) / 10;
    });
  },
);
