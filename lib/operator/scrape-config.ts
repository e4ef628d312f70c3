/**
 * A ScrapeConfig → one scrape job, as prometheus-operator's `generateScrapeConfig`
 * (`pkg/prometheus/promcfg.go`) builds it: the settings and HTTP client, `static_configs`,
 * `file_sd_configs`, `http_sd_configs` and `kubernetes_sd_configs` written out in full; the other
 * discoveries (Consul, DNS, EC2…) are discoveries scrape-check lacks, so the job keeps their key
 * and is listed as skipped. Sharding rules are added only with several shards, and only when the
 * user's rules have no hashmod of their own.
 */
import { enforceNamespace, shardingRelabelings } from './chain.ts';
import { OTHER_DISCOVERIES, type Monitor } from './crd-monitors.ts';
import { generatedJob, type GeneratedJob } from './generated.ts';
import type { ConfigGenerator } from './generator.ts';
import * as http from './http-config.ts';
import { addOwnRelabelings, addScrapeClassRules, startJob, startRules } from './job-parts.ts';
import { MapSlice, sortedMap } from './map-slice.ts';
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

type ScrapeConfigMonitor = Extract<Monitor, { kind: 'ScrapeConfig' }>;

const ESCAPING: Record<string, string> = {
  AllowUTF8: 'allow-utf-8',
  Underscores: 'underscores',
  Dots: 'dots',
  Values: 'values',
};

