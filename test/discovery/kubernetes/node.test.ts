/**
 * `role: node`, ported from prometheus/prometheus `discovery/kubernetes/node_test.go` at v2.42.0
 * and HEAD: the state each Go test ends in, listed, must give the groups the Go test expects.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nodeTargetGroups } from '#lib/discovery/kubernetes/index.ts';
import type { LabelSet, PromVersion } from '#lib/discovery/types.ts';
import { makeEnumeratedNode, makeNode } from './fixtures.ts';
import { assertGroups, title, type RoleCase } from './helpers.ts';

const target = (name: string): LabelSet => ({
  __address__: '1.2.3.4:10250',
  instance: name,
  __meta_kubernetes_node_address_InternalIP: '1.2.3.4',
});

/** The tests both versions share, with the same expectations. */
const shared: RoleCase[] = [
  {
    name: 'TestNodeDiscoveryBeforeStart',
    objects: {
      nodes: [
        makeNode(
          'test',
          '1.2.3.4',
          'aws:///nl-north-7b/i-03149834983492827',
          { 'test-label': 'testvalue' },
          { 'test-annotation': 'testannotationvalue' },
        ),
      ],
    },
    expected: {
      'node/test': {
        targets: [target('test')],
        labels: {
          __meta_kubernetes_node_name: 'test',
          __meta_kubernetes_node_provider_id: 'aws:///nl-north-7b/i-03149834983492827',
          __meta_kubernetes_node_label_test_label: 'testvalue',
          __meta_kubernetes_node_labelpresent_test_label: 'true',
          __meta_kubernetes_node_annotation_test_annotation: 'testannotationvalue',
          __meta_kubernetes_node_annotationpresent_test_annotation: 'true',
        },
      },
    },
  },
  {
    name: 'TestNodeDiscoveryAdd',
    objects: { nodes: [makeEnumeratedNode(1)] },
    expected: {
      'node/test1': {
        targets: [target('test1')],
        labels: {
          __meta_kubernetes_node_name: 'test1',
          __meta_kubernetes_node_provider_id: 'aws:///de-west-3a/i-1',
        },
      },
    },
  },
  // TestNodeDiscoveryDelete: once deleted, the node is not listed, and there is no group.
  { name: 'TestNodeDiscoveryDelete', objects: { nodes: [] }, expected: {} },
  {
    name: 'TestNodeDiscoveryUpdate',
    objects: {
      nodes: [
        makeNode(
          'test0',
          '1.2.3.4',
          'aws:///fr-south-1c/i-49508290343823952',
          {
            Unschedulable: 'true',
          },
          {},
        ),
      ],
    },
    expected: {
      'node/test0': {
        targets: [target('test0')],
        labels: {
          __meta_kubernetes_node_label_Unschedulable: 'true',
          __meta_kubernetes_node_labelpresent_Unschedulable: 'true',
          __meta_kubernetes_node_name: 'test0',
          __meta_kubernetes_node_provider_id: 'aws:///fr-south-1c/i-49508290343823952',
        },
      },
    },
  },
];

const base = {
  __meta_kubernetes_node_name: 'test',
  __meta_kubernetes_node_provider_id: 'aws:///test-zone/i-test',
};

/** TestNodeDiscoveryConditions (HEAD only: node conditions arrived in 3.12). */
const conditions: [string, { type: string; status: string }[] | null, LabelSet][] = [
  [
    'node ready true',
    [{ type: 'Ready', status: 'True' }],
    { ...base, __meta_kubernetes_node_condition_ready: 'true' },
  ],
  [
    'node ready false',
    [{ type: 'Ready', status: 'False' }],
    { ...base, __meta_kubernetes_node_condition_ready: 'false' },
  ],
  [
    'node ready unknown',
    [{ type: 'Ready', status: 'Unknown' }],
    { ...base, __meta_kubernetes_node_condition_ready: 'unknown' },
  ],
  ['node no conditions', null, base],
  [
    'node multiple conditions',
    [
      { type: 'MemoryPressure', status: 'False' },
      { type: 'Ready', status: 'True' },
      { type: 'DiskPressure', status: 'False' },
    ],
    {
      ...base,
      __meta_kubernetes_node_condition_memorypressure: 'false',
      __meta_kubernetes_node_condition_ready: 'true',
      __meta_kubernetes_node_condition_diskpressure: 'false',
    },
  ],
];

describe('kubernetes role: node', () => {
  for (const version of ['2', '3'] as PromVersion[]) {
    for (const c of shared) {
      it(title(version, 'node', c.name), () => {
        assertGroups(nodeTargetGroups(c.objects, { version }), c.expected);
      });
    }
  }
  for (const [name, conds, labels] of conditions) {
    it(title('3', 'node', `TestNodeDiscoveryConditions/${name}`), () => {
      const node = makeNode('test', '1.2.3.4', 'aws:///test-zone/i-test', {}, {}, conds);
      assertGroups(nodeTargetGroups({ nodes: [node] }, { version: '3' }), {
        'node/test': { targets: [target('test')], labels },
      });
    });
  }

  it('has no condition labels in Prometheus 2.42 (they arrived in 3.12)', () => {
    const node = makeNode('test', '1.2.3.4', 'aws:///test-zone/i-test', {}, {}, [
      { type: 'Ready', status: 'True' },
    ]);
    const [group] = nodeTargetGroups({ nodes: [node] }, { version: '2' });
    assert.deepEqual(group?.labels, base);
  });

  it('picks the address by type priority and labels the first address of each type', () => {
    const node = makeNode('n', '', '', null, null);
    node.status!.addresses = [
      { type: 'Hostname', address: 'n.example' },
      { type: 'ExternalIP', address: '203.0.113.7' },
      { type: 'InternalDNS', address: 'n.internal' },
      { type: 'ExternalIP', address: '203.0.113.8' },
      { type: 'InternalIP', address: 'fd00::5' },
    ];
    const [group] = nodeTargetGroups({ nodes: [node] }, { version: '3' });
    assert.deepEqual(group?.targets, [
      {
        __address__: '[fd00::5]:10250',
        instance: 'n',
        __meta_kubernetes_node_address_Hostname: 'n.example',
        __meta_kubernetes_node_address_ExternalIP: '203.0.113.7',
        __meta_kubernetes_node_address_InternalDNS: 'n.internal',
        __meta_kubernetes_node_address_InternalIP: 'fd00::5',
      },
    ]);
  });

  it('sends no group for a node without address, and says why', () => {
    const node = makeNode('lost', '', '', null, null);
    node.status!.addresses = [];
    const warnings: string[] = [];
    const groups = nodeTargetGroups(
      { nodes: [node] },
      { version: '3', warn: (w) => warnings.push(w) },
    );
    assert.deepEqual(groups, []);
    assert.match(warnings[0] ?? '', /node "lost" has no address.*No node address found/);
  });
});
