/**
 * The scrape jobs of the discovery differential (discovery-verdict.test.ts), written once and
 * rendered for both sides: scrape-check reads the cluster through `kubernetes_sd_configs` as an
 * in-cluster Prometheus would (no api_server, the pod's token and CA files), Debian's Prometheus
 * 2.42 through the emulator's http_sd bridge with the same files on disk.
 *
 * The chains: Prometheus's documentation/examples/prometheus-kubernetes.yml (v2.42.0) whole, the
 * `prometheus.io/*` annotation chain of the prometheus-community chart, kube-prometheus's CoreDNS
 * monitor as the operator generates it (endpointslice, selector keep rules, jobLabel, sharding),
 * and chains for the remaining actions (keepequal, dropequal, lowercase, uppercase, labelkeep,
 * labeldrop, params), plus one drop-everything job per role to compare discovered labels exactly.
 */
import { bridgePath, type Role, ROLES } from '../k8s/sd-bridge.ts';

export type SdFlavour =
  { kind: 'kubernetes' } | { kind: 'http'; bridge: string; caFile: string; tokenFile: string };

/** Where the example's blackbox exporter is: served by the test on loopback. */
export const PROBE_ADDRESS = '127.74.9.9:9115';

/** What Prometheus's ServiceAccount may do (the prometheus-community chart's ClusterRole). */
export const PROMETHEUS_RBAC = `
apiVersion: v1
kind: ServiceAccount
metadata: {name: prometheus, namespace: monitoring}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: prometheus}
rules:
  - apiGroups: ['']
    resources: [nodes, nodes/proxy, nodes/metrics, services, endpoints, pods, namespaces]
    verbs: [get, list, watch]
  - apiGroups: [discovery.k8s.io]
    resources: [endpointslices]
    verbs: [get, list, watch]
  - apiGroups: [networking.k8s.io]
    resources: [ingresses]
    verbs: [get, list, watch]
  - nonResourceURLs: [/metrics]
    verbs: [get]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: prometheus}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: prometheus}
subjects:
  - {kind: ServiceAccount, name: prometheus, namespace: monitoring}
`;

const POD_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

function sd(flavour: SdFlavour, role: Role, namespaces?: string[]): string {
  if (flavour.kind === 'kubernetes') {
    const ns = namespaces ? `, namespaces: {names: [${namespaces.join(', ')}]}` : '';
    return `    kubernetes_sd_configs: [{role: ${role}${ns}}]\n`;
  }
  const path = bridgePath({ role, ...(namespaces ? { namespaces: { names: namespaces } } : {}) });
  return `    http_sd_configs: [{url: '${flavour.bridge}${path}'}]\n`;
}

function podFiles(flavour: SdFlavour): { ca: string; token: string } {
  return flavour.kind === 'kubernetes'
    ? { ca: `${POD_DIR}/ca.crt`, token: `${POD_DIR}/token` }
    : { ca: flavour.caFile, token: flavour.tokenFile };
}

