/**
 * The few fields of the Kubernetes objects that Prometheus's `kubernetes_sd_configs` reads, as the
 * API server's JSON has them (k8s.io/api `core/v1`, `discovery/v1`, `networking/v1`, `apps/v1`,
 * `batch/v1`). Every field is optional: JSON omits empty values, and an absent field reads as Go's
 * zero value. Where Prometheus tests a Go pointer for nil (`targetRef`, the EndpointSlice fields,
 * `ingressClassName`, `http`), `undefined` and `null` both mean nil and anything else, even `""`,
 * means set.
 */

/** `metav1.OwnerReference`: only the controller reference matters to Prometheus. */
export interface OwnerReference {
  kind?: string;
  name?: string;
  controller?: boolean | null;
}

/** `metav1.ObjectMeta`. */
export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  labels?: Record<string, string> | null;
  annotations?: Record<string, string> | null;
  ownerReferences?: OwnerReference[] | null;
}

/** Any listed object: what the key functions and the meta labels read. */
export interface KubeObject {
  metadata?: ObjectMeta;
}

/** `corev1.Namespace` (attach_metadata.namespace, Prometheus 3.6+). */
export type Namespace = KubeObject;

/** `corev1.NodeAddress`. */
export interface NodeAddress {
  type?: string;
  address?: string;
}

/** `corev1.NodeCondition`. */
export interface NodeCondition {
  type?: string;
  status?: string;
}

/** `corev1.Node`. */
export interface Node extends KubeObject {
  spec?: { providerID?: string };
  status?: {
    addresses?: NodeAddress[] | null;
    conditions?: NodeCondition[] | null;
    daemonEndpoints?: { kubeletEndpoint?: { Port?: number } };
  };
}

/** `corev1.ContainerPort`. */
export interface ContainerPort {
  name?: string;
  containerPort?: number;
  protocol?: string;
}

/** `corev1.Container`. */
export interface Container {
  name?: string;
  image?: string;
  ports?: ContainerPort[] | null;
}

/** `corev1.ContainerStatus`. */
export interface ContainerStatus {
  name?: string;
  containerID?: string;
}

/** `corev1.Pod`. */
export interface Pod extends KubeObject {
  spec?: {
    nodeName?: string;
    containers?: Container[] | null;
    initContainers?: Container[] | null;
  };
  status?: {
    podIP?: string;
    hostIP?: string;
    phase?: string;
    conditions?: { type?: string; status?: string }[] | null;
    containerStatuses?: ContainerStatus[] | null;
    initContainerStatuses?: ContainerStatus[] | null;
  };
}

/** `corev1.ServicePort`. */
export interface ServicePort {
  name?: string;
  protocol?: string;
  port?: number;
}

/** `corev1.Service`. */
export interface Service extends KubeObject {
  spec?: {
    type?: string;
    clusterIP?: string;
    externalName?: string;
    loadBalancerIP?: string;
    ports?: ServicePort[] | null;
    ipFamilyPolicy?: string | null;
    ipFamilies?: string[] | null;
  };
  status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] | null } };
}

/** `corev1.ObjectReference`, an address's `targetRef`. */
export interface ObjectReference {
  kind?: string;
  name?: string;
  namespace?: string;
}

/** `corev1.EndpointAddress`. */
export interface EndpointAddress {
  ip?: string;
  hostname?: string;
  nodeName?: string | null;
  targetRef?: ObjectReference | null;
}

/** `corev1.EndpointPort`. */
export interface EndpointPort {
  name?: string;
  port?: number;
  protocol?: string;
}

/** `corev1.Endpoints` (deprecated by Kubernetes 1.33, still discovered by Prometheus). */
export interface Endpoints extends KubeObject {
  subsets?:
    | {
        addresses?: EndpointAddress[] | null;
        notReadyAddresses?: EndpointAddress[] | null;
        ports?: EndpointPort[] | null;
      }[]
    | null;
}

/** `discoveryv1.EndpointPort`: every field a pointer in Go. */
export interface EndpointSlicePort {
  name?: string | null;
  port?: number | null;
  protocol?: string | null;
  appProtocol?: string | null;
}

/** `discoveryv1.Endpoint`. */
export interface EndpointSliceEndpoint {
  addresses?: string[] | null;
  conditions?: {
    ready?: boolean | null;
    serving?: boolean | null;
    terminating?: boolean | null;
  };
  hostname?: string | null;
  nodeName?: string | null;
  zone?: string | null;
  targetRef?: ObjectReference | null;
  deprecatedTopology?: Record<string, string> | null;
}

/** `discoveryv1.EndpointSlice`. */
export interface EndpointSlice extends KubeObject {
  addressType?: string;
  endpoints?: EndpointSliceEndpoint[] | null;
  ports?: EndpointSlicePort[] | null;
}

/** `networkingv1.IngressRule`. */
export interface IngressRule {
  host?: string;
  http?: { paths?: { path?: string }[] | null } | null;
}

/** `networkingv1.Ingress`. */
export interface Ingress extends KubeObject {
  spec?: {
    ingressClassName?: string | null;
    rules?: IngressRule[] | null;
    tls?: { hosts?: string[] | null }[] | null;
  };
}

/** `appsv1.ReplicaSet` (attach_metadata.deployment, Prometheus 3.11+): only its owner matters. */
export type ReplicaSet = KubeObject;

/** `batchv1.Job` (attach_metadata.job and cronjob, Prometheus 3.11+): only its owner matters. */
export type Job = KubeObject;

/**
 * What one discovery listed, by resource. A role reads its primary resource and, for
 * attach_metadata and the endpoints roles, looks the others up by name.
 */
export interface ListedObjects {
  nodes?: readonly Node[];
  pods?: readonly Pod[];
  services?: readonly Service[];
  endpoints?: readonly Endpoints[];
  endpointSlices?: readonly EndpointSlice[];
  ingresses?: readonly Ingress[];
  namespaces?: readonly Namespace[];
  replicaSets?: readonly ReplicaSet[];
  jobs?: readonly Job[];
}
