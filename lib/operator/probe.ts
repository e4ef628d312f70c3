/**
 * A Probe → one scrape job, as prometheus-operator's `generateProbeConfig`
 * (`pkg/prometheus/promcfg.go`) builds it: the prober's path and module, static targets (with the
 * namespace label) or ingresses by discovery, each target moved into `__param_target` and the
 * prober made the address, then the scrape class's and the monitor's relabelings and sharding on
 * `__param_target`. Static targets win when both are set, as the CRD documents.
 */
import {
  enforceNamespace,
  initRelabelings,
  kubernetesSdConfigs,
  selectorRelabelings,
  shardingRelabelings,
} from './chain.ts';
import type { Monitor } from './crd-monitors.ts';
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
import { MapSlice, type YamlValue } from './map-slice.ts';
import {
  addFallbackScrapeProtocol,
  addHonorTimestamps,
  addLimits,
  addMetricRelabelings,
  addNativeHistogramConfig,
  addScrapeProtocols,
} from './settings.ts';

type Probe = Extract<Monitor, { kind: 'Probe' }>;

const copy = (source: string, target: string): MapSlice =>
  new MapSlice([
    ['source_labels', [source]],
    ['target_label', target],
  ]);

/** Generates the Probe's job. */
export function generateProbeJob(cg: ConfigGenerator, m: Probe): GeneratedJob {
  const spec = m.spec;
  const ns = m.metadata.namespace;
  const scrapeClass = cg.scrapeClass(spec.scrapeClass);
  const store = cg.store.forNamespace(ns);
  const prober = spec.prober ?? { url: '' };
  const cfg = new MapSlice([['job_name', jobName(m, null)]]);
  addHonorTimestamps(cg, cfg, true);
  cfg.push('metrics_path', prober.path ?? '');
  if ((spec.interval ?? '') !== '') cfg.push('scrape_interval', spec.interval!);
  if ((spec.scrapeTimeout ?? '') !== '') cfg.push('scrape_timeout', spec.scrapeTimeout!);
  if (prober.scheme !== undefined) cfg.push('scheme', prober.scheme.toLowerCase());
  const params = new MapSlice();
  if ((spec.module ?? '') !== '') params.push('module', [spec.module!]);
  for (const p of spec.params ?? []) {
    if ((spec.module ?? '') !== '' && p.name === 'module') continue;
    params.push(p.name, [...(p.values ?? [])]);
  }
  if (params.length > 0) cfg.push('params', params);
  addLimits(cg, cfg, spec);
  addNativeHistogramConfig(cg, cfg, spec);
  addScrapeProtocols(cg, cfg, spec.scrapeProtocols);
  addFallbackScrapeProtocol(cg, cfg, spec.fallbackScrapeProtocol, scrapeClass);
  if ((cg.cpf.enforcedBodySizeLimit ?? '') !== '')
    cg.append(cfg, 'body_size_limit', cg.cpf.enforcedBodySizeLimit!, '2.28.0');

  const list = new RuleList().add(initRelabelings(), () => ({ kind: 'job-name' }));
  if ((spec.jobName ?? '') !== '')
    list.add(
      [
        new MapSlice([
          ['target_label', 'job'],
          ['replacement', spec.jobName!],
        ]),
      ],
      () => ({
        kind: 'labels',
      }),
    );
  addProxyConfig(cg, cfg, store, prober);
  // addHTTPConfigToYAML
  if (spec.followRedirects !== undefined)
    cg.append(cfg, 'follow_redirects', spec.followRedirects, '2.26.0');
  if (spec.enableHttp2 !== undefined) cg.append(cfg, 'enable_http2', spec.enableHttp2, '2.35.0');
  addTls(cg, cfg, store, mergeSafeTls(spec.tlsConfig, scrapeClass));

  const ref = { resource: 'probes', namespace: ns, name: m.metadata.name };
  const prober3 = [
    copy('__param_target', 'instance'),
    new MapSlice([
      ['target_label', '__address__'],
      ['replacement', prober.url],
    ]),
  ];
  const staticConfig = spec.targets?.staticConfig;
  const ingress = spec.targets?.ingress;
  if (staticConfig !== undefined) {
    const labels: Record<string, YamlValue> = { ...staticConfig.labels };
    if (!Object.hasOwn(labels, 'namespace')) labels.namespace = ns;
    cfg.push('static_configs', [
      new MapSlice([
        ['targets', [...(staticConfig.static ?? [])]],
        ['labels', labels],
      ]),
    ]);
    list.add([copy('__address__', '__param_target'), ...prober3], () => ({ kind: 'labels' }));
    list.add(relabelSection(scrapeClass?.relabelings), () => ({ kind: 'scrape-class' }));
    const own = staticConfig.relabelingConfigs ?? [];
    list.add(relabelSection(enforceNamespace(cg, ref, own)), (j) =>
      j < own.length
        ? { kind: 'user', where: `targets.staticConfig.relabelingConfigs[${j}]` }
        : { kind: 'enforced-namespace' },
    );
  } else if (ingress !== undefined) {
    const selector = selectorRelabelings('ingress', ingress.selector ?? {});
    list.add(
      selector.map((r) => r.rule),
      (j) => ({ kind: 'selector', object: 'ingress', requirement: selector[j]!.requirement }),
    );
    cfg.push(
      'kubernetes_sd_configs',
      kubernetesSdConfigs(cg, {
        namespaceSelector: ingress.namespaceSelector,
        namespace: ns,
        store,
        role: 'ingress',
        attachMetadata: null,
        roleSelector: null,
      }),
    );
    list.add(
      [
        new MapSlice([
          [
            'source_labels',
            ['__meta_kubernetes_ingress_scheme', '__address__', '__meta_kubernetes_ingress_path'],
          ],
          ['separator', ';'],
          ['regex', '(.+);(.+);(.+)'],
          ['target_label', '__param_target'],
          ['replacement', '${1}://${2}${3}'],
          ['action', 'replace'],
        ]),
        copy('__meta_kubernetes_namespace', 'namespace'),
        copy('__meta_kubernetes_ingress_name', 'ingress'),
        new MapSlice([
          ['source_labels', ['__address__']],
          ['separator', ';'],
          ['regex', '(.*)'],
          ['target_label', '__tmp_ingress_address'],
          ['replacement', '$1'],
          ['action', 'replace'],
        ]),
        ...prober3,
      ],
      () => ({ kind: 'labels' }),
    );
    list.add(relabelSection(scrapeClass?.relabelings), () => ({ kind: 'scrape-class' }));
    const own = ingress.relabelingConfigs ?? [];
    list.add(relabelSection(enforceNamespace(cg, ref, own)), (j) =>
      j < own.length
        ? { kind: 'user', where: `targets.ingress.relabelingConfigs[${j}]` }
        : { kind: 'enforced-namespace' },
    );
  }
  list.add(shardingRelabelings(cg.shards(), '__param_target'), () => ({ kind: 'shard' }));
  cfg.push('relabel_configs', list.rules);

  if (spec.bearerTokenSecret !== undefined) {
    const got = store.secretKey(spec.bearerTokenSecret);
    if (!got.ok) cg.warn(`invalid bearer token reference: ${got.error}`);
    else cfg.push('bearer_token', got.value);
  }
  addBasicAuth(cg, cfg, store, spec.basicAuth);
  addOAuth2(cg, cfg, store, spec.oauth2);
  addAuthorization(cg, cfg, store, mergeAuthorization(spec.authorization, scrapeClass));
  addMetricRelabelings(cfg, scrapeClass, enforceNamespace(cg, ref, spec.metricRelabelings));
  return {
    name: jobName(m, null),
    monitor: m,
    endpoint: null,
    config: cfg,
    rules: list.roles,
    lacking: [],
  };
}