/** Generates the ScrapeConfig's job. */
export function generateScrapeConfigJob(
  cg: ConfigGenerator,
  sc: ScrapeConfigMonitor,
): GeneratedJob {
  const spec = sc.spec;
  const { ns, scrapeClass, store: s, cfg } = startJob(cg, sc, null);
  const list = startRules();
  addScrapeClassRules(list, scrapeClass);
  if (spec.jobName !== undefined)
    list.add(
      [
        new MapSlice([
          ['target_label', 'job'],
          ['action', 'replace'],
          ['replacement', spec.jobName],
        ]),
      ],
      () => ({ kind: 'labels' }),
    );
  if (spec.honorTimestamps !== undefined) addHonorTimestamps(cg, cfg, spec.honorTimestamps);
  if (spec.trackTimestampsStaleness !== undefined)
    addTrackTimestampsStaleness(cg, cfg, spec.trackTimestampsStaleness);
  if (spec.honorLabels !== undefined) addHonorLabels(cg, cfg, spec.honorLabels);
  if (spec.metricsPath !== undefined) cfg.push('metrics_path', spec.metricsPath);
  if (Object.keys(spec.params ?? {}).length > 0) cfg.push('params', sortedMap(spec.params!));
  if (spec.enableCompression !== undefined)
    cg.append(cfg, 'enable_compression', spec.enableCompression, '2.49.0');
  if (spec.enableHTTP2 !== undefined) cg.append(cfg, 'enable_http2', spec.enableHTTP2, '2.35.0');
  if (spec.scrapeInterval !== undefined) cfg.push('scrape_interval', spec.scrapeInterval);
  if (spec.scrapeTimeout !== undefined) cfg.push('scrape_timeout', spec.scrapeTimeout);
  addScrapeProtocols(cg, cfg, spec.scrapeProtocols);
  addFallbackScrapeProtocol(cg, cfg, spec.fallbackScrapeProtocol, scrapeClass);
  if (spec.scheme !== undefined) cfg.push('scheme', spec.scheme.toLowerCase());
  http.addProxyConfig(cg, cfg, s, spec);
  http.addBasicAuth(cg, cfg, s, spec.basicAuth);
  http.addAuthorization(cg, cfg, s, http.mergeAuthorization(spec.authorization, scrapeClass));
  http.addOAuth2(cg, cfg, s, spec.oauth2);
  http.addTls(cg, cfg, s, http.mergeSafeTls(spec.tlsConfig, scrapeClass));
  addLimits(cg, cfg, spec);
  addNativeHistogramConfig(cg, cfg, spec);
  addBodySizeLimit(cg, cfg, spec.bodySizeLimit);

  if ((spec.staticConfigs ?? []).length > 0)
    cfg.push(
      'static_configs',
      spec.staticConfigs!.map(
        (c) =>
          new MapSlice([
            ['targets', [...c.targets]],
            ['labels', { ...c.labels }],
          ]),
      ),
    );
  if ((spec.fileSDConfigs ?? []).length > 0)
    cfg.push(
      'file_sd_configs',
      spec.fileSDConfigs!.map((c) => {
        const m = new MapSlice([['files', [...c.files]]]);
        if (c.refreshInterval !== undefined) m.push('refresh_interval', c.refreshInterval);
        return m;
      }),
    );
  if ((spec.httpSDConfigs ?? []).length > 0)
    cfg.push(
      'http_sd_configs',
      spec.httpSDConfigs!.map((c) => {
        const m = new MapSlice();
        http.addBasicAuth(cg, m, s, c.basicAuth);
        http.addSafeAuthorization(cg, m, s, c.authorization);
        http.addSafeTls(cg, m, s, c.tlsConfig);
        http.addProxyConfig(cg, m, s, c);
        http.addOAuth2(cg, m, s, c.oauth2);
        m.push('url', c.url);
        if (c.refreshInterval !== undefined) m.push('refresh_interval', c.refreshInterval);
        if (c.followRedirects !== undefined) m.push('follow_redirects', c.followRedirects);
        if (c.enableHTTP2 !== undefined) m.push('enable_http2', c.enableHTTP2);
        return m;
      }),
    );
  if ((spec.kubernetesSDConfigs ?? []).length > 0)
    cfg.push(
      'kubernetes_sd_configs',
      spec.kubernetesSDConfigs!.map((c) => {
        const m = new MapSlice();
        if (c.apiServer !== undefined) m.push('api_server', c.apiServer);
        const role = c.role.toLowerCase();
        cg.append(m, 'role', role, role === 'endpointslice' ? '2.21.0' : undefined);
        http.addBasicAuth(cg, m, s, c.basicAuth);
        http.addSafeAuthorization(cg, m, s, c.authorization);
        http.addOAuth2(cg, m, s, c.oauth2);
        http.addProxyConfig(cg, m, s, c);
        if (c.followRedirects !== undefined) m.push('follow_redirects', c.followRedirects);
        if (c.enableHTTP2 !== undefined) m.push('enable_http2', c.enableHTTP2);
        http.addSafeTls(cg, m, s, c.tlsConfig);
        if (c.namespaces !== undefined) {
          const names = new MapSlice([['names', [...(c.namespaces.names ?? [])]]]);
          if (c.namespaces.ownNamespace !== undefined)
            names.push('own_namespace', c.namespaces.ownNamespace);
          m.push('namespaces', names);
        }
        if ((c.selectors ?? []).length > 0) {
          const selectors = c.selectors!.map((sel) => {
            const x = new MapSlice([['role', sel.role.toLowerCase()]]);
            if (sel.label !== undefined) x.push('label', sel.label);
            if (sel.field !== undefined) x.push('field', sel.field);
            return x;
          });
          cg.append(m, 'selectors', selectors, '2.17.0');
        }
        if (c.attachMetadata !== undefined) {
          const meta = new MapSlice();
          if (c.attachMetadata.node !== undefined) meta.push('node', c.attachMetadata.node);
          if (role === 'pod') cg.append(m, 'attach_metadata', meta, '2.35.0');
          else if (role === 'endpoints' || role === 'endpointslice')
            cg.append(m, 'attach_metadata', meta, '2.37.0');
          else cg.warn(`ignoring attachMetadata not supported by Prometheus for role: ${c.role}`);
        }
        return m;
      }),
    );
  const lacking: string[] = [];
  for (const [crdKey, promKey] of Object.entries(OTHER_DISCOVERIES)) {
    if ((spec[crdKey as keyof typeof OTHER_DISCOVERIES] ?? []).length > 0) lacking.push(promKey);
  }

  const ref = { resource: 'scrapeconfigs', namespace: ns, name: sc.metadata.name };
  const own = spec.relabelings ?? [];
  if (own.length > 0) addOwnRelabelings(cg, list, ref, own, 'relabelings');
  const shards = cg.shards();
  const hasHashmod = list.rules.some((r) => r.get('action') === 'hashmod');
  if (shards !== 1 && !hasHashmod)
    list.add(shardingRelabelings(shards, '__address__'), () => ({ kind: 'shard' }));
  cfg.push('relabel_configs', list.rules);
  addMetricRelabelings(cfg, scrapeClass, enforceNamespace(cg, ref, spec.metricRelabelings));
  if (spec.nameValidationScheme !== undefined)
    cg.append(
      cfg,
      'metric_name_validation_scheme',
      spec.nameValidationScheme.toLowerCase(),
      '3.0.0',
    );
  const escaping =
    spec.nameEscapingScheme === undefined ? undefined : ESCAPING[spec.nameEscapingScheme];
  if (escaping !== undefined) cg.append(cfg, 'metric_name_escaping_scheme', escaping, '3.4.0');
  return generatedJob(sc, null, cfg, list, lacking);
}
