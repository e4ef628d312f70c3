/**
 * A PodMonitor endpoint → one scrape job, as prometheus-operator's `generatePodMonitorConfig`
 * (`pkg/prometheus/promcfg.go`) builds it: pod discovery, the phase filter first, the selector on
 * the pod's labels, the container port (name, number, or the deprecated targetPort), namespace /
 * container / pod labels, `job` = `<namespace>/<name>` (or `jobLabel`), `endpoint`, the scrape
 * class's and the monitor's relabelings, and sharding.
 */
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
import type { Monitor, PodMetricsEndpoint } from './crd-monitors.ts';
import { jobName, RuleList, type GeneratedJob } from './generated.ts';
import type { ConfigGenerator } from './generator.ts';
import {
  addAuthorization,
  addBasicAuth,
  addOAuth2,
  addProxyConfig,
  addTls,
  mergeAuthorization,
  mergeSafeTls,
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

type PodMonitor = Extract<Monitor, { kind: 'PodMonitor' }>;

const keep = (label: string, regex: string | number): MapSlice =>
  new MapSlice([
    ['action', 'keep'],
    ['source_labels', [label]],
    ['regex', regex],
  ]);

/** Generates the job of `podMetricsEndpoints[i]`. */
export function generatePodMonitorJob(
  cg: ConfigGenerator,
  m: PodMonitor,
  ep: PodMetricsEndpoint,
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
  const roleSelector = spec.selectorMechanism === 'RoleSelector';
  cfg.push(
    'kubernetes_sd_configs',
    kubernetesSdConfigs(cg, {
      namespaceSelector: spec.namespaceSelector,
      namespace: ns,
      store,
      role: 'pod',
      attachMetadata: attachMetadataOf(spec.attachMetadata, scrapeClass?.attachMetadata, '2.35.0'),
      roleSelector: roleSelector ? { roles: ['pod'], selector: spec.selector } : null,
    }),
  );
  if ((ep.interval ?? '') !== '') cfg.push('scrape_interval', ep.interval!);
  if ((ep.scrapeTimeout ?? '') !== '') cfg.push('scrape_timeout', ep.scrapeTimeout!);
  if ((ep.path ?? '') !== '') cfg.push('metrics_path', ep.path!);
  if (ep.params !== undefined) cfg.push('params', { ...ep.params });
  if (ep.scheme !== undefined) cfg.push('scheme', ep.scheme.toLowerCase());
  // addHTTPConfigToYAML: redirects, HTTP/2, then TLS merged with the scrape class.
  if (ep.followRedirects !== undefined)
    cg.append(cfg, 'follow_redirects', ep.followRedirects, '2.26.0');
  if (ep.enableHttp2 !== undefined) cg.append(cfg, 'enable_http2', ep.enableHttp2, '2.35.0');
  addTls(cg, cfg, store, mergeSafeTls(ep.tlsConfig, scrapeClass));
  if (ep.bearerTokenSecret !== undefined && ep.bearerTokenSecret.name !== '') {
    const got = store.secretKey(ep.bearerTokenSecret);
    if (!got.ok) cg.warn(`invalid bearer token secret reference: ${got.error}`);
    else cfg.push('bearer_token', got.value);
  }
  addBasicAuth(cg, cfg, store, ep.basicAuth);
  addOAuth2(cg, cfg, store, ep.oauth2);
  addProxyConfig(cg, cfg, store, ep);
  addAuthorization(cg, cfg, store, mergeAuthorization(ep.authorization, scrapeClass));

  const list = new RuleList().add(initRelabelings(), () => ({ kind: 'job-name' }));
  if (ep.filterRunning ?? true) list.add([runningFilter()], () => ({ kind: 'phase' }));
  if (!roleSelector) {
    const selector = selectorRelabelings('pod', spec.selector);
    list.add(
      selector.map((r) => r.rule),
      (j) => ({ kind: 'selector', object: 'pod', requirement: selector[j]!.requirement }),
    );
  }
  const port = ep.port ?? '';
  const target = ep.targetPort;
  if (port !== '') {
    list.add([keep('__meta_kubernetes_pod_container_port_name', port)], () => ({
      kind: 'port',
      by: 'container port name',
      port,
    }));
  } else if ((ep.portNumber ?? 0) !== 0) {
    list.add([keep('__meta_kubernetes_pod_container_port_number', ep.portNumber!)], () => ({
      kind: 'port',
      by: 'container port number',
      port: String(ep.portNumber),
    }));
  } else if (target !== undefined) {
    cg.warn("'targetPort' is deprecated, use 'port' or 'portNumber' instead.");
    if (typeof target === 'string' && target !== '')
      list.add([keep('__meta_kubernetes_pod_container_port_name', target)], () => ({
        kind: 'port',
        by: 'container port name',
        port: target,
      }));
    else if (typeof target === 'number' && target !== 0)
      list.add([keep('__meta_kubernetes_pod_container_port_number', target)], () => ({
        kind: 'port',
        by: 'container port number',
        port: String(target),
      }));
  }
  const copy = (source: string, targetLabel: string) =>
    new MapSlice([
      ['source_labels', [source]],
      ['target_label', targetLabel],
    ]);
  list.add(
    [
      copy('__meta_kubernetes_namespace', 'namespace'),
      copy('__meta_kubernetes_pod_container_name', 'container'),
      copy('__meta_kubernetes_pod_name', 'pod'),
    ],
    () => ({ kind: 'labels' }),
  );
  list.add(
    [...(spec.podTargetLabels ?? []), ...(cg.cpf.podTargetLabels ?? [])].map(
      (l) =>
        new MapSlice([
          ['source_labels', [`__meta_kubernetes_pod_label_${sanitizeLabelName(l)}`]],
          ['target_label', sanitizeLabelName(l)],
          ['regex', '(.+)'],
          ['replacement', '${1}'],
        ]),
    ),
    () => ({ kind: 'labels' }),
  );
  const jobRules = [
    new MapSlice([
      ['target_label', 'job'],
      ['replacement', `${ns}/${m.metadata.name}`],
    ]),
  ];
  if ((spec.jobLabel ?? '') !== '')
    jobRules.push(
      new MapSlice([
        ['source_labels', [`__meta_kubernetes_pod_label_${sanitizeLabelName(spec.jobLabel!)}`]],
        ['target_label', 'job'],
        ['regex', '(.+)'],
        ['replacement', '${1}'],
      ]),
    );
  list.add(jobRules, () => ({ kind: 'labels' }));
  const endpointName =
    port !== '' ? port : target !== undefined && String(target) !== '' ? String(target) : null;
  if (endpointName !== null)
    list.add(
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
  list.add(relabelSection(scrapeClass?.relabelings), () => ({ kind: 'scrape-class' }));
  const ref = { resource: 'podmonitors', namespace: ns, name: m.metadata.name };
  const own = ep.relabelings ?? [];
  list.add(relabelSection(enforceNamespace(cg, ref, own)), (j) =>
    j < own.length
      ? { kind: 'user', where: `podMetricsEndpoints[${i}].relabelings[${j}]` }
      : { kind: 'enforced-namespace' },
  );
  list.add(shardingRelabelings(cg.shards(), '__address__'), () => ({ kind: 'shard' }));
  cfg.push('relabel_configs', list.rules);

  addLimits(cg, cfg, spec);
  addNativeHistogramConfig(cg, cfg, spec);
  addScrapeProtocols(cg, cfg, spec.scrapeProtocols);
  addFallbackScrapeProtocol(cg, cfg, spec.fallbackScrapeProtocol, scrapeClass);
  addBodySizeLimit(cg, cfg, spec.bodySizeLimit);
  addMetricRelabelings(cfg, scrapeClass, enforceNamespace(cg, ref, ep.metricRelabelings));
  return {
    name: jobName(m, i),
    monitor: m,
    endpoint: i,
    config: cfg,
    rules: list.roles,
    lacking: [],
  };
}
