/**
 * The bridge against the expectations of prometheus/prometheus@v2.42.0
 * discovery/kubernetes/{node,service,pod,ingress}_test.go: the same objects, put in the store,
 * must give the same target groups. An Update test is ported as its final state; a Delete test
 * has no counterpart in a snapshot; `own_namespace` is ported as the names it resolves to.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Ingress, Pod, Service } from './emulator-types.ts';
import { groupsBySource, m, makeNode, type Expected } from './sd-bridge-helpers.ts';

describe('node role (node_test.go)', () => {
  it('TestNodeDiscoveryBeforeStart', () => {
    const node = makeNode(
      'test',
      '1.2.3.4',
      'aws:///nl-north-7b/i-03149834983492827',
      { 'test-label': 'testvalue' },
      { 'test-annotation': 'testannotationvalue' },
    );
    assert.deepEqual(groupsBySource([node], { role: 'node' }), {
      'node/test': {
        targets: [
          {
            __address__: '1.2.3.4:10250',
            instance: 'test',
            ...m({ node_address_InternalIP: '1.2.3.4' }),
          },
        ],
        labels: m({
          node_name: 'test',
          node_provider_id: 'aws:///nl-north-7b/i-03149834983492827',
          node_label_test_label: 'testvalue',
          node_labelpresent_test_label: 'true',
          node_annotation_test_annotation: 'testannotationvalue',
          node_annotationpresent_test_annotation: 'true',
        }),
      },
    });
  });

  it('TestNodeDiscoveryAdd and TestNodeDiscoveryUpdate (final state)', () => {
    const added = makeNode('test1', '1.2.3.4', 'aws:///de-west-3a/i-1');
    const updated = makeNode('test0', '1.2.3.4', 'aws:///fr-south-1c/i-49508290343823952', {
      Unschedulable: 'true',
    });
    assert.deepEqual(groupsBySource([added, updated], { role: 'node' }), {
      'node/test1': {
        targets: [
          {
            __address__: '1.2.3.4:10250',
            instance: 'test1',
            ...m({ node_address_InternalIP: '1.2.3.4' }),
          },
        ],
        labels: m({ node_name: 'test1', node_provider_id: 'aws:///de-west-3a/i-1' }),
      },
      'node/test0': {
        targets: [
          {
            __address__: '1.2.3.4:10250',
            instance: 'test0',
            ...m({ node_address_InternalIP: '1.2.3.4' }),
          },
        ],
        labels: m({
          node_label_Unschedulable: 'true',
          node_labelpresent_Unschedulable: 'true',
          node_name: 'test0',
          node_provider_id: 'aws:///fr-south-1c/i-49508290343823952',
        }),
      },
    });
  });
});

// service_test.go makeMultiPortService, makeSuffixedService, makeExternalService, makeLoadBalancerService.
function makeService(namespace = 'default', multiPort = false): Service {
  return {
    kind: 'Service',
    metadata: {
      name: 'testservice',
      namespace,
      ...(multiPort
        ? {
            labels: { 'test-label': 'testvalue' },
            annotations: { 'test-annotation': 'testannotationvalue' },
          }
        : {}),
    },
    spec: {
      ports: multiPort
        ? [
            { name: 'testport0', protocol: 'TCP', port: 30900 },
            { name: 'testport1', protocol: 'UDP', port: 30901 },
          ]
        : [{ name: 'testport', protocol: 'TCP', port: 30900 }],
      type: 'ClusterIP',
      clusterIP: '10.0.0.1',
    },
  };
}

function serviceTarget(ns: string, port: number, name: string, protocol = 'TCP') {
  return {
    __address__: `testservice.${ns}.svc:${port}`,
    ...m({
      service_port_protocol: protocol,
      service_type: 'ClusterIP',
      service_cluster_ip: '10.0.0.1',
      service_port_name: name,
      service_port_number: String(port),
    }),
  };
}

describe('service role (service_test.go)', () => {
  it('TestServiceDiscoveryAdd: ClusterIP, ExternalName, LoadBalancer', () => {
    const external: Service = {
      kind: 'Service',
      metadata: { name: 'testservice-external', namespace: 'default' },
      spec: {
        ports: [{ name: 'testport', protocol: 'TCP', port: 31900 }],
        type: 'ExternalName',
        externalName: 'FooExternalName',
      },
    };
    const lb: Service = {
      kind: 'Service',
      metadata: { name: 'testservice-loadbalancer', namespace: 'default' },
      spec: {
        ports: [{ name: 'testport', protocol: 'TCP', port: 31900 }],
        type: 'LoadBalancer',
        loadBalancerIP: '127.0.0.1',
        clusterIP: '10.0.0.1',
      },
    };
    assert.deepEqual(groupsBySource([makeService(), external, lb], { role: 'service' }), {
      'svc/default/testservice': {
        targets: [serviceTarget('default', 30900, 'testport')],
        labels: m({ service_name: 'testservice', namespace: 'default' }),
      },
      'svc/default/testservice-external': {
        targets: [
          {
            __address__: 'testservice-external.default.svc:31900',
            ...m({
              service_port_protocol: 'TCP',
              service_type: 'ExternalName',
              service_port_name: 'testport',
              service_port_number: '31900',
              service_external_name: 'FooExternalName',
            }),
          },
        ],
        labels: m({ service_name: 'testservice-external', namespace: 'default' }),
      },
      'svc/default/testservice-loadbalancer': {
        targets: [
          {
            __address__: 'testservice-loadbalancer.default.svc:31900',
            ...m({
              service_port_protocol: 'TCP',
              service_type: 'LoadBalancer',
              service_port_name: 'testport',
              service_port_number: '31900',
              service_cluster_ip: '10.0.0.1',
              service_loadbalancer_ip: '127.0.0.1',
            }),
          },
        ],
        labels: m({ service_name: 'testservice-loadbalancer', namespace: 'default' }),
      },
    });
  });

  it('TestServiceDiscoveryUpdate (final state: two ports, labels, annotations)', () => {
    assert.deepEqual(groupsBySource([makeService('default', true)], { role: 'service' }), {
      'svc/default/testservice': {
        targets: [
          serviceTarget('default', 30900, 'testport0'),
          serviceTarget('default', 30901, 'testport1', 'UDP'),
        ],
        labels: m({
          service_name: 'testservice',
          namespace: 'default',
          service_label_test_label: 'testvalue',
          service_labelpresent_test_label: 'true',
          service_annotation_test_annotation: 'testannotationvalue',
          service_annotationpresent_test_annotation: 'true',
        }),
      },
    });
  });

  const inNamespaces = (names: string[]) =>
    Object.fromEntries(
      names.map((ns) => [
        `svc/${ns}/testservice`,
        {
          targets: [serviceTarget(ns, 30900, 'testport')],
          labels: m({ service_name: 'testservice', namespace: ns }),
        },
      ]),
    );

  it('TestServiceDiscoveryNamespaces, OwnNamespace, AllNamespaces', () => {
    const services = ['ns1', 'ns2', 'own-ns', 'non-own-ns'].map((ns) => makeService(ns));
    assert.deepEqual(
      groupsBySource(services, { role: 'service', namespaces: { names: ['ns1', 'ns2'] } }),
      inNamespaces(['ns1', 'ns2']),
    );
    assert.deepEqual(
      groupsBySource(services, { role: 'service', namespaces: { names: ['own-ns'] } }),
      inNamespaces(['own-ns']),
    );
    assert.deepEqual(
      groupsBySource(services.slice(2), { role: 'service' }),
      inNamespaces(['own-ns', 'non-own-ns']),
    );
  });
});

// pod_test.go makeMultiPortPods, makePods, makeInitContainerPods.
function makePods(namespace = 'default'): Pod {
  return {
    kind: 'Pod',
    metadata: { name: 'testpod', namespace, uid: 'abc123' },
    spec: {
      nodeName: 'testnode',
      containers: [
        {
          name: 'testcontainer',
          image: 'testcontainer:latest',
          ports: [{ name: 'testport', protocol: 'TCP', containerPort: 9000 }],
        },
      ],
    },
    status: {
      podIP: '1.2.3.4',
      hostIP: '2.3.4.5',
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [{ name: 'testcontainer', containerID: 'docker://a1b2c3d4e5f6' }],
    },
  };
}

function expectedPodTargetGroups(ns: string): Record<string, Expected> {
  return {
    [`pod/${ns}/testpod`]: {
      targets: [
        {
          __address__: '1.2.3.4:9000',
          ...m({
            pod_container_name: 'testcontainer',
            pod_container_image: 'testcontainer:latest',
            pod_container_port_name: 'testport',
            pod_container_port_number: '9000',
            pod_container_port_protocol: 'TCP',
            pod_container_init: 'false',
            pod_container_id: 'docker://a1b2c3d4e5f6',
          }),
        },
      ],
      labels: m({
        pod_name: 'testpod',
        namespace: ns,
        pod_node_name: 'testnode',
        pod_ip: '1.2.3.4',
        pod_host_ip: '2.3.4.5',
        pod_ready: 'true',
        pod_phase: 'Running',
        pod_uid: 'abc123',
      }),
    },
  };
}

describe('pod role (pod_test.go)', () => {
  it('TestPodDiscoveryBeforeRun: ports, a container without, controller, labels, annotations', () => {
    const pod: Pod = {
      kind: 'Pod',
      metadata: {
        name: 'testpod',
        namespace: 'default',
        labels: { 'test/label': 'testvalue' },
        annotations: { 'test/annotation': 'testannotationvalue' },
        uid: 'abc123',
        ownerReferences: [
          {
            apiVersion: '',
            kind: 'testcontrollerkind',
            name: 'testcontrollername',
            uid: '',
            controller: true,
          },
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
    const c0 = (port: string, number: string, protocol: string) => ({
      __address__: `1.2.3.4:${number}`,
      ...m({
        pod_container_name: 'testcontainer0',
        pod_container_image: 'testcontainer0:latest',
        pod_container_port_name: port,
        pod_container_port_number: number,
        pod_container_port_protocol: protocol,
        pod_container_init: 'false',
        pod_container_id: 'docker://a1b2c3d4e5f6',
      }),
    });
    assert.deepEqual(groupsBySource([pod], { role: 'pod' }), {
      'pod/default/testpod': {
        targets: [
          c0('testport0', '9000', 'TCP'),
          c0('testport1', '9001', 'UDP'),
          {
            __address__: '1.2.3.4',
            ...m({
              pod_container_name: 'testcontainer1',
              pod_container_image: 'testcontainer1:latest',
              pod_container_init: 'false',
              pod_container_id: 'containerd://6f5e4d3c2b1a',
            }),
          },
        ],
        labels: m({
          pod_name: 'testpod',
          namespace: 'default',
          pod_label_test_label: 'testvalue',
          pod_labelpresent_test_label: 'true',
          pod_annotation_test_annotation: 'testannotationvalue',
          pod_annotationpresent_test_annotation: 'true',
          pod_node_name: 'testnode',
          pod_ip: '1.2.3.4',
          pod_host_ip: '2.3.4.5',
          pod_ready: 'true',
          pod_phase: 'Running',
          pod_uid: 'abc123',
          pod_controller_kind: 'testcontrollerkind',
          pod_controller_name: 'testcontrollername',
        }),
      },
    });
  });

  it('TestPodDiscoveryInitContainer', () => {
    const pod = makePods();
    pod.spec.initContainers = [{ name: 'initcontainer', image: 'initcontainer:latest' }];
    pod.status = {
      ...pod.status,
      phase: 'Pending',
      conditions: [{ type: 'Ready', status: 'False' }],
      initContainerStatuses: [{ name: 'initcontainer', containerID: 'containerd://6f5e4d3c2b1a' }],
    };
    const expected = expectedPodTargetGroups('default');
    const group = expected['pod/default/testpod']!;
    group.targets!.push({
      __address__: '1.2.3.4',
      ...m({
        pod_container_name: 'initcontainer',
        pod_container_image: 'initcontainer:latest',
        pod_container_init: 'true',
        pod_container_id: 'containerd://6f5e4d3c2b1a',
      }),
    });
    group.labels!.__meta_kubernetes_pod_phase = 'Pending';
    group.labels!.__meta_kubernetes_pod_ready = 'false';
    assert.deepEqual(groupsBySource([pod], { role: 'pod' }), expected);
  });

  it('TestPodDiscoveryAdd, TestPodDiscoveryUpdateEmptyPodIP (an empty group)', () => {
    assert.deepEqual(
      groupsBySource([makePods()], { role: 'pod' }),
      expectedPodTargetGroups('default'),
    );
    const noIp = makePods();
    noIp.status!.podIP = '';
    assert.deepEqual(groupsBySource([noIp], { role: 'pod' }), { 'pod/default/testpod': {} });
  });

  it('TestPodDiscoveryNamespaces, TestPodDiscoveryOwnNamespace', () => {
    const pods = ['ns1', 'ns2', 'own-ns', 'non-own-ns'].map((ns) => makePods(ns));
    assert.deepEqual(groupsBySource(pods, { role: 'pod', namespaces: { names: ['ns1', 'ns2'] } }), {
      ...expectedPodTargetGroups('ns1'),
      ...expectedPodTargetGroups('ns2'),
    });
    assert.deepEqual(
      groupsBySource(pods, { role: 'pod', namespaces: { names: ['own-ns'] } }),
      expectedPodTargetGroups('own-ns'),
    );
  });

  it('TestPodDiscoveryWithNodeMetadata, ...UpdateNode (final labels)', () => {
    for (const labels of [{ l1: 'v1' }, { l2: 'v2' }]) {
      const expected = expectedPodTargetGroups('default');
      Object.assign(expected['pod/default/testpod']!.labels!, m({ node_name: 'testnode' }));
      for (const [k, v] of Object.entries(labels))
        Object.assign(
          expected['pod/default/testpod']!.labels!,
          m({ [`node_label_${k}`]: v, [`node_labelpresent_${k}`]: 'true' }),
        );
      const objects = [makeNode('testnode', '', '', labels), makePods()];
      assert.deepEqual(
        groupsBySource(objects, { role: 'pod', attach_metadata: { node: true } }),
        expected,
      );
    }
  });
});

type TLSMode = 'no' | 'yes' | 'mixed' | 'wildcard';

// ingress_test.go makeIngress, expectedTargetGroups.
function makeIngress(tls: TLSMode, namespace = 'default'): Ingress {
  const hosts = {
    no: null,
    yes: ['example.com', 'test.example.com'],
    mixed: ['example.com'],
    wildcard: ['*.example.com'],
  }[tls];
  return {
    kind: 'Ingress',
    metadata: {
      name: 'testingress',
      namespace,
      labels: { 'test/label': 'testvalue' },
      annotations: { 'test/annotation': 'testannotationvalue' },
    },
    spec: {
      ingressClassName: 'testclass',
      ...(hosts === null ? {} : { tls: [{ hosts }] }),
      rules: [
        { host: 'example.com', http: { paths: [{ path: '/' }, { path: '/foo' }] } },
        // No backend config, ignored.
        { host: 'nobackend.example.com', http: {} },
        { host: 'test.example.com', http: { paths: [{}] } },
      ],
    },
  };
}

function expectedIngress(ns: string, tls: TLSMode): Record<string, Expected> {
  const scheme1 = tls === 'yes' || tls === 'mixed' ? 'https' : 'http';
  const scheme2 = tls === 'yes' || tls === 'wildcard' ? 'https' : 'http';
  const target = (host: string, path: string, scheme: string) => ({
    __address__: host,
    ...m({ ingress_scheme: scheme, ingress_host: host, ingress_path: path }),
  });
  return {
    [`ingress/${ns}/testingress`]: {
      targets: [
        target('example.com', '/', scheme1),
        target('example.com', '/foo', scheme1),
        target('test.example.com', '/', scheme2),
      ],
      labels: m({
        ingress_name: 'testingress',
        namespace: ns,
        ingress_label_test_label: 'testvalue',
        ingress_labelpresent_test_label: 'true',
        ingress_annotation_test_annotation: 'testannotationvalue',
        ingress_annotationpresent_test_annotation: 'true',
        ingress_class_name: 'testclass',
      }),
    },
  };
}

describe('ingress role (ingress_test.go)', () => {
  for (const tls of ['no', 'yes', 'mixed', 'wildcard'] as const)
    it(`TestIngressDiscoveryAdd, TLS ${tls}`, () => {
      assert.deepEqual(
        groupsBySource([makeIngress(tls)], { role: 'ingress' }),
        expectedIngress('default', tls),
      );
    });

  it('TestIngressDiscoveryNamespaces, TestIngressDiscoveryOwnNamespace', () => {
    const ingresses = ['ns1', 'ns2', 'own-ns', 'non-own-ns'].map((ns) => makeIngress('no', ns));
    assert.deepEqual(
      groupsBySource(ingresses, { role: 'ingress', namespaces: { names: ['ns1', 'ns2'] } }),
      {
        ...expectedIngress('ns1', 'no'),
        ...expectedIngress('ns2', 'no'),
      },
    );
    assert.deepEqual(
      groupsBySource(ingresses, { role: 'ingress', namespaces: { names: ['own-ns'] } }),
      expectedIngress('own-ns', 'no'),
    );
  });
});
