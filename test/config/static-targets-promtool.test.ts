/**
 * Static targets, differential against Prometheus 2.42's `promtool check config`: a target holding
 * "/" is refused only in a job without relabel_configs (config.go `checkStaticTargets`), so
 * blackbox_exporter's jobs and the operator's Probes, which put URLs there and move them into
 * `__param_target`, load in both. Skipped without promtool, failing under CI=true
 * (test/helpers/peers.ts).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseConfig } from '#lib/config/load.ts';
import { BINARIES, peerMissing } from '../helpers/peers.ts';

const RELABEL = `
    relabel_configs:
      - { source_labels: [__address__], target_label: __param_target }
      - { target_label: __address__, replacement: "127.0.0.1:9115" }`;

const CASES: { name: string; targets: string; relabel: boolean }[] = [
  { name: 'a URL without relabel_configs', targets: '["http://a:1/metrics"]', relabel: false },
  {
    name: 'a URL moved by relabel_configs',
    targets: '["https://example.org/healthz"]',
    relabel: true,
  },
  { name: 'host:port', targets: '["a:1"]', relabel: false },
  { name: 'an odd host without a slash', targets: '["a b:1"]', relabel: false },
];

const missing = peerMissing(BINARIES.promtool);

describe(
  'static targets: differential against promtool check config 2.42',
  { skip: missing ?? false },
  () => {
    let dir = '';
    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'static-targets-'));
    });
    after(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    for (const c of CASES) {
      test(c.name, async () => {
        const text = `scrape_configs:\n  - job_name: x\n    static_configs: [{ targets: ${c.targets} }]${c.relabel ? RELABEL : ''}\n`;
        const file = join(dir, `${c.name.replaceAll(' ', '-')}.yml`);
        await writeFile(file, text);
        const promtool = spawnSync(BINARIES.promtool, ['check', 'config', file], {
          encoding: 'utf8',
        });
        const theirs = `${promtool.stdout}${promtool.stderr}`;
        const ours = await parseConfig(text, file, dir);
        assert.equal(ours.ok, promtool.status === 0, `promtool said:\n${theirs}`);
        if (!ours.ok) {
          assert.match(theirs, /is not a valid hostname/);
          assert.match(ours.message, /is not a valid hostname/);
          assert.match(ours.message, /static_configs\[0\]\.targets\[0\]/);
        }
      });
    }
  },
);