/** The jobs, as `scrape_configs:` YAML for one side. */
export function DISCOVERY_JOBS(flavour: SdFlavour): string {
  const f = podFiles(flavour);
  const secured = `    scheme: https
    tls_config: {ca_file: ${f.ca}}
    authorization: {credentials_file: ${f.token}}
`;
  const probe = `    metrics_path: /probe
    params: {module: [http_2xx]}
`;
  const jobs: string[] = [
    `  - job_name: kubernetes-apiservers
${sd(flavour, 'endpoints')}${secured}    relabel_configs:
      - source_labels: [__meta_kubernetes_namespace, __meta_kubernetes_service_name, __meta_kubernetes_endpoint_port_name]
        action: keep
        regex: default;kubernetes;https
`,
    `  - job_name: kubernetes-nodes
${secured}${sd(flavour, 'node')}    relabel_configs:
      - action: labelmap
        regex: __meta_kubernetes_node_label_(.+)
`,
    `  - job_name: kubernetes-cadvisor
${secured}    metrics_path: /metrics/cadvisor
${sd(flavour, 'node')}    relabel_configs:
      - action: labelmap
        regex: __meta_kubernetes_node_label_(.+)
`,
    `  - job_name: kubernetes-service-endpoints
${sd(flavour, 'endpoints')}    relabel_configs:
      - action: labelmap
        regex: __meta_kubernetes_service_label_(.+)
      - source_labels: [__meta_kubernetes_namespace]
        action: replace
        target_label: namespace
      - source_labels: [__meta_kubernetes_service_name]
        action: replace
        target_label: service
      - source_labels: [__meta_kubernetes_endpoint_port_protocol]
        regex: UDP
        action: drop
      - source_labels: [__address__]
        regex: '.*:(6443|10250|10255|4194)'
        action: drop
`,
    `  - job_name: kubernetes-services
${probe}${sd(flavour, 'service')}    relabel_configs:
      - source_labels: [__address__]
        target_label: __param_target
      - target_label: __address__
        replacement: ${PROBE_ADDRESS}
      - source_labels: [__param_target]
        target_label: instance
      - action: labelmap
        regex: __meta_kubernetes_service_label_(.+)
      - source_labels: [__meta_kubernetes_namespace]
        target_label: namespace
      - source_labels: [__meta_kubernetes_service_name]
        target_label: service
`,
    `  - job_name: kubernetes-ingresses
${probe}${sd(flavour, 'ingress')}    relabel_configs:
      - source_labels: [__meta_kubernetes_ingress_scheme, __address__, __meta_kubernetes_ingress_path]
        regex: (.+);(.+);(.+)
        replacement: \${1}://\${2}\${3}
        target_label: __param_target
      - target_label: __address__
        replacement: ${PROBE_ADDRESS}
      - source_labels: [__param_target]
        target_label: instance
      - action: labelmap
        regex: __meta_kubernetes_ingress_label_(.+)
      - source_labels: [__meta_kubernetes_namespace]
        target_label: namespace
      - source_labels: [__meta_kubernetes_ingress_name]
        target_label: ingress
`,
    `  - job_name: kubernetes-pods
${sd(flavour, 'pod')}    relabel_configs:
      - action: labelmap
        regex: __meta_kubernetes_pod_label_(.+)
      - source_labels: [__meta_kubernetes_namespace]
        action: replace
        target_label: namespace
      - source_labels: [__meta_kubernetes_pod_name]
        action: replace
        target_label: pod
      - source_labels: [__meta_kubernetes_pod_phase]
        regex: Pending|Succeeded|Failed|Completed
        action: drop
      - source_labels: [__address__]
        regex: '.*:(53|10250|2379|2380|6443|10257|10259)'
        action: drop
`,
    // prometheus-community/prometheus chart: the prometheus.io annotations.
    `  - job_name: kubernetes-pods-annotated
${sd(flavour, 'pod')}    relabel_configs:
      - source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_scrape]
        action: keep
        regex: true
      - source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_scheme]
        action: replace
        regex: (https?)
        target_label: __scheme__
      - source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_path]
        action: replace
        target_label: __metrics_path__
        regex: (.+)
      - source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_port, __meta_kubernetes_pod_ip]
        action: replace
        regex: (\\d+);(([A-Fa-f0-9]{1,4}::?){1,7}[A-Fa-f0-9]{1,4})
        replacement: '[$2]:$1'
        target_label: __address__
      - source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_port, __meta_kubernetes_pod_ip]
        action: replace
        regex: (\\d+);((([0-9]+?)(\\.|$)){4})
        replacement: $2:$1
        target_label: __address__
      - action: labelmap
        regex: __meta_kubernetes_pod_annotation_prometheus_io_param_(.+)
        replacement: __param_$1
      - action: labelmap
        regex: __meta_kubernetes_pod_label_(.+)
      - source_labels: [__meta_kubernetes_namespace]
        action: replace
        target_label: namespace
      - source_labels: [__meta_kubernetes_pod_name]
        action: replace
        target_label: pod
      - source_labels: [__meta_kubernetes_pod_phase]
        regex: Pending|Succeeded|Failed|Completed
        action: drop
      - source_labels: [__meta_kubernetes_pod_node_name]
        action: replace
        target_label: node
`,
    // kube-prometheus's CoreDNS ServiceMonitor, as the operator generates it (endpointslice role).
    `  - job_name: serviceMonitor/monitoring/coredns/0
    honor_labels: false
${sd(flavour, 'endpointslice', ['kube-system'])}    relabel_configs:
      - source_labels: [job]
        target_label: __tmp_prometheus_job_name
      - source_labels: [__meta_kubernetes_service_label_k8s_app, __meta_kubernetes_service_labelpresent_k8s_app]
        regex: (kube-dns);true
        action: keep
      - source_labels: [__meta_kubernetes_endpointslice_port_name]
        regex: metrics
        action: keep
      - source_labels: [__meta_kubernetes_endpointslice_address_target_kind, __meta_kubernetes_endpointslice_address_target_name]
        regex: Node;(.*)
        replacement: \${1}
        target_label: node
      - source_labels: [__meta_kubernetes_endpointslice_address_target_kind, __meta_kubernetes_endpointslice_address_target_name]
        regex: Pod;(.*)
        replacement: \${1}
        target_label: pod
      - source_labels: [__meta_kubernetes_namespace]
        target_label: namespace
      - source_labels: [__meta_kubernetes_service_name]
        target_label: service
      - source_labels: [__meta_kubernetes_pod_name]
        target_label: pod
      - source_labels: [__meta_kubernetes_pod_container_name]
        target_label: container
      - source_labels: [__meta_kubernetes_pod_phase]
        regex: (Failed|Succeeded)
        action: drop
      - source_labels: [__meta_kubernetes_service_name]
        replacement: \${1}
        target_label: job
      - source_labels: [__meta_kubernetes_service_label_k8s_app]
        regex: (.+)
        replacement: \${1}
        target_label: job
      - target_label: endpoint
        replacement: metrics
      - source_labels: [__address__, __tmp_hash]
        regex: (.+);
        target_label: __tmp_hash
      - source_labels: [__tmp_hash]
        modulus: 1
        target_label: __tmp_hash
        action: hashmod
      - source_labels: [__tmp_hash, __tmp_disable_sharding]
        regex: 0;|.+;.+
        action: keep
`,
    // The remaining actions, on nodes and services.
    `  - job_name: node-exporter-actions
${sd(flavour, 'endpoints', ['monitoring'])}    params: {collect: [cpu, meminfo]}
    relabel_configs:
      - source_labels: [__meta_kubernetes_endpoints_name]
        regex: node-exporter
        action: keep
      - source_labels: [__meta_kubernetes_endpoint_node_name]
        target_label: __tmp_node
      - source_labels: [__meta_kubernetes_pod_node_name]
        target_label: __tmp_node
        action: keepequal
      - source_labels: [__meta_kubernetes_pod_node_name]
        target_label: __tmp_other
        action: dropequal
      - source_labels: [__meta_kubernetes_pod_node_name]
        target_label: NODE
        action: uppercase
      - source_labels: [NODE]
        target_label: node_lower
        action: lowercase
      - source_labels: [__meta_kubernetes_pod_label_app_kubernetes_io_name]
        target_label: __param_collect
      - action: labelmap
        regex: __meta_kubernetes_pod_label_(app_kubernetes_io_.+)
      - action: labeldrop
        regex: app_kubernetes_io_(version|component)
      - action: labelkeep
        regex: __.+|job|instance|node_lower|NODE|app_kubernetes_io_.+
`,
    ...ROLES.map(
      (role) => `  - job_name: discovered-${role}
${sd(flavour, role)}    relabel_configs:
      - {source_labels: [__address__], regex: '.*', action: drop}
`,
    ),
  ];
  return `scrape_configs:\n${jobs.join('')}`;
}
