/**
 * Builders for the cluster fixture: a Pod with the status the kubelet reports, and the
 * Endpoints and EndpointSlice the endpoints and endpointslice controllers derive from a Service
 * and its pods (k8s.io/kubernetes pkg/controller/endpoint, pkg/controller/endpointslice), so the
 * three stay consistent when a test moves a pod to another address.
 */
import { createHash } from 'node:crypto';
import type {
  Container,
  EndpointAddress,
  Endpoints,
  EndpointSlice,
  ObjectReference,
  Pod,
  Service,
  SliceEndpoint,
} from './emulator-types.ts';

export const STARTED = '2024-06-03T08:16:40Z';

export const NODE_NAMES = ['cp-1', 'worker-1', 'worker-2'] as const;
export type NodeName = (typeof NODE_NAMES)[number];

/** The ports the fixture's metrics endpoints listen on. */
export interface ClusterPorts {
  kubelet: number;
  coredns: number;
  nodeExporter: number;
  app: number;
}

/** A stable hex digest (container IDs, uids, generated name suffixes). */
export function digest(key: string, length = 64): string {
  return createHash('sha256').update(key).digest('hex').slice(0, length);
}

/** A stable UUID for a fixture object. */
export function uid(key: string): string {
  const h = digest(key, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export interface PodInput {
  namespace: string;
  name: string;
  node?: string;
  /** The pod's IP (the node's for host-network pods); none while Pending. */
  ip?: string;
  hostIP?: string;
  hostNetwork?: boolean;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** The controller: ReplicaSet, DaemonSet, Job, or Node for a static pod's mirror. */
  owner?: { apiVersion: string; kind: string; name: string };
  containers: Container[];
  initContainers?: Container[];
  phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed';
  ready?: boolean;
  extraSpec?: Record<string, unknown>;
}

/** A Pod as the API server serves it once the kubelet has reported its status. */
export function pod(p: PodInput): Pod {
  const phase = p.phase ?? 'Running';
  const ready = p.ready ?? phase === 'Running';
  const statusOf = (c: Container) => ({
    name: c.name,
    image: c.image ?? '',
    imageID: `${(c.image ?? '').split(':')[0] ?? ''}@sha256:${digest(`image ${c.image ?? ''}`)}`,
    containerID: `containerd://${digest(`${p.namespace}/${p.name}/${c.name}`)}`,
    ready: phase === 'Succeeded' ? false : ready,
    restartCount: 0,
    started: phase === 'Running',
    state:
      phase === 'Succeeded'
        ? { terminated: { exitCode: 0, reason: 'Completed', startedAt: STARTED } }
        : { running: { startedAt: STARTED } },
  });
  const condition = (type: string, ok: boolean) => ({
    type,
    status: ok ? 'True' : 'False',
    lastProbeTime: null,
    lastTransitionTime: STARTED,
    ...(ok || phase !== 'Succeeded' ? {} : { reason: 'PodCompleted' }),
  });
  const scheduled = p.node !== undefined;
  return {
    kind: 'Pod',
    metadata: {
      name: p.name,
      namespace: p.namespace,
      uid: uid(`pod/${p.namespace}/${p.name}`),
      ...(p.labels === undefined ? {} : { labels: p.labels }),
      ...(p.annotations === undefined ? {} : { annotations: p.annotations }),
      ...(p.owner === undefined
        ? {}
        : {
            ownerReferences: [
              {
                ...p.owner,
                uid: uid(`${p.owner.kind}/${p.namespace}/${p.owner.name}`),
                controller: true,
                blockOwnerDeletion: p.owner.kind !== 'Node',
              },
            ],
          }),
    },
    spec: {
      ...(p.node === undefined ? {} : { nodeName: p.node }),
      ...(p.hostNetwork === true
        ? { hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' }
        : {}),
      containers: p.containers,
      ...(p.initContainers === undefined ? {} : { initContainers: p.initContainers }),
      restartPolicy: p.owner?.kind === 'Job' ? 'Never' : 'Always',
      schedulerName: 'default-scheduler',
      serviceAccountName: 'default',
      ...p.extraSpec,
    },
    status: {
      phase,
      conditions: scheduled
        ? [
            condition('Initialized', true),
            condition('Ready', ready && phase === 'Running'),
            condition('ContainersReady', ready && phase === 'Running'),
            condition('PodScheduled', true),
          ]
        : [{ ...condition('PodScheduled', false), reason: 'Unschedulable' }],
      ...(p.hostIP === undefined ? {} : { hostIP: p.hostIP, hostIPs: [{ ip: p.hostIP }] }),
      ...(p.ip === undefined ? {} : { podIP: p.ip, podIPs: [{ ip: p.ip }] }),
      ...(scheduled ? { startTime: STARTED, containerStatuses: p.containers.map(statusOf) } : {}),
      ...(scheduled && p.initContainers !== undefined
        ? { initContainerStatuses: p.initContainers.map(statusOf) }
        : {}),
      qosClass: 'Burstable',
    },
  };
}

/** A reference to a pod, as endpoints controllers write it. */
function podRef(p: Pod): ObjectReference {
  return {
    kind: 'Pod',
    namespace: p.metadata.namespace ?? '',
    name: p.metadata.name,
    uid: p.metadata.uid ?? '',
  };
}

/** An address: a pod (with its node), or a node with a Node targetRef (Prometheus Operator). */
export type Backend = { pod: Pod; ready: boolean } | { node: string; ip: string; ready: boolean };

function address(b: Backend): EndpointAddress {
  if ('node' in b)
    return { ip: b.ip, targetRef: { kind: 'Node', name: b.node, uid: uid(`node/${b.node}`) } };
  return {
    ip: b.pod.status?.podIP ?? '',
    ...(b.pod.spec.nodeName === undefined ? {} : { nodeName: b.pod.spec.nodeName }),
    targetRef: podRef(b.pod),
  };
}

const TRIGGER = { 'endpoints.kubernetes.io/last-change-trigger-time': '2024-06-03T08:16:52Z' };

/** The Endpoints the endpoints controller writes for a Service (its labels copied). */
export function endpointsFor(
  svc: Service,
  backends: Backend[],
  ports: { name: string; port: number; protocol?: string }[],
  labels: Record<string, string> = svc.metadata.labels ?? {},
): Endpoints {
  const ready = backends.filter((b) => b.ready).map(address);
  const notReady = backends.filter((b) => !b.ready).map(address);
  return {
    kind: 'Endpoints',
    metadata: {
      name: svc.metadata.name,
      namespace: svc.metadata.namespace ?? '',
      ...(Object.keys(labels).length === 0 ? {} : { labels }),
      annotations: TRIGGER,
    },
    ...(backends.length === 0
      ? {}
      : {
          subsets: [
            {
              ...(ready.length === 0 ? {} : { addresses: ready }),
              ...(notReady.length === 0 ? {} : { notReadyAddresses: notReady }),
              ports: ports.map((p) => ({
                name: p.name,
                port: p.port,
                protocol: p.protocol ?? 'TCP',
              })),
            },
          ],
        }),
  };
}

/**
 * The EndpointSlice the endpointslice controller (or, for a Service without a selector, the
 * mirroring controller) writes: a placeholder with `endpoints: null` when there is no backend.
 */
export function sliceFor(
  svc: Service,
  backends: Backend[],
  ports: { name: string; port: number; protocol?: string; appProtocol?: string }[],
  managedBy = 'endpointslice-controller.k8s.io',
): EndpointSlice {
  const ns = svc.metadata.namespace ?? '';
  const endpoints: SliceEndpoint[] = backends.map((b) => {
    const a = address(b);
    return {
      addresses: [a.ip],
      conditions:
        'node' in b ? { ready: b.ready } : { ready: b.ready, serving: b.ready, terminating: false },
      ...(a.nodeName === undefined ? {} : { nodeName: a.nodeName }),
      ...(a.targetRef === undefined ? {} : { targetRef: a.targetRef }),
    };
  });
  return {
    kind: 'EndpointSlice',
    metadata: {
      name: `${svc.metadata.name}-${digest(`slice ${ns}/${svc.metadata.name}`, 5).replace(/\d/g, (d) => 'bcdfghjklm'[Number(d)]!)}`,
      namespace: ns,
      generateName: `${svc.metadata.name}-`,
      labels: {
        ...svc.metadata.labels,
        'endpointslice.kubernetes.io/managed-by': managedBy,
        'kubernetes.io/service-name': svc.metadata.name,
      },
      annotations: TRIGGER,
      ownerReferences: [
        {
          apiVersion: 'v1',
          kind: 'Service',
          name: svc.metadata.name,
          uid: uid(`service/${ns}/${svc.metadata.name}`),
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    addressType: 'IPv4',
    endpoints: backends.length === 0 ? null : endpoints,
    ports:
      backends.length === 0
        ? null
        : ports.map((p) => ({
            name: p.name,
            port: p.port,
            protocol: p.protocol ?? 'TCP',
            ...(p.appProtocol === undefined ? {} : { appProtocol: p.appProtocol }),
          })),
  };
}

/** A Service with the fields the API server fills in (uid, ClusterIP families). */
export function service(
  namespace: string,
  name: string,
  spec: NonNullable<Service['spec']>,
  meta: { labels?: Record<string, string>; annotations?: Record<string, string> } = {},
  status: Service['status'] = { loadBalancer: {} },
): Service {
  const ip = spec.clusterIP;
  return {
    kind: 'Service',
    metadata: { name, namespace, uid: uid(`service/${namespace}/${name}`), ...meta },
    spec: {
      ...(ip === undefined
        ? {}
        : { clusterIPs: [ip], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' }),
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
      ...spec,
    },
    status,
  };
}
