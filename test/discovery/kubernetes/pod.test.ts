/**
 * `role: pod`, ported from prometheus/prometheus `discovery/kubernetes/pod_test.go` at v2.42.0
 * (the first ten tests) and HEAD (all nineteen): the state each Go test ends in, listed, must give
 * the groups the Go test expects.
 */
import { describe, it } from 'node:test';
import type { LabelSet, PromVersion } from '#lib/discovery/types.ts';
import type { KubeObject, Pod } from '#lib/discovery/kubernetes/index.ts';
import { makeNamespace, makeNode, makePods } from './fixtures.ts';
import { runCase, title, type RoleCase } from './helpers.ts';

function makeMultiPortPods(): Pod {
  return {
    metadata: {
      name: 'testpod',
      namespace: 'default',
      labels: { 'test/label': 'testvalue' },
      annotations: { 'test/annotation': 'testannotationvalue' },
      uid: 'abc123',
      ownerReferences: [
        { kind: 'testcontrollerkind', name: 'testcontrollername', controller: true },
      ],
    },
    spec: {
      nodeName: 'testnode',
      containers: [
        {
          name: 'testcontainer0',
          image: 'testcontainer0:latest',
          ports: [
            { name: 'testport0', protocol: 'TCP', containerPort: 9000 },
            { name: 'testport1', protocol: 'UDP', containerPort: 9001 },
          ],
        },
        { name: 'testcontainer1', image: 'testcontainer1:latest' },
      ],
    },
    status: {
      podIP: '1.2.3.4',
      hostIP: '2.3.4.5',
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [
        { name: 'testcontainer0', containerID: 'docker://a1b2c3d4e5f6' },
        { name: 'testcontainer1', containerID: 'containerd://6f5e4d3c2b1a' },
      ],
    },
  };
}

function makeInitContainerPods(): Pod {
  const pod = makePods('default');
  pod.spec!.initContainers = [{ name: 'initcontainer', image: 'initcontainer:latest' }];
  pod.status = {
    ...pod.status,
    phase: 'Pending',
    conditions: [{ type: 'Ready', status: 'False' }],
    initContainerStatuses: [{ name: 'initcontainer', containerID: 'containerd://6f5e4d3c2b1a' }],
  };
  return pod;
}

const TARGET: LabelSet = {
  __address__: '1.2.3.4:9000',
  __meta_kubernetes_pod_container_name: 'testcontainer',
  __meta_kubernetes_pod_container_image: 'testcontainer:latest',
  __meta_kubernetes_pod_container_port_name: 'testport',
  __meta_kubernetes_pod_container_port_number: '9000',
  __meta_kubernetes_pod_container_port_protocol: 'TCP',
  __meta_kubernetes_pod_container_init: 'false',
  __meta_kubernetes_pod_container_id: 'docker://a1b2c3d4e5f6',
};

/** `expectedPodTargetGroups`. */
function expectedPodTargetGroups(ns: string, extra: LabelSet = {}): RoleCase['expected'] {
  return {
    [`pod/${ns}/testpod`]: {
      targets: [TARGET],
      labels: {
        __meta_kubernetes_pod_name: 'testpod',
        __meta_kubernetes_namespace: ns,
        __meta_kubernetes_pod_node_name: 'testnode',
        __meta_kubernetes_pod_ip: '1.2.3.4',
        __meta_kubernetes_pod_host_ip: '2.3.4.5',
        __meta_kubernetes_pod_ready: 'true',
        __meta_kubernetes_pod_phase: 'Running',
        __meta_kubernetes_pod_uid: 'abc123',
        ...extra,
      },
    },
  };
}

/** `expectedPodTargetGroupsWithNodeMeta`. */
function withNodeMeta(nodeName: string, labels: Record<string, string>): RoleCase['expected'] {
  const extra: LabelSet = { __meta_kubernetes_node_name: nodeName };
  for (const [k, v] of Object.entries(labels)) {
    extra[`__meta_kubernetes_node_label_${k}`] = v;
    extra[`__meta_kubernetes_node_labelpresent_${k}`] = 'true';
  }
  return expectedPodTargetGroups('default', extra);
}

function inNamespace(ns: string): Pod {
  return makePods(ns);
}

