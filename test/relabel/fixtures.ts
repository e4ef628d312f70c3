/**
 * Realistic input for the relabel speed test: Kubernetes `endpoints` targets as
 * kube-prometheus-stack's ServiceMonitors see them (about 25 labels each), and a 20-rule chain
 * shaped like the one prometheus-operator generates for a ServiceMonitor endpoint
 * (prometheus-operator `pkg/prometheus/promcfg.go`, goldens under `pkg/prometheus/testdata/`).
 */
import type { LabelSet } from '#lib/discovery/types.ts';

/** The n-th discovered endpoints target, varying pod, IP, phase and readiness. */
export function endpointsTarget(n: number): LabelSet {
  const app = `app-${n % 50}`;
  const ip = `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
  return {
    __address__: `${ip}:8080`,
    __meta_kubernetes_namespace: `ns-${n % 20}`,
    __meta_kubernetes_endpoints_name: app,
    __meta_kubernetes_endpoints_label_app: app,
    __meta_kubernetes_endpoints_labelpresent_app: 'true',
    __meta_kubernetes_endpoint_port_name: n % 7 === 0 ? 'grpc' : 'http-metrics',
    __meta_kubernetes_endpoint_port_protocol: 'TCP',
    __meta_kubernetes_endpoint_ready: n % 13 === 0 ? 'false' : 'true',
    __meta_kubernetes_endpoint_node_name: `node-${n % 300}`,
    __meta_kubernetes_endpoint_address_target_kind: 'Pod',
    __meta_kubernetes_endpoint_address_target_name: `${app}-7d9f8b-${n}`,
    __meta_kubernetes_service_name: app,
    __meta_kubernetes_service_label_app: app,
    __meta_kubernetes_service_labelpresent_app: 'true',
    __meta_kubernetes_service_label_release: n % 3 === 0 ? 'other' : 'kps',
    __meta_kubernetes_service_labelpresent_release: 'true',
    __meta_kubernetes_pod_name: `${app}-7d9f8b-${n}`,
    __meta_kubernetes_pod_ip: ip,
    __meta_kubernetes_pod_phase: n % 97 === 0 ? 'Succeeded' : 'Running',
    __meta_kubernetes_pod_ready: 'true',
    __meta_kubernetes_pod_container_name: 'app',
    __meta_kubernetes_pod_label_app_kubernetes_io_name: app,
    __meta_kubernetes_pod_label_pod_template_hash: '7d9f8b',
    __meta_kubernetes_pod_uid: `0000-${n}`,
    job: 'serviceMonitor/monitoring/app/0',
    __scheme__: 'http',
    __metrics_path__: '/metrics',
  };
}

/** A 20-rule chain: selector keeps, phase drop, meta-label copies, labelmap, hashmod sharding. */
export const SERVICE_MONITOR_RULES: unknown[] = [
  { source_labels: ['job'], target_label: '__tmp_prometheus_job_name' },
  {
    action: 'keep',
    source_labels: [
      '__meta_kubernetes_service_label_release',
      '__meta_kubernetes_service_labelpresent_release',
    ],
    regex: '(kps);true',
  },
  {
    action: 'keep',
    source_labels: ['__meta_kubernetes_endpoint_port_name'],
    regex: 'http-metrics',
  },
  {
    source_labels: [
      '__meta_kubernetes_endpoint_address_target_kind',
      '__meta_kubernetes_endpoint_address_target_name',
    ],
    separator: ';',
    regex: 'Node;(.*)',
    replacement: '${1}',
    target_label: 'node',
  },
  {
    source_labels: [
      '__meta_kubernetes_endpoint_address_target_kind',
      '__meta_kubernetes_endpoint_address_target_name',
    ],
    separator: ';',
    regex: 'Pod;(.*)',
    replacement: '${1}',
    target_label: 'pod',
  },
  { source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace' },
  { source_labels: ['__meta_kubernetes_service_name'], target_label: 'service' },
  { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
  { source_labels: ['__meta_kubernetes_pod_container_name'], target_label: 'container' },
  {
    action: 'drop',
    source_labels: ['__meta_kubernetes_pod_phase'],
    regex: '(Failed|Succeeded)',
  },
  { source_labels: ['__meta_kubernetes_service_name'], target_label: 'job', replacement: '${1}' },
  {
    source_labels: ['__meta_kubernetes_service_label_app'],
    target_label: 'job',
    regex: '(.+)',
    replacement: '${1}',
  },
  { target_label: 'endpoint', replacement: 'http-metrics' },
  { action: 'labelmap', regex: '__meta_kubernetes_pod_label_(.+)', replacement: 'pod_label_$1' },
  {
    source_labels: ['__address__'],
    regex: '([^:]+)(?::\\d+)?',
    target_label: '__tmp_host',
    replacement: '$1',
  },
  { source_labels: ['__address__'], target_label: '__tmp_hash', modulus: 1, action: 'hashmod' },
  { source_labels: ['__tmp_hash'], regex: '$(SHARD)|0', action: 'keep' },
  { source_labels: ['pod'], target_label: 'pod_upper', action: 'uppercase' },
  { action: 'labeldrop', regex: 'pod_label_pod_template_hash' },
  { source_labels: ['__meta_kubernetes_endpoint_ready'], regex: 'false', action: 'drop' },
];
