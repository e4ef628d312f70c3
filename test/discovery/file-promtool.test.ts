/**
 * Broken target files, word for word against Prometheus 2.42: `promtool check config` decodes the
 * files a file_sd job names with the same code file_sd uses (`targetgroup.Group` through
 * `json.Unmarshal` / `yaml.UnmarshalStrict`) and prints `checking SD file "<file>": <error>`.
 * YAML syntax errors are only checked to start with `yaml: `: their wording comes from the `yaml`
 * package, not yaml.v2. Skipped without promtool, failing under CI=true (test/helpers/peers.ts).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { discoverFiles } from '#lib/discovery/file.ts';
import { BINARIES, peerMissing } from '../helpers/peers.ts';

const run = promisify(execFile);

async function promtoolSays(dir: string, file: string): Promise<string | null> {
  const config = join(dir, 'prometheus.yml');
  await writeFile(
    config,
    `scrape_configs:\n  - job_name: a\n    file_sd_configs:\n      - files: [${file}]\n`,
  );
  try {
    await run(BINARIES.promtool, ['check', 'config', config]);
    return null;
  } catch (error) {
    const out = `${(error as { stdout: string }).stdout}${(error as { stderr: string }).stderr}`;
    const marker = `checking SD file "${join(dir, file)}": `;
    const at = out.indexOf(marker);
    assert.ok(at >= 0, out);
    return out.slice(at + marker.length).trimEnd();
  }
}

const CASES: [string, string][] = [
  ['t.json', '[{"targets": ["a"], "foo": 1}]'],
  ['t.json', '[{"TARGETS": ["a"], "Labels": {"x": "1"}}]'],
  ['t.json', '[{"targets": [1]}]'],
  ['t.json', '[{"targets": "a"}]'],
  ['t.json', '[{"targets": [], "labels": {"a": 1}}]'],
  ['t.json', '[{"targets": [], "labels": {"a": {}}}]'],
  ['t.json', '[{"labels": []}]'],
  ['t.json', '["a:1"]'],
  ['t.json', '[[]]'],
  ['t.json', '{"targets": []}'],
  ['t.json', '[{"foo": 1, "labels": {"a-b": "x"}}]'],
  ['t.json', '[{"targets": [1], "labels": {"a-b": "x"}}]'],
  ['t.json', '[null, {"targets": 5}]'],
  ['t.json', ''],
  ['t.json', '[tru'],
  ['t.json', '\ufeff[]'],
  ['t.json', '[01]'],
  ['t.json', '[-]'],
  ['t.json', '[1.]'],
  ['t.json', '[1e+]'],
  ['t.json', '["\\u12"]'],
  ['t.json', '["a\tb"]'],
  ['t.json', '{"a" 1}'],
  ['t.json', '{"a": 1 "b"}'],
  ['t.json', '{1: 2}'],
  ['t.json', '[{"targets": ["\\x"]}]'],
  ['t.json', '[] []'],
  ['t.json', '[{"targets":[]},]'],
  ['t.json', '[{"targets":[]'],
  ['t.json', '["abc'],
  ['t.json', 'null'],
  ['t.yml', '- targets: [a]\n  foo: 1\n'],
  ['t.yml', '- targets: a\n- labels: [x]\n'],
  ['t.yml', '- targets: [a]\n  targets: [b]\n'],
  ['t.yml', '- labels: {a: x, a: y}\n'],
  ['t.yml', '- labels: {a: 1, <<: {a: 2}}\n'],
  ['t.yml', '- targets: [{a: b}]\n'],
  ['t.yml', '- targets: [[a]]\n'],
  ['t.yml', '- targets: 12345678901\n'],
  [
    't.yml',
    '- targets: yes\n- targets: 1.5\n- targets: 2001-12-14\n- targets: !!binary aGVsbG8=\n',
  ],
  ['t.yml', '- targets: [a]\n  labels: {a-b: x}\n'],
  ['t.yml', '- labels: {~: x}\n'],
  ['t.yml', '- labels: {NULL: x}\n'],
  ['t.yml', '- labels: x\n'],
  ['t.yml', '- labels: {a: [x]}\n'],
  ['t.yml', 'targets: [a]\n'],
  ['t.yml', 'just text\n'],
  ['t.yml', '- NULL\n'],
  ['t.yml', '- [a]\n'],
  ['t.yml', '- targets\n'],
  ['t.yml', '# nothing\n'],
  ['t.yml', '- targets: [a]\n---\n: : [\n'],
  ['t.yml', '- targets: [a]\n  labels: &l {team: a}\n- targets: [b]\n  labels: {<<: *l, x: y}\n'],
  ['t.yml', '- targets: [a\n- b\n'],
  ['t.yml', ']gibberish\n]['],
];

describe(
  'broken target files: the same error as promtool check config (Prometheus 2.42)',
  { skip: peerMissing(BINARIES.promtool) ?? false },
  () => {
    let dir: string;
    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'scrape-check-sd-files-'));
    });
    after(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    for (const [file, body] of CASES) {
      test(`${file}: ${JSON.stringify(body)}`, async () => {
        await writeFile(join(dir, file), body);
        const theirs = await promtoolSays(dir, file);
        const outcome = await discoverFiles(
          { files: [file], refreshIntervalMs: 300_000 },
          { baseDir: dir, version: '2' },
        );
        const mine = outcome.files[0]?.problem?.message ?? null;
        if (theirs === null || mine === null) {
          assert.equal(mine, theirs);
        } else if (theirs.startsWith('nil target group item found')) {
          // promtool adds the index (cmd/promtool/main.go checkSDFile); file_sd does not.
          assert.equal(mine, 'nil target group item found');
        } else if (
          file.endsWith('.yml') &&
          !theirs.startsWith('yaml: unmarshal errors') &&
          theirs.startsWith('yaml: ')
        ) {
          assert.match(mine, /^yaml: /);
        } else {
          assert.equal(mine, theirs);
        }
      });
    }
  },
);