/** The tests v2.42.0 and HEAD share, with the same expectations. */
const shared: RoleCase[] = [
  {
    name: 'TestPodDiscoveryBeforeRun',
    objects: { pods: [makeMultiPortPods()] },
    expected: {
      'pod/default/testpod': {
        targets: [
          {
            __address__: '1.2.3.4:9000',
            __meta_kubernetes_pod_container_name: 'testcontainer0',
            __meta_kubernetes_pod_container_image: 'testcontainer0:latest',
            __meta_kubernetes_pod_container_port_name: 'testport0',
            __meta_kubernetes_pod_container_port_number: '9000',
            __meta_kubernetes_pod_container_port_protocol: 'TCP',
            __meta_kubernetes_pod_container_init: 'false',
            __meta_kubernetes_pod_container_id: 'docker://a1b2c3d4e5f6',
          },
          {
            __address__: '1.2.3.4:9001',
            __meta_kubernetes_pod_container_name: 'testcontainer0',
            __meta_kubernetes_pod_container_image: 'testcontainer0:latest',
            __meta_kubernetes_pod_container_port_name: 'testport1',
            __meta_kubernetes_pod_container_port_number: '9001',
            __meta_kubernetes_pod_container_port_protocol: 'UDP',
            __meta_kubernetes_pod_container_init: 'false',
            __meta_kubernetes_pod_container_id: 'docker://a1b2c3d4e5f6',
          },
          {
            __address__: '1.2.3.4',
            __meta_kubernetes_pod_container_name: 'testcontainer1',
            __meta_kubernetes_pod_container_image: 'testcontainer1:latest',
            __meta_kubernetes_pod_container_init: 'false',
            __meta_kubernetes_pod_container_id: 'containerd://6f5e4d3c2b1a',
          },
        ],
        labels: {
          __meta_kubernetes_pod_name: 'testpod',
          __meta_kubernetes_namespace: 'default',
          __meta_kubernetes_pod_label_test_label: 'testvalue',
          __meta_kubernetes_pod_labelpresent_test_label: 'true',
          __meta_kubernetes_pod_annotation_test_annotation: 'testannotationvalue',
          __meta_kubernetes_pod_annotationpresent_test_annotation: 'true',
          __meta_kubernetes_pod_node_name: 'testnode',
          __meta_kubernetes_pod_ip: '1.2.3.4',
          __meta_kubernetes_pod_host_ip: '2.3.4.5',
          __meta_kubernetes_pod_ready: 'true',
          __meta_kubernetes_pod_phase: 'Running',
          __meta_kubernetes_pod_uid: 'abc123',
          __meta_kubernetes_pod_controller_kind: 'testcontrollerkind',
          __meta_kubernetes_pod_controller_name: 'testcontrollername',
        },
      },
    },
  },
  {
    name: 'TestPodDiscoveryInitContainer',
    objects: { pods: [makeInitContainerPods()] },
    expected: {
      'pod/default/testpod': {
        targets: [
          TARGET,
          {
            __address__: '1.2.3.4',
            __meta_kubernetes_pod_container_name: 'initcontainer',
            __meta_kubernetes_pod_container_image: 'initcontainer:latest',
            __meta_kubernetes_pod_container_init: 'true',
            __meta_kubernetes_pod_container_id: 'containerd://6f5e4d3c2b1a',
          },
        ],
        labels: {
          ...expectedPodTargetGroups('default')['pod/default/testpod']!.labels,
          __meta_kubernetes_pod_phase: 'Pending',
          __meta_kubernetes_pod_ready: 'false',
        },
      },
    },
  },
  {
    name: 'TestPodDiscoveryAdd',
    objects: { pods: [makePods()] },
    expected: expectedPodTargetGroups('default'),
  },
  { name: 'TestPodDiscoveryDelete', objects: { pods: [] }, expected: {} },
  // TestPodDiscoveryUpdate: the pod updated to makePods().
  {
    name: 'TestPodDiscoveryUpdate',
    objects: { pods: [makePods()] },
    expected: expectedPodTargetGroups('default'),
  },
  {
    name: 'TestPodDiscoveryUpdateEmptyPodIP',
    objects: { pods: [{ ...makePods(), status: { ...makePods().status, podIP: '' } }] },
    expected: { 'pod/default/testpod': {} },
  },
  {
    name: 'TestPodDiscoveryNamespaces',
    objects: { pods: [inNamespace('ns1'), inNamespace('ns2')] },
    discovery: { names: ['ns1', 'ns2'] },
    expected: { ...expectedPodTargetGroups('ns1'), ...expectedPodTargetGroups('ns2') },
  },
  {
    name: 'TestPodDiscoveryOwnNamespace',
    objects: { pods: [inNamespace('own-ns'), inNamespace('non-own-ns')] },
    discovery: { ownNamespace: true },
    expected: expectedPodTargetGroups('own-ns'),
  },
  {
    name: 'TestPodDiscoveryWithNodeMetadata',
    objects: { nodes: [makeNode('testnode', '', '', { l1: 'v1' }, null)], pods: [makePods()] },
    attachMetadata: { node: true },
    expected: withNodeMeta('testnode', { l1: 'v1' }),
  },
  {
    name: 'TestPodDiscoveryWithNodeMetadataUpdateNode',
    objects: { nodes: [makeNode('testnode', '', '', { l2: 'v2' }, null)], pods: [makePods()] },
    attachMetadata: { node: true },
    expected: withNodeMeta('testnode', { l2: 'v2' }),
  },
];

