/**
 * What `serverless package` derives from the config (packaging/): the one config reader and its
 * messages, what ships in the zips, SSM's size limit, alarm names that never collide, the VPC
 * placement, access entries; and osls itself failing with the loader's message.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { alarmLogicalId, alarmPeriod } from '../../packaging/monitoring.ts';
import { buildStack, PackagingError, type StackParams } from '../../packaging/stack.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function params(dir: string, overrides: Partial<StackParams> = {}): StackParams {
  return {
    service: 'scrape-check',
    stage: 'dev',
    region: 'eu-west-1',
    serviceDir: dir,
    config: 'scrape-check.yaml',
    configFile: '',
    slackSecret: 'ssm:/scrape-check/slack-signing-secret',
    schedule: 'rate(5 minutes)',
    subnetIds: '',
    securityGroupIds: '',
    targetAlarms: 'true',
    accessEntries: 'true',
    ...overrides,
  };
}

function service(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'scrape-check-pkg-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const JOBS = `scrape_configs:
  - job_name: a-b
    static_configs: [{ targets: ['127.0.0.1:9100'] }]
  - job_name: a_b
    tls_config: { ca_file: certs/ca.pem }
    static_configs: [{ targets: ['127.0.0.1:9100'] }]
clusters:
  - name: prod
    eks: { cluster: prod-eks, region: eu-west-1 }
    service_account: { namespace: monitoring, name: scrape-check }
  - name: far
    eks: { cluster: far-eks, region: us-east-1 }
    service_account: { namespace: monitoring, name: scrape-check }
`;

test('jobs a-b and a_b each get an alarm; ids are stable and distinct', async () => {
  assert.notEqual(alarmLogicalId('none', 'a-b'), alarmLogicalId('none', 'a_b'));
  assert.equal(alarmLogicalId('none', 'a-b'), alarmLogicalId('none', 'a-b'));
  assert.match(alarmLogicalId('x'.repeat(300), 'y'), /^[A-Za-z0-9]{1,255}$/);
  const dir = service({ 'scrape-check.yaml': JOBS, 'certs/ca.pem': 'pem' });
  const stack = await buildStack(params(dir));
  const alarms = Object.entries(stack.resources.Resources).filter(([id]) =>
    id.startsWith('ScrapeAlarm'),
  );
  const jobs = alarms.map(
    ([, r]) => (r as { Properties: { Dimensions: { Value: string }[] } }).Properties.Dimensions,
  );
  assert.deepEqual(jobs.map((d) => `${d[0]!.Value}/${d[1]!.Value}`).sort(), [
    'far/apiserver',
    'far/kube-controller-manager',
    'far/kube-scheduler',
    'far/kubelet',
    'none/a-b',
    'none/a_b',
    'prod/apiserver',
    'prod/kube-controller-manager',
    'prod/kube-scheduler',
    'prod/kubelet',
  ]);
  assert.ok('ChecksAlarm' in stack.resources.Resources, 'the aggregate alarm');
  // The config and the CA file it names ship; the roles' outputs exist.
  assert.deepEqual(stack.patterns.sort(), ['certs/ca.pem', 'scrape-check.yaml']);
  assert.deepEqual(Object.keys(stack.resources.Outputs).sort(), [
    'ChatopsRoleArn',
    'CheckRoleArn',
    'ScheduledRoleArn',
    'WorkerRoleArn',
  ]);
  // Access entries for prod-eks (this region); far-eks gets the command to run instead.
  const entries = Object.values(stack.resources.Resources).filter(
    (r) => (r as { Type: string }).Type === 'AWS::EKS::AccessEntry',
  );
  assert.equal(entries.length, 3);
  assert.ok(
    stack.notes.some((n) => /far-eks.*aws eks create-access-entry --region us-east-1/.test(n)),
  );
  assert.equal(stack.vpc, null);
  assert.deepEqual(stack.managedPolicies, []);
  const off = await buildStack(params(dir, { targetAlarms: 'false', accessEntries: 'false' }));
  assert.deepEqual(
    Object.keys(off.resources.Resources).filter((id) => /^(ScrapeAlarm|AccessEntry)/.test(id)),
    [],
  );
});

test('an invalid config fails with the loader message; so does a missing one', async () => {
  const dir = service({
    'scrape-check.yaml': 'scrape_configs:\n  - job_name: x\n    tls_config: { ca_file: 12 }\n',
  });
  await assert.rejects(buildStack(params(dir)), (error: Error) => {
    assert.ok(error instanceof PackagingError);
    assert.match(
      error.message,
      /scrape-check\.yaml:3:\d+: scrape_configs\[0\]\.tls_config\.ca_file: expected string/,
    );
    return true;
  });
  await assert.rejects(
    buildStack(params(dir, { config: 'nope.yaml' })),
    /nope\.yaml: no such file, so the functions would have no config to read/,
  );
  await assert.rejects(
    buildStack(params(dir, { config: '/etc/scrape-check.yaml' })),
    /inside the service folder/,
  );
  const missingCa = service({ 'scrape-check.yaml': JOBS });
  await assert.rejects(buildStack(params(missingCa)), /names certs\/ca\.pem, which does not exist/);
});

test("SSM's 4 KB standard tier is named where it bites", async () => {
  const big = `${JOBS}# ${'x'.repeat(4200)}\n`;
  const dir = service({
    'copy.yaml': big,
    'huge.yaml': `${JOBS}# ${'x'.repeat(9000)}\n`,
    'certs/ca.pem': 'pem',
  });
  const stack = await buildStack(
    params(dir, { config: 'ssm:/scrape-check/config', configFile: 'copy.yaml' }),
  );
  assert.ok(
    stack.notes.some((n) =>
      /over the 4096 of an SSM standard parameter: put it with --tier Advanced/.test(n),
    ),
  );
  assert.deepEqual(
    stack.patterns,
    ['certs/ca.pem'],
    'an SSM config is not shipped; the files it names are',
  );
  const s3 = await buildStack(params(dir, { config: 's3://b/k.yaml', configFile: 'copy.yaml' }));
  assert.ok(!s3.notes.some((n) => /4096/.test(n)));
  await assert.rejects(
    buildStack(params(dir, { config: 'ssm:/scrape-check/config', configFile: 'huge.yaml' })),
    /at most 4096 \(standard tier\) or 8192 \(advanced tier\)/,
  );
  const none = await buildStack(params(dir, { config: 's3://b/k.yaml' }));
  assert.ok(none.notes.some((n) => /account-wide wildcards/.test(n)));
});

test('vpc params put the functions in the VPC with the VPC execution policy', async () => {
  const dir = service({ 'scrape-check.yaml': JOBS, 'certs/ca.pem': 'pem' });
  const stack = await buildStack(
    params(dir, { subnetIds: 'subnet-0a1b, subnet-2c3d', securityGroupIds: 'sg-0123' }),
  );
  assert.deepEqual(stack.vpc, {
    subnetIds: ['subnet-0a1b', 'subnet-2c3d'],
    securityGroupIds: ['sg-0123'],
  });
  assert.match(
    JSON.stringify(stack.managedPolicies),
    /service-role\/AWSLambdaVPCAccessExecutionRole/,
  );
  await assert.rejects(buildStack(params(dir, { subnetIds: 'subnet-0a1b' })), /go together/);
  await assert.rejects(
    buildStack(params(dir, { subnetIds: 'subnet-0a1b', securityGroupIds: 'default' })),
    /not a subnet-… or sg-… id: default/,
  );
});

test('the alarm period follows the schedule', () => {
  assert.equal(alarmPeriod('rate(5 minutes)'), 300);
  assert.equal(alarmPeriod('rate(1 minute)'), 300);
  assert.equal(alarmPeriod('rate(1 hour)'), 3600);
  assert.equal(alarmPeriod('cron(0 * * * ? *)'), 3600);
});

test('osls: variable resolution (what package and deploy run first) fails with the loader message', async () => {
  const dir = mkdtempSync(join(ROOT, '.scrape-check-bad-'));
  writeFileSync(
    join(dir, 'bad.yaml'),
    'scrape_configs:\n  - job_name: x\n    tls_config: { ca_file: 12 }\n    static_configs: [{ targets: [a:1] }]\n',
  );
  const config = relative(ROOT, join(dir, 'bad.yaml'));
  const result = await promisify(execFile)(
    'npx',
    ['serverless', 'print', '--param', `config=${config}`],
    {
      cwd: ROOT,
      env: { ...process.env, PATH: `${join(ROOT, 'node_modules/.bin')}:${process.env.PATH ?? ''}` },
      timeout: 60_000,
    },
  )
    .then(
      () => null,
      (error: unknown) => error as { code: number; stdout: string; stderr: string },
    )
    .finally(() => {
      rmSync(dir, { recursive: true, force: true });
    });
  assert.ok(result, 'serverless must fail');
  assert.match(
    result.stdout + result.stderr,
    /bad\.yaml:3:\d+: scrape_configs\[0\]\.tls_config\.ca_file: expected string, got number 12/,
  );
});

test('the Slack app manifest: one slash command at the ChatopsUrl placeholder, the commands scope', () => {
  const manifest = parse(readFileSync(join(ROOT, 'deploy/slack/app-manifest.yaml'), 'utf8')) as {
    features: { slash_commands: { command: string; url: string; should_escape: boolean }[] };
    oauth_config: { scopes: { bot: string[] } };
  };
  const command = manifest.features.slash_commands[0]!;
  assert.equal(command.command, '/scrape-check');
  assert.match(command.url, /^https:\/\/REPLACE-WITH-CHATOPS-URL\./);
  assert.equal(command.should_escape, false);
  assert.deepEqual(manifest.oauth_config.scopes.bot, ['commands']);
});
