/**
 * The command line as users script it: exit codes 0/1/2, one JSON document on stdout with --json,
 * one message on stderr and nothing on stdout for bad usage or configuration, `--help` everywhere.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { main } from '#lib/cli/main.ts';
import { COMMANDS } from '#lib/cli/commands.ts';
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
      // Warnings in the file's order of lines, though found job by job, then global, then top.
      'warns.yaml': `global:\n  evaluation_interval: 1m\nscrape_configs:\n  - job_name: node\n    authorization: {credentials_file: token}\n    target_limit: 5\n    static_configs: [{targets: ["${healthy.address}"]}]\nrule_files: [a.yml]\n`,
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
      [
        ['run', '--bogus'],
        /^scrape-check: unknown option --bogus for run\nTry 'scrape-check run --help'\.\n$/,
      ],
      [['run', '--jsn'], /unknown option --jsn for run; did you mean --json\?/],
      [['run', '--config'], /^scrape-check: --config needs a value \(FILE\)\n/],
      [
        ['targets', '--json=yes'],
        /^scrape-check: --json takes no value, got "yes"\nTry 'scrape-check targets --help'/,
      ],
      [['lab', 'extra'], /^scrape-check: lab takes no arguments, got "extra"/],
      [['parse', 'a', 'b'], /^scrape-check: parse takes at most 1 argument \(\[FILE\|-\]\), got 2/],
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
      [
        ['frobnicate'],
        /^scrape-check: unknown command "frobnicate"\nTry 'scrape-check --help'\.\n$/,
      ],
      [['rn'], /unknown command "rn"; did you mean run\?/],
      [[], /^scrape-check: no command given \(one of run, targets, parse, lab\)/],
    ];
    for (const [argv, message] of table) {
      const { code, out, err } = await run(argv);
      assert.equal(code, 2, argv.join(' '));
      assert.equal(out, '', argv.join(' '));
      assert.match(err, message);
      assert.doesNotMatch(err, /ERR_PARSE_ARGS|To specify a positional argument/, 'no Node text');
    }
  });

  test('--help and -h on every command: usage, every option, the exit codes; exit 0', async () => {
    for (const spec of COMMANDS) {
      for (const flag of ['--help', '-h']) {
        const { code, out, err } = await run([spec.name, flag]);
        assert.equal(code, 0, `${spec.name} ${flag}`);
        assert.equal(err, '');
        assert.match(out, new RegExp(`^usage: scrape-check ${spec.name} `));
        for (const o of spec.options) assert.match(out, new RegExp(`--${o.name}\\b.* [a-z]`));
        assert.match(out, /^exit codes:\n {2}0 /m);
        for (const [n] of spec.exitCodes) assert.match(out, new RegExp(`^  ${n} `, 'm'));
      }
    }
    const top = await run(['--help']);
    assert.equal(top.code, 0);
    for (const spec of COMMANDS) assert.match(top.out, new RegExp(`^  ${spec.name} +[a-z]`, 'm'));
    assert.equal((await run(['help', 'targets'])).out, (await run(['targets', '--help'])).out);
  });

  test('options that do nothing in this mode say so on stderr', async () => {
    const samples = await run([
      'run',
      '--config',
      files.path('pass.yaml'),
      '--samples',
      '--no-sinks',
    ]);
    assert.equal(samples.code, 0, samples.err);
    assert.match(samples.err, /^warning: --samples does nothing without --json/m);
    assert.match(
      samples.err,
      /^warning: --no-sinks does nothing here: the config has no sinks\.remote_write/m,
    );
    const quiet = await run(['run', '--config', files.path('pass.yaml'), '--samples', '--json']);
    assert.equal(quiet.err, '');
    const explain = await run(['targets', '--config', files.path('pass.yaml'), '--explain']);
    assert.equal(explain.code, 0, explain.err);
    assert.match(
      explain.err,
      /^warning: --explain does nothing here: the selected jobs have no relabel_configs/m,
    );
  });

  test('config warnings are sorted by line, and wrapped like the diagnoses on a terminal', async () => {
    const io = captureIo();
    Object.assign(io.stderr, { isTTY: true, columns: 60 });
    const code = await main(['run', '--config', files.path('warns.yaml'), '--json'], {}, io);
    assert.equal(code, 0, io.err());
    const lines = io.err().trimEnd().split('\n');
    assert.ok(
      lines.every((l) => l.length <= 60),
      io.err(),
    );
    const starts = lines.filter((l) => l.startsWith('warning: '));
    assert.equal(starts.length, 3, io.err());
    assert.ok(lines.filter((l) => !l.startsWith('warning: ')).every((l) => l.startsWith('    ')));
    const at = starts.map((l) =>
      Number(/warns\.yaml:(\d+):/.exec(lines.slice(lines.indexOf(l)).join(' '))?.[1]),
    );
    assert.deepEqual(
      at,
      [...at].sort((a, b) => a - b),
    );
  });

  test('the bin runs under npx from the checkout', () => {
    const child = spawnSync(process.execPath, ['bin/scrape-check.js', '--version'], {
      encoding: 'utf8',
    });
    assert.equal(child.status, 0, child.stderr);
    assert.match(child.stdout, /^scrape-check\/\d+\.\d+\.\d+\n$/);
  });
});