const NS = 'test-ns';

function owned(kind: string, name: string, uid: string): Pod {
  const pod = makePods('default');
  pod.metadata = {
    name: 'testpod',
    namespace: 'default',
    uid,
    ownerReferences: [{ kind, name, controller: true }],
  };
  return pod;
}

function ownedBy(name: string, kind: string, owner: string): KubeObject {
  return {
    metadata: {
      name,
      namespace: 'default',
      ownerReferences: [{ kind, name: owner, controller: true }],
    },
  };
}

const workloadLabels = (kind: string, name: string, extra: LabelSet): RoleCase['expected'] =>
  expectedPodTargetGroups('default', {
    __meta_kubernetes_pod_uid: 'pod123',
    __meta_kubernetes_pod_controller_kind: kind,
    __meta_kubernetes_pod_controller_name: name,
    ...extra,
  });

const rsPod = owned('ReplicaSet', 'testdeployment-rs-abc', 'pod123');
const replicaSet = ownedBy('testdeployment-rs-abc', 'Deployment', 'testdeployment');
const jobPod = owned('Job', 'testjob', 'pod123');
const job: KubeObject = { metadata: { name: 'testjob', namespace: 'default' } };
const cronJobPod = owned('Job', 'testcronjob-job-abc', 'pod123');
const cronJobJob = ownedBy('testcronjob-job-abc', 'CronJob', 'testcronjob');

