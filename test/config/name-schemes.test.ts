/**
 * Prometheus 3's `metric_name_validation_scheme` and `metric_name_escaping_scheme`, checked against
 * Prometheus's source (Debian's 2.42 lacks them): the resolution and the refusals are
 * `config/config_test.go`'s own cases (TestScrapeConfigNameValidationSettings,
 * TestScrapeConfigNameEscapingSettings, the `.bad.yml` files), and what a scrape does with them is
 * scrape/scrape.go's (`acceptHeader`, `lset.IsValid(sl.validationScheme)`). Prometheus 2.42's
 * refusal of both keys is checked against promtool 2.42 itself.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { main } from '#lib/cli/main.ts';
import { parseConfig } from '#lib/config/index.ts';
import { resolvedNameSchemes } from '#lib/config/name-schemes.ts';
import type { CheckResult } from '#lib/result/types.ts';
import { captureIo } from '../helpers/io.ts';
import { BINARIES, peerMissing } from '../helpers/peers.ts';
import { startHttp, tempFiles, TEXT, type Running } from '../helpers/servers.ts';

const TARGET = '    static_configs: [{targets: ["127.0.0.1:9"]}]\n';

async function load(text: string, version: '2' | '3' = '3') {
  return parseConfig(text, 'prometheus.yml', '/tmp', { prometheusVersion: version });
}

describe('resolved as Prometheus 3 resolves them (config_test.go, Prometheus source)', () => {
  // [testdata file, its text, validation, escaping]
  const cases: [string, string, string, string][] = [
    ['scrape_config_default_validation_mode', '', 'utf8', 'allow-utf-8'],
    [
      'scrape_config_global_validation_mode',
      'global:\n  metric_name_validation_scheme: legacy\n  metric_name_escaping_scheme: dots\n',
      'legacy',
      'dots',
    ],
    [
      'scrape_config_local_validation_mode',
      'JOB    metric_name_validation_scheme: legacy\n    metric_name_escaping_scheme: values\n',
      'legacy',
      'values',
    ],
    [
      'scrape_config_local_global_validation_mode',
      'global:\n  metric_name_validation_scheme: legacy\n  metric_name_escaping_scheme: values\n' +
        'JOB    metric_name_validation_scheme: utf8\n    metric_name_escaping_scheme: dots\n',
      'utf8',
      'dots',
    ],
    [
      'scrape_config_local_infer_escaping',
      'JOB    metric_name_validation_scheme: legacy\n',
      'legacy',
      'underscores',
    ],
    // Beyond the testdata, from ScrapeConfig.Validate: a legacy global alone escapes underscores.
    [
      '(global legacy)',
      'global:\n  metric_name_validation_scheme: legacy\n',
      'legacy',
      'underscores',
    ],
  ];
  for (const [name, text, validation, escaping] of cases) {
    test(name, async () => {
      const [head, job = ''] = text.split('JOB');
      const yaml = `${head}scrape_configs:\n  - job_name: prometheus\n${TARGET}${job}`;
      const loaded = await load(yaml);
      assert.ok(loaded.ok, loaded.ok ? '' : loaded.message);
      const job0 = loaded.config.scrape_configs[0]!;
      assert.deepEqual(resolvedNameSchemes(loaded.config.global, job0, '3'), {
        validation,
        escaping,
      });
    });
  }
});

test('refused as Prometheus 3 refuses them, at the key that does it (config_test.go .bad.yml)', async () => {
  const table: [string, RegExp][] = [
    [
      // metric_name_validation_scheme.bad.yml
      `global:\n  metric_name_validation_scheme: invalid_scheme\nscrape_configs:\n  - job_name: prometheus\n${TARGET}`,
      /^prometheus\.yml:2:34: global\.metric_name_validation_scheme: unrecognized ValidationScheme: "invalid_scheme"$/m,
    ],
    [
      // scrape_config_utf8_conflicting.bad.yml
      `global:\n  metric_name_validation_scheme: legacy\n  metric_name_escaping_scheme: allow-utf-8\nscrape_configs:\n  - job_name: prometheus\n${TARGET}`,
      /^prometheus\.yml:3:32: global\.metric_name_escaping_scheme: utf8 metric names requested but validation scheme is not set to UTF8/m,
    ],
    [
      `scrape_configs:\n  - job_name: prometheus\n${TARGET}    metric_name_validation_scheme: legacy\n    metric_name_escaping_scheme: allow-utf-8\n`,
      /scrape_configs\[0\]\.metric_name_escaping_scheme: utf8 metric names requested but validation scheme is not set to UTF8/,
    ],
    [
      `scrape_configs:\n  - job_name: prometheus\n${TARGET}    metric_name_escaping_scheme: dashes\n`,
      /scrape_configs\[0\]\.metric_name_escaping_scheme: unknown scrape config name escaping method specified, must be one of 'allow-utf-8', 'underscores', 'dots', or 'values', got "dashes"/,
    ],
    [
      // A job's legacy validation holds its relabel rules to legacy names (relabel.Config.Validate).
      `scrape_configs:\n  - job_name: prometheus\n${TARGET}    metric_name_validation_scheme: legacy\n    relabel_configs: [{target_label: "team.name", replacement: x}]\n`,
      /relabel_configs\[0\]\.target_label: "team\.name" is invalid 'target_label' for replace action/,
    ],
  ];
  for (const [yaml, expected] of table) {
    const loaded = await load(yaml);
    assert.ok(!loaded.ok, yaml);
    assert.match(loaded.message, expected);
  }
  // The same rule under utf8 (the default) loads.
  const utf8 = await load(
    `scrape_configs:\n  - job_name: prometheus\n${TARGET}    relabel_configs: [{target_label: "team.name", replacement: x}]\n`,
  );
  assert.ok(utf8.ok, utf8.ok ? '' : utf8.message);
});

test('Prometheus 2 has neither key: refused in promtool 2.42 words (promtool 2.42, differential)', async (t) => {
  const missing = peerMissing(BINARIES.promtool);
  if (missing !== null) {
    t.skip(missing);
    return;
  }
  const yaml =
    'global:\n  metric_name_validation_scheme: legacy\nscrape_configs:\n  - job_name: a\n' +
    `${TARGET}    metric_name_escaping_scheme: dots\n`;
  const files = await tempFiles({ 'prometheus.yml': yaml });
  try {
    const promtool = spawnSync(
      BINARIES.promtool,
      ['check', 'config', files.path('prometheus.yml')],
      {
        encoding: 'utf8',
      },
    );
    assert.equal(promtool.status, 1);
    const loaded = await load(yaml, '2');
    assert.ok(!loaded.ok);
    for (const [line, key, type] of [
      [2, 'metric_name_validation_scheme', 'config.plain'],
      [6, 'metric_name_escaping_scheme', 'config.ScrapeConfig'],
    ] as const) {
      const words = `field ${key} not found in type ${type}`;
      assert.match(promtool.stdout + promtool.stderr, new RegExp(`line ${line}: ${words}`));
      assert.match(loaded.message, new RegExp(`^prometheus\\.yml:${line}:\\d+: .*${words}`, 'm'));
    }
  } finally {
    await files.cleanup();
  }
});

test('external_labels: names the global scheme refuses (promtool 2.42 differential; 3.x from config.go)', async (t) => {
  const yaml = (global: string): string =>
    `global:\n${global}  external_labels:\n    bad-name: x\n    ok: "y"\n` +
    `scrape_configs:\n  - job_name: a\n${TARGET}`;
  const words = '"bad-name" is not a valid label name';
  // Prometheus 3 with its default utf8 scheme takes the name; with legacy it refuses it.
  assert.ok((await load(yaml(''))).ok);
  const legacy = await load(yaml('  metric_name_validation_scheme: legacy\n'));
  assert.ok(!legacy.ok);
  assert.match(legacy.message, new RegExp(`global\\.external_labels\\.bad-name: ${words}`));
  const two = await load(yaml(''), '2');
  assert.ok(!two.ok);
  assert.match(
    two.message,
    new RegExp(`^prometheus\\.yml:3:\\d+: global\\.external_labels\\.bad-name: ${words}`),
  );
  const missing = peerMissing(BINARIES.promtool);
  if (missing !== null) {
    t.skip(missing);
    return;
  }
  const files = await tempFiles({ 'prometheus.yml': yaml('') });
  try {
    const promtool = spawnSync(
      BINARIES.promtool,
      ['check', 'config', files.path('prometheus.yml')],
      {
        encoding: 'utf8',
      },
    );
    assert.equal(promtool.status, 1);
    assert.match(promtool.stdout + promtool.stderr, new RegExp(words));
  } finally {
    await files.cleanup();
  }
});

describe('a scrape under the job schemes (scrape/scrape.go, Prometheus source)', () => {
  let server: Running;
  let files: Awaited<ReturnType<typeof tempFiles>>;
  const BODY = '# TYPE "my.metric" gauge\n{"my.metric",code="200"} 1\nup 1\n';

  before(async () => {
    server = await startHttp((_req, res) => {
      res.writeHead(200, { 'content-type': TEXT });
      res.end(BODY);
    });
    files = await tempFiles({});
  });
  after(async () => {
    await server.close();
    await files.cleanup();
  });

  async function check(jobKeys: string): Promise<CheckResult> {
    const yaml =
      'compat: {prometheus: "3"}\nscrape_configs:\n  - job_name: utf8-names\n' +
      `    static_configs: [{targets: ["${server.address}"]}]\n${jobKeys}`;
    await writeFile(files.path('scrape-check.yaml'), yaml);
    const io = captureIo();
    await main(['run', '--config', files.path('scrape-check.yaml'), '--json'], {}, io);
    const doc = JSON.parse(io.out()) as { results: CheckResult[] };
    return doc.results[0]!;
  }

  test('the Accept header asks for the escaping the job resolves to', async () => {
    const before = server.requests.length;
    await check('    metric_name_validation_scheme: legacy\n');
    await check('    metric_name_escaping_scheme: dots\n');
    await check('');
    const accepts = server.requests.slice(before).map((r) => r.accept ?? '');
    assert.match(accepts[0]!, /text\/plain;version=1\.0\.0;escaping=underscores;q=/);
    assert.match(accepts[1]!, /text\/plain;version=1\.0\.0;escaping=dots;q=/);
    assert.match(accepts[2]!, /text\/plain;version=1\.0\.0;escaping=allow-utf-8;q=/);
  });

  test('a UTF-8 name the target did not escape fails a legacy job, and passes a utf8 one', async () => {
    const legacy = await check('    metric_name_validation_scheme: legacy\n');
    assert.equal(legacy.reason, 'parse_failed');
    assert.match(
      legacy.diagnosis,
      /^invalid metric name or label names: \{__name__="my\.metric", .*the target exposes "my\.metric", a name metric_name_validation_scheme: legacy refuses \(the scrape asked for escaping=underscores and the target did not escape it\).*Set metric_name_validation_scheme: utf8/,
    );
    const utf8 = await check('');
    assert.equal(utf8.reason, 'ok', utf8.diagnosis);
  });
});
