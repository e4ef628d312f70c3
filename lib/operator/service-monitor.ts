/**
 * A ServiceMonitor endpoint → one scrape job, as prometheus-operator's
 * `generateServiceMonitorConfig` (`pkg/prometheus/promcfg.go`) builds it, key for key and rule for
 * rule: endpoints (or endpointslice) discovery in the selected namespaces, the selector as keep
 * rules on the Service's labels, the port, the node/pod/namespace/service/container labels, the
 * phase filter, target labels, `job` from the Service (or `jobLabel`), `endpoint`, the scrape
 * class's and the monitor's relabelings, and sharding.
 */
import type { Monitor, ServiceMonitorEndpoint } from './crd-monitors.ts';
import {
  attachMetadataOf,
  enforceNamespace,
  initRelabelings,
  kubernetesSdConfigs,
  runningFilter,
  sanitizeLabelName,
  selectorRelabelings,
  shardingRelabelings,
} from './chain.ts';
import { jobName, RuleList, type GeneratedJob } from './generated.ts';
import type { ConfigGenerator } from './generator.ts';
import {
  addAuthorization,
  addBasicAuth,
  addOAuth2,
  addProxyConfig,
  addTls,
  mergeAuthorization,
  mergeTls,
  relabelSection,
} from './http-config.ts';
import { MapSlice } from './map-slice.ts';
import {
  addBodySizeLimit,
  addFallbackScrapeProtocol,
  addHonorLabels,
  addHonorTimestamps,
  addLimits,
  addMetricRelabelings,
  addNativeHistogramConfig,
  addScrapeProtocols,
  addTrackTimestampsStaleness,
} from './settings.ts';

type ServiceMonitor = Extract<Monitor, { kind: 'ServiceMonitor' }>;

/** The rules that copy a target label from the Service or the pod (`targetLabels`, `podTargetLabels`). */
function copyLabel(object: 'service' | 'pod', label: string): MapSlice {
  return new MapSlice([
    ['source_labels', [`__meta_kubernetes_${object}_label_${sanitizeLabelName(label)}`]],
    ['target_label', sanitizeLabelName(label)],
    ['regex', '(.+)'],
    ['replacement', '${1}'],
  ]);
}