/** The tests only HEAD has (attach_metadata namespace 3.6; node selectors and workloads 3.11). */
const headOnly: RoleCase[] = [
  {
    name: 'TestPodDiscoveryWithNamespaceMetadata',
    objects: {
      namespaces: [
        makeNamespace(
          NS,
          { app: 'web', tier: 'frontend' },
          { maintainer: 'devops', build: 'v3.4.5' },
        ),
      ],
      pods: [makePods(NS)],
    },
    attachMetadata: { namespace: true },
    expected: expectedPodTargetGroups(NS, {
      __meta_kubernetes_namespace_annotation_maintainer: 'devops',
      __meta_kubernetes_namespace_annotationpresent_maintainer: 'true',
      __meta_kubernetes_namespace_annotation_build: 'v3.4.5',
      __meta_kubernetes_namespace_annotationpresent_build: 'true',
      __meta_kubernetes_namespace_label_app: 'web',
      __meta_kubernetes_namespace_labelpresent_app: 'true',
      __meta_kubernetes_namespace_label_tier: 'frontend',
      __meta_kubernetes_namespace_labelpresent_tier: 'true',
    }),
  },
  {
    // The namespace as updated: labels app=service, zone; annotations maintainer=sre, deployment.
    name: 'TestPodDiscoveryWithUpdatedNamespaceMetadata',
    objects: {
      namespaces: [
        makeNamespace(
          NS,
          { app: 'service', tier: 'backend', zone: 'us-east' },
          { maintainer: 'sre', build: 'v4.5.6', deployment: 'canary' },
        ),
      ],
      pods: [makePods(NS)],
    },
    attachMetadata: { namespace: true },
    expected: expectedPodTargetGroups(NS, {
      __meta_kubernetes_namespace_annotation_maintainer: 'sre',
      __meta_kubernetes_namespace_annotationpresent_maintainer: 'true',
      __meta_kubernetes_namespace_annotation_build: 'v4.5.6',
      __meta_kubernetes_namespace_annotationpresent_build: 'true',
      __meta_kubernetes_namespace_annotation_deployment: 'canary',
      __meta_kubernetes_namespace_annotationpresent_deployment: 'true',
      __meta_kubernetes_namespace_label_app: 'service',
      __meta_kubernetes_namespace_labelpresent_app: 'true',
      __meta_kubernetes_namespace_label_tier: 'backend',
      __meta_kubernetes_namespace_labelpresent_tier: 'true',
      __meta_kubernetes_namespace_label_zone: 'us-east',
      __meta_kubernetes_namespace_labelpresent_zone: 'true',
    }),
  },
  {
    name: 'TestPodDiscoveryWithNodeSelector',
    objects: {
      nodes: [
        makeNode('worker-node', '10.0.0.1', '', { 'node-type': 'worker' }, null),
        makeNode('filtered-node', '10.0.0.2', '', { 'node-type': 'master' }, null),
      ],
      pods: [
        {
          ...makePods('default'),
          metadata: { name: 'pod-on-worker', namespace: 'default', uid: 'worker-pod-123' },
          spec: { ...makePods().spec, nodeName: 'worker-node' },
          status: { ...makePods().status, podIP: '192.168.1.1' },
        },
        {
          ...makePods('default'),
          metadata: { name: 'pod-on-filtered-node', namespace: 'default', uid: 'filtered-pod-456' },
          spec: { ...makePods().spec, nodeName: 'filtered-node' },
          status: { ...makePods().status, podIP: '192.168.1.2' },
        },
      ],
    },
    attachMetadata: { node: true },
    discovery: { selectors: [{ role: 'node', label: 'node-type=worker', field: '' }] },
    expected: {
      'pod/default/pod-on-worker': {
        targets: [{ ...TARGET, __address__: '192.168.1.1:9000' }],
        labels: {
          __meta_kubernetes_namespace: 'default',
          __meta_kubernetes_pod_name: 'pod-on-worker',
          __meta_kubernetes_pod_ip: '192.168.1.1',
          __meta_kubernetes_pod_ready: 'true',
          __meta_kubernetes_pod_phase: 'Running',
          __meta_kubernetes_pod_node_name: 'worker-node',
          __meta_kubernetes_pod_host_ip: '2.3.4.5',
          __meta_kubernetes_pod_uid: 'worker-pod-123',
          __meta_kubernetes_node_name: 'worker-node',
          __meta_kubernetes_node_label_node_type: 'worker',
          __meta_kubernetes_node_labelpresent_node_type: 'true',
        },
      },
      'pod/default/pod-on-filtered-node': {},
    },
  },
  {
    name: 'TestPodDiscoveryWithDeployment',
    objects: { pods: [rsPod], replicaSets: [replicaSet] },
    attachMetadata: { deployment: true },
    expected: workloadLabels('ReplicaSet', 'testdeployment-rs-abc', {
      __meta_kubernetes_pod_deployment_name: 'testdeployment',
    }),
  },
  {
    name: 'TestPodDiscoveryWithJob',
    objects: { pods: [jobPod], jobs: [job] },
    attachMetadata: { job: true },
    expected: workloadLabels('Job', 'testjob', { __meta_kubernetes_pod_job_name: 'testjob' }),
  },
  {
    // attach_metadata.job only: the job name, not the cronjob's.
    name: 'TestPodDiscoveryWithCronJob',
    objects: { pods: [cronJobPod], jobs: [cronJobJob] },
    attachMetadata: { job: true },
    expected: workloadLabels('Job', 'testcronjob-job-abc', {
      __meta_kubernetes_pod_job_name: 'testcronjob-job-abc',
    }),
  },
  {
    name: 'TestPodDiscoveryWithDeploymentUpdate',
    objects: { pods: [rsPod], replicaSets: [replicaSet] },
    attachMetadata: { deployment: true },
    expected: workloadLabels('ReplicaSet', 'testdeployment-rs-abc', {
      __meta_kubernetes_pod_deployment_name: 'testdeployment',
    }),
  },
  {
    name: 'TestPodDiscoveryWithJobUpdate',
    objects: { pods: [jobPod], jobs: [job] },
    attachMetadata: { job: true },
    expected: workloadLabels('Job', 'testjob', { __meta_kubernetes_pod_job_name: 'testjob' }),
  },
  {
    // attach_metadata.cronjob only: the cronjob name, not the job's.
    name: 'TestPodDiscoveryWithCronJobUpdate',
    objects: { pods: [cronJobPod], jobs: [cronJobJob] },
    attachMetadata: { cronjob: true },
    expected: workloadLabels('Job', 'testcronjob-job-abc', {
      __meta_kubernetes_pod_cronjob_name: 'testcronjob',
    }),
  },
];

describe('kubernetes role: pod', () => {
  for (const version of ['2', '3'] as PromVersion[]) {
    for (const c of shared) {
      it(title(version, 'pod', c.name), () => runCase('pod', version, c));
    }
  }
  for (const c of headOnly) it(title('3', 'pod', c.name), () => runCase('pod', '3', c));

  it('ignores what Prometheus 2.42 lacks: namespace and workload metadata, node filtering', () =>
    runCase('pod', '2', {
      name: 'v2',
      objects: {
        namespaces: [makeNamespace('default', { a: 'b' }, {})],
        pods: [rsPod],
        replicaSets: [replicaSet],
        nodes: [],
      },
      attachMetadata: { node: true, namespace: true, deployment: true },
      // Prometheus 3 would send this pod, whose node is not listed, as an empty group.
      expected: workloadLabels('ReplicaSet', 'testdeployment-rs-abc', {}),
    }));
});
