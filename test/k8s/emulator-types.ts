/**
 * The Kubernetes objects the emulator stores, typed as their JSON (k8s.io/api core/v1,
 * discovery/v1, networking/v1): only the fields the service-discovery roles read are named; any
 * other field a realistic object carries is allowed through `Extra`. Optional fields are optional
 * as in the API (omitted when empty), so a test can build an object exactly as a Go test does.
 */

/** Fields the emulator does not interpret, kept as they are. */
export interface Extra {
  [field: string]: unknown;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generateName?: string;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
}

export interface ObjectReference {
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  apiVersion?: string;
  resourceVersion?: string;
}

export interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol?: string;
  hostPort?: number;
}

export interface Container extends Extra {
  name: string;
  image?: string;
  ports?: ContainerPort[];
  /** `Always` on an init container makes it a sidecar (Kubernetes 1.29+). */
  restartPolicy?: string;
}

export interface ContainerStatus extends Extra {
  name: string;
  containerID?: string;
  ready?: boolean;
}

export interface Pod {
  apiVersion?: 'v1';
  kind: 'Pod';
  metadata: ObjectMeta;
  spec: Extra & {
    nodeName?: string;
    hostNetwork?: boolean;
    containers: Container[];
    initContainers?: Container[];
  };
  status?: Extra & {
    phase?: string;
    podIP?: string;
    hostIP?: string;
    conditions?: (Extra & { type: string; status: string })[];
    containerStatuses?: ContainerStatus[];
    initContainerStatuses?: ContainerStatus[];
  };
}

export interface NodeAddress {
  type: string;
  address: string;
}

export interface Node {
  apiVersion?: 'v1';
  kind: 'Node';
  metadata: ObjectMeta;
  spec?: Extra & { providerID?: string; unschedulable?: boolean };
  status?: Extra & {
    addresses?: NodeAddress[];
    daemonEndpoints?: { kubeletEndpoint?: { Port: number } };
  };
}

export interface Namespace {
  apiVersion?: 'v1';
  kind: 'Namespace';
  metadata: ObjectMeta;
  spec?: Extra;
  status?: Extra & { phase?: string };
}

export interface ServicePort {
  name?: string;
  port: number;
  protocol?: string;
  targetPort?: number | string;
  nodePort?: number;
  appProtocol?: string;
}

export interface Service {
  apiVersion?: 'v1';
  kind: 'Service';
  metadata: ObjectMeta;
  spec?: Extra & {
    type?: string;
    clusterIP?: string;
    externalName?: string;
    loadBalancerIP?: string;
    ports?: ServicePort[];
    selector?: Record<string, string>;
  };
  status?: Extra;
}

export interface EndpointAddress {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef?: ObjectReference;
}

export interface EndpointPort {
  name?: string;
  port: number;
  protocol?: string;
  appProtocol?: string;
}

export interface EndpointSubset {
  addresses?: EndpointAddress[];
  notReadyAddresses?: EndpointAddress[];
  ports?: EndpointPort[];
}

export interface Endpoints {
  apiVersion?: 'v1';
  kind: 'Endpoints';
  metadata: ObjectMeta;
  subsets?: EndpointSubset[];
}

export interface SliceEndpoint {
  addresses: string[];
  conditions?: { ready?: boolean; serving?: boolean; terminating?: boolean };
  hostname?: string;
  nodeName?: string;
  zone?: string;
  targetRef?: ObjectReference;
  deprecatedTopology?: Record<string, string>;
}

export interface SlicePort {
  name?: string;
  port?: number;
  protocol?: string;
  appProtocol?: string;
}

export interface EndpointSlice {
  apiVersion?: 'discovery.k8s.io/v1';
  kind: 'EndpointSlice';
  metadata: ObjectMeta;
  addressType: string;
  /** `null` in JSON when the slice has none. */
  endpoints: SliceEndpoint[] | null;
  ports?: SlicePort[] | null;
}

export interface IngressRule {
  host?: string;
  http?: { paths?: (Extra & { path?: string; pathType?: string })[] };
}

export interface Ingress {
  apiVersion?: 'networking.k8s.io/v1';
  kind: 'Ingress';
  metadata: ObjectMeta;
  spec?: Extra & {
    ingressClassName?: string;
    tls?: { hosts?: string[]; secretName?: string }[];
    rules?: IngressRule[];
  };
  status?: Extra;
}

/** Every object the store holds. */
export type KubeObject = Namespace | Node | Pod | Service | Endpoints | EndpointSlice | Ingress;

/** The store's resources, their API group, List kind and the field selectors they support. */
export const RESOURCES = {
  namespaces: { kind: 'Namespace', group: '', namespaced: false, fields: ['status.phase'] },
  nodes: { kind: 'Node', group: '', namespaced: false, fields: ['spec.unschedulable'] },
  pods: {
    kind: 'Pod',
    group: '',
    namespaced: true,
    // k8s.io/kubernetes pkg/registry/core/pod/strategy.go, ToSelectableFields.
    fields: [
      'spec.nodeName',
      'spec.restartPolicy',
      'spec.schedulerName',
      'spec.serviceAccountName',
      'spec.hostNetwork',
      'status.phase',
      'status.podIP',
      'status.nominatedNodeName',
    ],
  },
  services: { kind: 'Service', group: '', namespaced: true, fields: [] },
  endpoints: { kind: 'Endpoints', group: '', namespaced: true, fields: [] },
  endpointslices: {
    kind: 'EndpointSlice',
    group: 'discovery.k8s.io',
    namespaced: true,
    fields: [],
  },
  ingresses: { kind: 'Ingress', group: 'networking.k8s.io', namespaced: true, fields: [] },
} as const;

export type Resource = keyof typeof RESOURCES;

/** The object type of each resource. */
export interface ObjectOf {
  namespaces: Namespace;
  nodes: Node;
  pods: Pod;
  services: Service;
  endpoints: Endpoints;
  endpointslices: EndpointSlice;
  ingresses: Ingress;
}

/** The resource an object belongs to, from its kind. */
export function resourceOf(object: KubeObject): Resource {
  const found = (Object.keys(RESOURCES) as Resource[]).find(
    (r) => RESOURCES[r].kind === object.kind,
  );
  if (found === undefined) throw new Error(`the emulator stores no ${object.kind}`);
  return found;
}

/** `v1`, `discovery.k8s.io/v1`, `networking.k8s.io/v1`. */
export function apiVersionOf(resource: Resource): string {
  const group = RESOURCES[resource].group;
  return group === '' ? 'v1' : `${group}/v1`;
}