/** Generates the job of `endpoints[i]`. */
export function generateServiceMonitorJob(
  cg: ConfigGenerator,
  m: ServiceMonitor,
  ep: ServiceMonitorEndpoint,
  i: number,
): GeneratedJob {
  const spec = m.spec;
  const ns = m.metadata.namespace;
  const scrapeClass = cg.scrapeClass(spec.scrapeClass);
  const store = cg.store.forNamespace(ns);
  const cfg = new MapSlice([['job_name', jobName(m, i)]]);
  addHonorLabels(cg, cfg, ep.honorLabels ?? false);
  addHonorTimestamps(cg, cfg, ep.honorTimestamps);
  addTrackTimestampsStaleness(cg, cfg, ep.trackTimestampsStaleness);

  const role =
    spec.serviceDiscoveryRole !== undefined
      ? cg.endpointRole(spec.serviceDiscoveryRole)
      : cg.endpointRole(cg.cpf.serviceDiscoveryRole);
  const roleSelector = spec.selectorMechanism === 'RoleSelector';
  cfg.push(
    'kubernetes_sd_configs',
    kubernetesSdConfigs(cg, {
      namespaceSelector: spec.namespaceSelector,
      namespace: ns,
      store,
      role,
      attachMetadata: attachMetadataOf(spec.attachMetadata, scrapeClass?.attachMetadata, '2.37.0'),
      roleSelector: roleSelector ? { roles: [role, 'service'], selector: spec.selector } : null,
    }),
  );

  if ((ep.interval ?? '') !== '') cfg.push('scrape_interval', ep.interval!);
  if ((ep.scrapeTimeout ?? '') !== '') cfg.push('scrape_timeout', ep.scrapeTimeout!);
  if ((ep.path ?? '') !== '') cfg.push('metrics_path', ep.path!);
  if (ep.params !== undefined) cfg.push('params', { ...ep.params });
  if (ep.scheme !== undefined) cfg.push('scheme', ep.scheme.toLowerCase());
  if (ep.followRedirects !== undefined)
    cg.append(cfg, 'follow_redirects', ep.followRedirects, '2.26.0');
  if (ep.enableHttp2 !== undefined) cg.append(cfg, 'enable_http2', ep.enableHttp2, '2.35.0');
  addProxyConfig(cg, cfg, store, ep);
  addOAuth2(cg, cfg, store, ep.oauth2);
  addTls(cg, cfg, store, mergeTls(ep.tlsConfig, scrapeClass));
  if ((ep.bearerTokenFile ?? '') !== '') cfg.push('bearer_token_file', ep.bearerTokenFile!);
  if (ep.bearerTokenSecret !== undefined && ep.bearerTokenSecret.name !== '') {
    const got = store.secretKey(ep.bearerTokenSecret);
    if (!got.ok) cg.warn(`invalid bearer token reference: ${got.error}`);
    else cfg.push('bearer_token', got.value);
  }
  addBasicAuth(cg, cfg, store, ep.basicAuth);
  addAuthorization(cg, cfg, store, mergeAuthorization(ep.authorization, scrapeClass));

  const list = new RuleList().add(initRelabelings(), () => ({ kind: 'job-name' }));
  const add = list.add.bind(list);
  if (!roleSelector) {
    const selector = selectorRelabelings('service', spec.selector);
    add(
      selector.map((r) => r.rule),
      (j) => ({ kind: 'selector', object: 'service', requirement: selector[j]!.requirement }),
    );
  }
  const slice = role === 'endpointslice';
  if ((ep.port ?? '') !== '') {
    const label = slice
      ? '__meta_kubernetes_endpointslice_port_name'
      : '__meta_kubernetes_endpoint_port_name';
    add(
      [
        new MapSlice([
          ['action', 'keep'],
          ['source_labels', [label]],
          ['regex', ep.port!],
        ]),
      ],
      () => ({ kind: 'port', by: 'service port name', port: ep.port! }),
    );
  } else if (ep.targetPort !== undefined) {
    if (typeof ep.targetPort === 'string' && ep.targetPort !== '') {
      add(
        [
          new MapSlice([
            ['action', 'keep'],
            ['source_labels', ['__meta_kubernetes_pod_container_port_name']],
            ['regex', ep.targetPort],
          ]),
        ],
        () => ({ kind: 'port', by: 'container port name', port: String(ep.targetPort) }),
      );
    } else if (typeof ep.targetPort === 'number' && ep.targetPort !== 0) {
      add(
        [
          new MapSlice([
            ['action', 'keep'],
            ['source_labels', ['__meta_kubernetes_pod_container_port_number']],
            ['regex', ep.targetPort],
          ]),
        ],
        () => ({ kind: 'port', by: 'container port number', port: String(ep.targetPort) }),
      );
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
  const copy = (source: string, target: string) =>
    new MapSlice([
      ['source_labels', [source]],
      ['target_label', target],
    ]);
  add(
    [
      targetRef('Node;(.*)', 'node'),
      targetRef('Pod;(.*)', 'pod'),
      copy('__meta_kubernetes_namespace', 'namespace'),
      copy('__meta_kubernetes_service_name', 'service'),
      copy('__meta_kubernetes_pod_name', 'pod'),
      copy('__meta_kubernetes_pod_container_name', 'container'),
    ],
    () => ({ kind: 'labels' }),
  );
  if (ep.filterRunning ?? true) add([runningFilter()], () => ({ kind: 'phase' }));
  add(
    (spec.targetLabels ?? []).map((l) => copyLabel('service', l)),
    () => ({ kind: 'labels' }),
  );
  add(
    [...(spec.podTargetLabels ?? []), ...(cg.cpf.podTargetLabels ?? [])].map((l) =>
      copyLabel('pod', l),
    ),
    () => ({ kind: 'labels' }),
  );
  const jobRules = [
    new MapSlice([
      ['source_labels', ['__meta_kubernetes_service_name']],
      ['target_label', 'job'],
      ['replacement', '${1}'],
    ]),
  ];
  if ((spec.jobLabel ?? '') !== '') {
    jobRules.push(
      new MapSlice([
        ['source_labels', [`__meta_kubernetes_service_label_${sanitizeLabelName(spec.jobLabel!)}`]],
        ['target_label', 'job'],
        ['regex', '(.+)'],
        ['replacement', '${1}'],
      ]),
    );
  }
  add(jobRules, () => ({ kind: 'labels' }));
  const endpointName =
    (ep.port ?? '') !== ''
      ? ep.port!
      : ep.targetPort !== undefined && String(ep.targetPort) !== ''
        ? String(ep.targetPort)
        : null;
  if (endpointName !== null)
    add(
      [
        new MapSlice([
          ['target_label', 'endpoint'],
          ['replacement', endpointName],
        ]),
      ],
      () => ({
        kind: 'labels',
      }),
    );
  add(relabelSection(scrapeClass?.relabelings), () => ({ kind: 'scrape-class' }));
  const own = ep.relabelings ?? [];
  const enforced = enforceNamespace(
    cg,
    { resource: 'servicemonitors', namespace: ns, name: m.metadata.name },
    own,
  );
  add(relabelSection(enforced), (j) =>
    j < own.length
      ? { kind: 'user', where: `endpoints[${i}].relabelings[${j}]` }
      : { kind: 'enforced-namespace' },
  );
  add(shardingRelabelings(cg.shards(), '__address__'), () => ({ kind: 'shard' }));
  cfg.push('relabel_configs', list.rules);

  addLimits(cg, cfg, spec);
  addNativeHistogramConfig(cg, cfg, spec);
  addScrapeProtocols(cg, cfg, spec.scrapeProtocols);
  addFallbackScrapeProtocol(cg, cfg, spec.fallbackScrapeProtocol, scrapeClass);
  addBodySizeLimit(cg, cfg, spec.bodySizeLimit);
  addMetricRelabelings(
    cfg,
    scrapeClass,
    enforceNamespace(
      cg,
      { resource: 'servicemonitors', namespace: ns, name: m.metadata.name },
      ep.metricRelabelings,
    ),
  );
  return {
    name: jobName(m, i),
    monitor: m,
    endpoint: i,
    config: cfg,
    rules: list.roles,
    lacking: [],
  };
}
