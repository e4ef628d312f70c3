/**
 * Label sets the endpoints and endpointslice tests of Prometheus repeat, built once.
 */
import type { LabelSet, PromVersion } from '#lib/discovery/types.ts';

/** The labels of pod `testpod` (uid deadbeef, no phase, no conditions) at `ip`. */
export function podMeta(ip: string, extra: LabelSet = {}): LabelSet {
  return {
    __meta_kubernetes_pod_name: 'testpod',
    __meta_kubernetes_pod_ip: ip,
    __meta_kubernetes_pod_ready: 'unknown',
    __meta_kubernetes_pod_phase: '',
    __meta_kubernetes_pod_node_name: 'testnode',
    __meta_kubernetes_pod_host_ip: '2.3.4.5',
    __meta_kubernetes_pod_uid: 'deadbeef',
    ...extra,
  };
}

/**
 * The `pod_container_*` labels of one container port; `pod_container_init` only from 3.0 in the
 * endpoints roles.
 */
export function containerLabels(
  version: PromVersion,
  name: string,
  portName: string,
  port: number,
  init = false,
): LabelSet {
  return {
    __meta_kubernetes_pod_container_name: name,
    __meta_kubernetes_pod_container_image: `${name}:latest`,
    __meta_kubernetes_pod_container_port_name: portName,
    __meta_kubernetes_pod_container_port_number: String(port),
    __meta_kubernetes_pod_container_port_protocol: 'TCP',
    ...(version === '2' ? {} : { __meta_kubernetes_pod_container_init: String(init) }),
  };
}

/** `__meta_kubernetes_node_*` for a node with labels and no annotations. */
export function nodeMeta(name: string, labels: Record<string, string>): LabelSet {
  const meta: LabelSet = { __meta_kubernetes_node_name: name };
  for (const [k, v] of Object.entries(labels)) {
    meta[`__meta_kubernetes_node_label_${k}`] = v;
    meta[`__meta_kubernetes_node_labelpresent_${k}`] = 'true';
  }
  return meta;
}

/** The labels a namespace's metadata adds (attach_metadata.namespace). */
export function namespaceMeta(
  labels: Record<string, string>,
  annotations: Record<string, string>,
): LabelSet {
  const meta: LabelSet = {};
  for (const [k, v] of Object.entries(labels)) {
    meta[`__meta_kubernetes_namespace_label_${k}`] = v;
    meta[`__meta_kubernetes_namespace_labelpresent_${k}`] = 'true';
  }
  for (const [k, v] of Object.entries(annotations)) {
    const name = k.replace(/[^a-zA-Z0-9_]/g, '_');
    meta[`__meta_kubernetes_namespace_annotation_${name}`] = v;
    meta[`__meta_kubernetes_namespace_annotationpresent_${name}`] = 'true';
  }
  return meta;
}

/** The labels of the Service `testendpoints` with `labels`. */
export function serviceMeta(labels: Record<string, string>): LabelSet {
  const meta: LabelSet = { __meta_kubernetes_service_name: 'testendpoints' };
  for (const [k, v] of Object.entries(labels)) {
    const name = k.replace(/[^a-zA-Z0-9_]/g, '_');
    meta[`__meta_kubernetes_service_label_${name}`] = v;
    meta[`__meta_kubernetes_service_labelpresent_${name}`] = 'true';
  }
  return meta;
}
