/**
 * The lab as users run it: every case gives the reason it reproduces; `--json` says per case what
 * it should give and what it gave; `--keep` leaves the endpoints up with a prometheus.yml that
 * `scrape-check run` judges as the lab does and Debian's promtool accepts, until SIGTERM.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { describe, test } from 'node:test';
import { main } from '#lib/cli/main.ts';
import { runLab } from '#lib/lab/command.ts';
import { LAB_CASES } from '#lib/lab/cases.ts';
import { REASONS } from '#lib/result/reasons.ts';
import type { RunReport } from '#lib/result/types.ts';
import { assertNoSecrets, captureIo } from '../helpers/io.ts';
import { BINARIES, peerMissing } from '../helpers/peers.ts';
import { tempFiles } from '../helpers/servers.ts';

const expected = Object.fromEntries(LAB_CASES.map((c) => [c.job, c.expect]));

describe('scrape-check lab', () => {
  test('every case gives the reason it reproduces, and nothing secret is printed', async () => {
    const lab = await runLab();
    assert.deepEqual(
      lab.cases.filter((c) => !c.pass),
      [],
    );
    const reasons = new Set(lab.report.results.map((r) => r.reason));
    assert.ok(reasons.size >= 14, `the lab shows ${reasons.size} distinct reasons`);
    for (const r of reasons) assert.ok((REASONS as readonly string[]).includes(r));
    assertNoSecrets([JSON.stringify(lab.report)], lab.secrets);
  });

  test('--json: per case, which case, what it should give, what it gave, pass or fail', async () => {
    const io = captureIo();
    assert.equal(await main(['lab', '--json'], {}, io), 0, io.err());
    const doc = JSON.parse(io.out()) as {
      summary: { cases: number; passed: number; failed: number };
      cases: { job: string; title: string; expected: string; got: string; pass: boolean }[];
      report: RunReport;
    };
    assert.deepEqual(doc.summary.cases, LAB_CASES.length);
    assert.deepEqual([doc.summary.passed, doc.summary.failed], [LAB_CASES.length, 0]);
    for (const c of doc.cases) {
      assert.deepEqual(Object.keys(c), ['job', 'title', 'expected', 'got', 'pass']);
      assert.equal(c.expected, expected[c.job]);
      const result = doc.report.results.find((r) => r.job === c.job);
      assert.equal(c.got, result?.reason);
      assert.equal(c.pass, c.got === c.expected);
    }
    assert.equal(io.err(), '');
  });

  test('--keep: a prometheus.yml that run judges as the lab does and promtool accepts; SIGTERM closes it', async (t) => {
    // The command as users run it, in its own process, so that the signal is a real one.
    const child = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "import { main } from './lib/cli/main.ts'; process.exitCode = await main(process.argv.slice(1), process.env, process);",
        'lab',
        '--keep',
      ],
      { cwd: new URL('../../', import.meta.url), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const up = new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (c: Buffer) => {
        err += c.toString();
        if (err.includes('the endpoints are up until Ctrl-C or SIGTERM')) resolve();
      });
      void exited.then(() => {
        reject(new Error(`the lab exited early: ${err}`));
      });
    });
    const files = await tempFiles({});
    try {
      await up;
      const yml = out.slice(out.indexOf('# prometheus.yml'));
      const labVerdicts = Object.fromEntries(
        [...out.matchAll(/^(\S+) +\S+ +(?:ok|FAIL) +(\S+) /gm)].map((m) => [m[1]!, m[2]!] as const),
      );
      assert.deepEqual(labVerdicts, expected);
      assert.match(out, /^the lab works: every case gave the reason it reproduces/m);
      const config = files.path('prometheus.yml');
      await writeFile(config, yml);

      const io = captureIo();
      assert.equal(await main(['run', '--config', config, '--json'], {}, io), 1, io.err());
      const report = JSON.parse(io.out()) as RunReport;
      assert.deepEqual(Object.fromEntries(report.results.map((r) => [r.job, r.reason])), expected);

      // The printed comment's claim: Prometheus 2 decides otherwise on these cases.
      for (const c of LAB_CASES.filter((k) => k.prometheus2 !== undefined)) {
        assert.match(
          yml,
          new RegExp(`^# .*Prometheus 2 differs on .*${c.job} \\(${c.prometheus2}\\)`, 'm'),
        );
        const v2 = captureIo();
        const args = ['run', '--config', config, '--json', '--prometheus-version', '2'];
        await main([...args, '--job', c.job], {}, v2);
        assert.equal((JSON.parse(v2.out()) as RunReport).results[0]?.reason, c.prometheus2);
      }

      const files_ = [...yml.matchAll(/(?:ca_file|credentials_file): (\S+)/g)].map((m) => m[1]!);
      assert.ok(
        files_.length > 0 && files_.every((f) => existsSync(f)),
        'the files it names exist',
      );
      const tokens = files_
        .filter((f) => /token/.test(f))
        .map((f) => readFileSync(f, 'utf8').trim());
      assertNoSecrets([out, err, io.out(), io.err()], tokens);

      const missing = peerMissing(BINARIES.promtool);
      if (missing) t.diagnostic(`promtool check config not run: ${missing}`);
      else {
        // Prometheus 2.42's promtool: the config holds no Prometheus 3-only key.
        const check = spawnSync(BINARIES.promtool, ['check', 'config', config], {
          encoding: 'utf8',
        });
        assert.equal(check.status, 0, `${check.stdout}${check.stderr}`);
        assert.match(check.stdout, /SUCCESS/);
      }

      child.kill('SIGTERM');
      assert.equal(await exited, 0, err);
      assert.ok(!existsSync(dirname(files_[0]!)), "SIGTERM removed the lab's folder");
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await files.cleanup();
    }
  });
});
