/**
 * A ServiceMonitor endpoint → one scrape job, as prometheus-operator's
 * `generateServiceMonitorConfig` (`pkg/prometheus/promcfg.go`) builds it, key for key and rule for
 * rule: endpoints (or endpointslice) discovery in the selected namespaces, the selector as keep
 * rules on the Service's labels, the port, the node/pod/namespace/service/container labels, the
 * phase filter, target labels, `job` from the Service (or `jobLabel`), `endpoint`, the scrape
 * class's and the monitor's relabelings, and sharding.
 */
import type { Monitor, ServiceMonitorEndpoint } from './crd-monitors.ts';
import type { GeneratedJob } from './generated.ts';
import type { ConfigGenerator } from './generator.ts';
import * as http from './http-config.ts';
import {
  addBearerTokenSecret,
  addPhaseFilter,
  addPodTargetLabels,
  addSelectorRules,
  copyRule,
  finishEndpointJob,
  keepRule,
  objectLabelRule,
  startEndpointJob,
  startRules,
} from './job-parts.ts';
import { MapSlice } from './map-slice.ts';

type ServiceMonitor = Extract<Monitor, { kind: 'ServiceMonitor' }>;

/** Generates the job of `endpoints[i]`. */
export function generateServiceMonitorJob(
  cg: ConfigGenerator,
  m: ServiceMonitor,
  ep: ServiceMonitorEndpoint,
  i: number,
): GeneratedJob {
  const spec = m.spec;
  const role =
    spec.serviceDiscoveryRole !== undefined
      ? cg.endpointRole(spec.serviceDiscoveryRole)
      : cg.endpointRole(cg.cpf.serviceDiscoveryRole);
  const job = startEndpointJob(cg, m, ep, i, {
    role,
    selectorRoles: [role, 'service'],
    attachMetadataSince: '2.37.0',
  });
  const { scrapeClass, store, cfg, roleSelector } = job;
  http.addProxyConfig(cg, cfg, store, ep);
  http.addOAuth2(cg, cfg, store, ep.oauth2);
  http.addTls(cg, cfg, store, http.mergeTls(ep.tlsConfig, scrapeClass));
  if ((ep.bearerTokenFile ?? '') !== '') cfg.push('bearer_token_file', ep.bearerTokenFile!);
  if (ep.bearerTokenSecret !== undefined && ep.bearerTokenSecret.name !== '')
    addBearerTokenSecret(cg, cfg, store, ep.bearerTokenSecret, 'bearer token');
  http.addBasicAuth(cg, cfg, store, ep.basicAuth);
  http.addAuthorization(cg, cfg, store, http.mergeAuthorization(ep.authorization, scrapeClass));

  const list = startRules();
  const add = list.add.bind(list);
  if (!roleSelector) addSelectorRules(list, 'service', spec.selector);
  const slice = role === 'endpointslice';
  if ((ep.port ?? '') !== '') {
    const label = slice
      ? '__meta_kubernetes_endpointslice_port_name'
      : '__meta_kubernetes_endpoint_port_name';
    add([keepRule(label, ep.port!)], () => ({
      kind: 'port',
      by: 'service port name',
      port: ep.port!,
    }));
  } else if (ep.targetPort !== undefined) {
    if (typeof ep.targetPort === 'string' && ep.targetPort !== '') {
      add([keepRule('__meta_kubernetes_pod_container_port_name', ep.targetPort)], () => ({
        kind: 'port',
        by: 'container port name',
        port: String(ep.targetPort),
      }));
    } else if (typeof ep.targetPort === 'number' && ep.targetPort !== 0) {
      add([keepRule('__meta_kubernetes_pod_container_port_number', ep.targetPort)], () => ({
        kind: 'port',
        by: 'container port number',
        port: String(ep.targetPort),
      }));
    }
  }
  const kind = slice
    ? [
        '__meta_kubernetes_endpointslice_address_target_kind',
        '__meta_kubernetes_endpointslice_address_target_name',
      ]
    : [
        '__meta_kubernetes_endpoint_address_target_kind',
        '__meta_kubernetes_endpoint_address_target_name',
      ];
  const targetRef = (regex: string, target: string) =>
    new MapSlice([
      ['source_labels', kind],
      ['separator', ';'],
      ['regex', regex],
      ['replacement', '${1}'],
      ['target_label', target],
    ]);
  add(
    [
      targetRef('Node;(.*)', 'node'),
      targetRef('Pod;(.*)', 'pod'),
      copyRule('__meta_kubernetes_namespace', 'namespace'),
      copyRule('__meta_kubernetes_service_name', 'service'),
      copyRule('__meta_kubernetes_pod_name', 'pod'),
      copyRule('__meta_kubernetes_pod_container_name', 'container'),
    ],
    () => ({ kind: 'labels' }),
  );
  addPhaseFilter(list, ep);
  add(
    (spec.targetLabels ?? []).map((l) => objectLabelRule('service', l)),
    () => ({ kind: 'labels' }),
  );
  addPodTargetLabels(cg, list, spec.podTargetLabels);
  const jobRules = [
    new MapSlice([
      ['source_labels', ['__meta_kubernetes_service_name']],
      ['target_label', 'job'],
      ['replacement', '${1}'],
    ]),
  ];
  if ((spec.jobLabel ?? '') !== '')
    jobRules.push(objectLabelRule('service', spec.jobLabel!, 'job'));
  add(jobRules, () => ({ kind: 'labels' }));
  return finishEndpointJob(cg, m, ep, i, job, list);
}
