import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkAccess, parseSlashCommand, type SlashCommand } from '#lib/chatops/index.ts';
import type { Config } from '#lib/config/index.ts';

const config = {
  scrape_configs: [{ job_name: 'etcd' }, { job_name: 'node' }],
  clusters: [
    { name: 'prod', targets: ['apiserver', 'kubelet', 'etcd'] },
    { name: 'staging', targets: ['apiserver'] },
  ],
} as unknown as Pick<Config, 'clusters' | 'scrape_configs'>;

test('command: what each text asks for', () => {
  const cases: [string, SlashCommand][] = [
    ['', { kind: 'help' }],
    ['help', { kind: 'help' }],
    [' HELP ', { kind: 'help' }],
    ['all', { kind: 'run', clusters: [], jobs: [] }],
    ['prod', { kind: 'run', clusters: ['prod'], jobs: [] }],
    ['prod staging prod', { kind: 'run', clusters: ['prod', 'staging'], jobs: [] }],
    ['etcd', { kind: 'run', clusters: [], jobs: ['etcd'] }],
    ['apiserver', { kind: 'run', clusters: [], jobs: ['apiserver'] }],
    ['prod apiserver', { kind: 'run', clusters: [], jobs: ['prod/apiserver'] }],
    [
      'apiserver prod staging',
      { kind: 'run', clusters: [], jobs: ['prod/apiserver', 'staging/apiserver'] },
    ],
    ['prod etcd', { kind: 'run', clusters: [], jobs: ['prod/etcd'] }],
    ['staging etcd', { kind: 'run', clusters: [], jobs: ['etcd'] }],
    ['staging node', { kind: 'run', clusters: [], jobs: ['node'] }],
  ];
  for (const [text, expected] of cases)
    assert.deepEqual(parseSlashCommand(text, config), expected, text);
});

test('command: unknown words run nothing and list what exists', () => {
  assert.deepEqual(parseSlashCommand('prod apisrever', config), {
    kind: 'unknown',
    words: ['apisrever'],
    clusters: ['prod', 'staging'],
    jobs: ['apiserver', 'etcd', 'kubelet', 'node'],
  });
  const kubelet = parseSlashCommand('staging kubelet', config);
  assert.equal(kubelet.kind, 'unknown', 'staging has no kubelet target');
});

test('access: the allow-lists', () => {
  const open = (users: string[], channels: string[]) => ({
    allow_users: users,
    allow_channels: channels,
  });
  assert.equal(checkAccess(open([], []), 'U1', 'C1').ok, false, 'closed by default');
  assert.equal(checkAccess(open(['U1'], []), 'U1', 'C9').ok, true);
  assert.equal(checkAccess(open(['U1'], []), 'U2', 'C1').ok, false);
  assert.equal(checkAccess(open([], ['C1']), 'U9', 'C1').ok, true);
  assert.equal(checkAccess(open([], ['C1']), 'U9', 'C2').ok, false);
  assert.equal(checkAccess(open(['U1'], ['C1']), 'U1', 'C2').ok, false, 'both lists apply');
  const closed = checkAccess(open([], []), 'U1', 'C1');
  assert.ok(!closed.ok && closed.why.includes('chatops.allow_users'));
});
