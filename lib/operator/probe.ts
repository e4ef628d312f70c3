/**
 * A Probe → one scrape job, as prometheus-operator's `generateProbeConfig`
 * (`pkg/prometheus/promcfg.go`) builds it: the prober's path and module, static targets (with the
 * namespace label) or ingresses by discovery, each target moved into `__param_target` and the
 * prober made the address, then the scrape class's and the monitor's relabelings and sharding on
 * `__param_target`. Static targets win when both are set, as the CRD documents.
 */
import { enforceNamespace, kubernetesSdConfigs } from './chain.ts';
import type { Monitor } from './crd-monitors.ts';
import { generatedJob, type GeneratedJob } from './generated.ts';
import type { ConfigGenerator } from './generator.ts';
import * as http from './http-config.ts';
import {
  addBearerTokenSecret,
  addOwnRelabelings,
  addScrapeClassRules,
  addSelectorRules,
  addShardRules,
  copyRule,
  setRule,
  startJob,
  startRules,
} from './job-parts.ts';
import { MapSlice, type YamlValue } from './map-slice.ts';
import { addHonorTimestamps, addLimitsAndProtocols, addMetricRelabelings } from './settings.ts';

type Probe = Extract<Monitor, { kind: 'Probe' }>;

/** Generates the Probe's job. */
export function generateProbeJob(cg: ConfigGenerator, m: Probe): GeneratedJob {
  const spec = m.spec;
  const { ns, scrapeClass, store, cfg } = startJob(cg, m, null);
  const prober = spec.prober ?? { url: '' };
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
  addLimitsAndProtocols(cg, cfg, spec, scrapeClass);
  if ((cg.cpf.enforcedBodySizeLimit ?? '') !== '')
    cg.append(cfg, 'body_size_limit', cg.cpf.enforcedBodySizeLimit!, '2.28.0');

  const list = startRules();
  if ((spec.jobName ?? '') !== '')
    list.add([setRule('job', spec.jobName!)], () => ({ kind: 'labels' }));
  http.addProxyConfig(cg, cfg, store, prober);
  // addHTTPConfigToYAML
  if (spec.followRedirects !== undefined)
    cg.append(cfg, 'follow_redirects', spec.followRedirects, '2.26.0');
  if (spec.enableHttp2 !== undefined) cg.append(cfg, 'enable_http2', spec.enableHttp2, '2.35.0');
  http.addTls(cg, cfg, store, http.mergeSafeTls(spec.tlsConfig, scrapeClass));

  const ref = { resource: 'probes', namespace: ns, name: m.metadata.name };
  const prober3 = [copyRule('__param_target', 'instance'), setRule('__address__', prober.url)];
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
    list.add([copyRule('__address__', '__param_target'), ...prober3], () => ({ kind: 'labels' }));
    addScrapeClassRules(list, scrapeClass);
    const own = staticConfig.relabelingConfigs ?? [];
    addOwnRelabelings(cg, list, ref, own, 'targets.staticConfig.relabelingConfigs');
  } else if (ingress !== undefined) {
    addSelectorRules(list, 'ingress', ingress.selector ?? {});
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
        copyRule('__meta_kubernetes_namespace', 'namespace'),
        copyRule('__meta_kubernetes_ingress_name', 'ingress'),
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
    addScrapeClassRules(list, scrapeClass);
    const own = ingress.relabelingConfigs ?? [];
    addOwnRelabelings(cg, list, ref, own, 'targets.ingress.relabelingConfigs');
  }
  addShardRules(cg, list, '__param_target');
  cfg.push('relabel_configs', list.rules);

  if (spec.bearerTokenSecret !== undefined)
    addBearerTokenSecret(cg, cfg, store, spec.bearerTokenSecret, 'bearer token');
  http.addBasicAuth(cg, cfg, store, spec.basicAuth);
  http.addOAuth2(cg, cfg, store, spec.oauth2);
  http.addAuthorization(cg, cfg, store, http.mergeAuthorization(spec.authorization, scrapeClass));
  addMetricRelabelings(cfg, scrapeClass, enforceNamespace(cg, ref, spec.metricRelabelings));
  return generatedJob(m, null, cfg, list);
}
