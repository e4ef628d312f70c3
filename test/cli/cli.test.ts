/**
 * The command line as users script it: exit codes 0/1/2, one JSON document on stdout with --json,
 * one message on stderr and nothing on stdout for bad usage or configuration, and the lab.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { main } from '#lib/cli/main.ts';
import { runLab } from '#lib/lab/command.ts';
import { REASONS } from '#lib/result/reasons.ts';
import { assertNoSecrets, captureIo } from '../helpers/io.ts';
import { METRICS, startHttp, tempFiles, TEXT, type Running } from '../helpers/servers.ts';

let healthy: Running;
let files: Awaited<ReturnType<typeof tempFiles>>;
const SECRET = 'cli-test-secret-token-0123456789';

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo();
  const code = await main(argv, {}, io);
  return { code, out: io.out(), err: io.err() };
}

describe('scrape-check run', () => {
  before(async () => {
    healthy = await startHttp((req, res) => {
      if (req.headers.authorization !== `Bearer ${SECRET}`) {
        res.writeHead(401);
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': TEXT });
      res.end(METRICS);
    });
    files = await tempFiles({
      token: SECRET,
      'pass.yaml': `scrape_configs:\n  - job_name: node\n    authorization: {credentials_file: token}\n    static_configs: [{targets: ["${healthy.address}"]}]\n`,
      'mixed.yaml': `scrape_configs:\n  - job_name: node\n    authorization: {credentials_file: token}\n    static_configs: [{targets: ["${healthy.address}"]}]\n  - job_name: anonymous\n    static_configs: [{targets: ["${healthy.address}"]}]\n`,
      'bad.yaml':
        'scrape_configs:\n  - job_name: etcd\n    static_configs: [{targets: ["a:1"]}]\n    tls_config:\n      ca_file: 12\n',
      'empty.yaml': '',
    });
  });
  after(async () => {
    await healthy.close();
    await files.cleanup();
  });

  test('exit 0 and the JSON document when every check passes', async () => {
    const { code, out, err } = await run(['run', '--config', files.path('pass.yaml'), '--json']);
    assert.equal(code, 0, err);
    const doc = JSON.parse(out) as {
      summary: Record<string, number>;
      results: Record<string, unknown>[];
    };
    assert.deepEqual(Object.keys(doc), ['summary', 'results', 'skipped']);
    assert.deepEqual(Object.keys(doc.summary), ['total', 'ok', 'failed', 'skipped', 'durationMs']);
    const [result] = doc.results;
    for (const key of [
      'job',
      'cluster',
      'instance',
      'url',
      'ok',
      'reason',
      'diagnosis',
      'httpStatus',
      'durationMs',
      'phases',
      'bytes',
      'series',
      'format',
      'tls',
      'token',
      'limits',
      'warnings',
    ]) {
      assert.ok(key in result!, `result has ${key}`);
    }
    assert.equal(result!.reason, 'ok');
    assert.equal(result!.cluster, null);
    assert.equal(result!.url, `http://${healthy.address}/metrics`);
    assertNoSecrets([out, err], [SECRET]);
  });

  test('exit 1 and a table with a summary when a check fails', async () => {
    const { code, out, err } = await run(['run', '--config', files.path('mixed.yaml')]);
    assert.equal(code, 1);
    assert.match(out, /^JOB +INSTANCE +VERDICT +REASON +TIME +SERIES +CERT DAYS$/m);
    assert.match(out, /^node +127\.0\.0\.1:\d+ +ok +ok /m);
    assert.match(out, /^anonymous +127\.0\.0\.1:\d+ +FAIL +http_unauthorized /m);
    assert.match(out, /^2 checks: 1 ok, 1 failed in \d+/m);
    assert.doesNotMatch(out, /\u001b\[/, 'no colour when stdout is not a terminal');
    assertNoSecrets([out, err], [SECRET]);
  });

  test('--job runs only the named job', async () => {
    const { code, out } = await run([
      'run',
      '--config',
      files.path('mixed.yaml'),
      '--job',
      'node',
      '--json',
    ]);
    assert.equal(code, 0);
    assert.equal((JSON.parse(out) as { summary: { total: number } }).summary.total, 1);
  });

  test('exit 2 with one message naming file, line, column and key path, and nothing on stdout', async () => {
    const { code, out, err } = await run(['run', '--config', files.path('bad.yaml'), '--json']);
    assert.equal(code, 2);
    assert.equal(out, '');
    assert.equal(
      err,
      `scrape-check: ${files.path('bad.yaml')}:5:16: scrape_configs[0].tls_config.ca_file: expected string, got number 12\n`,
    );
  });

  test('exit 2 for an empty config: a monitor that checks nothing must not pass', async () => {
    const { code, out, err } = await run(['run', '--config', files.path('empty.yaml')]);
    assert.equal(code, 2);
    assert.equal(out, '');
    assert.match(err, /has no check in it/);
  });

  test('exit 2 for bad usage', async () => {
    const table: [string[], RegExp][] = [
      [['run', '--bogus'], /Unknown option '--bogus'/],
      [
        ['run', '--concurrency', 'many', '--config', files.path('pass.yaml')],
        /--concurrency takes a whole number/,
      ],
      [
        ['run', '--prometheus-version', '4', '--config', files.path('pass.yaml')],
        /--prometheus-version takes 2 or 3/,
      ],
      [
        ['run', '--config', files.path('pass.yaml'), '--job', 'nope'],
        /no job or cluster named "nope" \(known: node\)/,
      ],
      [['run', '--config', files.path('missing.yaml')], /missing\.yaml: no such file/],
      [['frobnicate'], /unknown command "frobnicate"/],
      [[], /usage:/],
    ];
    for (const [argv, message] of table) {
      const { code, out, err } = await run(argv);
      assert.equal(code, 2, argv.join(' '));
      assert.equal(out, '', argv.join(' '));
      assert.match(err, message);
    }
  });

  test('the bin runs under npx from the checkout', () => {
    const child = spawnSync(process.execPath, ['bin/scrape-check.js', '--version'], {
      encoding: 'utf8',
    });
    assert.equal(child.status, 0, child.stderr);
    assert.match(child.stdout, /^scrape-check\/\d+\.\d+\.\d+\n$/);
  });
});

describe('scrape-check lab', () => {
  test('every case gives the reason it reproduces, and nothing secret is printed', async () => {
    const lab = await runLab();
    assert.deepEqual(lab.mismatches, []);
    const reasons = new Set(lab.report.results.map((r) => r.reason));
    assert.ok(reasons.size >= 14, `the lab shows ${reasons.size} distinct reasons`);
    for (const r of reasons) assert.ok((REASONS as readonly string[]).includes(r));
    assertNoSecrets([JSON.stringify(lab.report)], lab.secrets);
  });

  test('npm start prints the table and exits 0', async () => {
    const { code, out } = await run(['lab']);
    assert.equal(code, 0);
    assert.match(out, /the lab works: every case gave the reason it reproduces/);
  });
});
