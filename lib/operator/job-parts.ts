/**
 * The pieces the four job generators (ServiceMonitor, PodMonitor, Probe, ScrapeConfig) write
 * alike, as prometheus-operator's `pkg/prometheus/promcfg.go` repeats them in each
 * `generate*Config`: the job's start, the relabel rules they build by hand, the monitor's own rules
 * with the enforced namespace, and how ServiceMonitor and PodMonitor jobs start and end (the same
 * but for their discovery role and port rules). The order of every key and rule is the operator's.
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
import type { KeySelector, LabelSelector, RelabelConfig } from './crd-common.ts';
import type { Monitor, PodMetricsEndpoint, ServiceMonitorEndpoint } from './crd-monitors.ts';
import type { ScrapeClass } from './crd-prometheus.ts';
import { generatedJob, jobName, RuleList, type GeneratedJob } from './generated.ts';
import type { ConfigGenerator } from './generator.ts';
import { relabelSection } from './http-config.ts';
import { MapSlice } from './map-slice.ts';
import type { AssetGetter } from './store.ts';
import {
  addBodySizeLimit,
  addHonorLabels,
  addHonorTimestamps,
  addLimitsAndProtocols,
  addMetricRelabelings,
  addTrackTimestampsStaleness,
} from './settings.ts';

/** What every generator starts from: a config named for the job, and the object's context. */
export interface JobStart {
  ns: string;
  scrapeClass: ScrapeClass | null;
  /** The Secrets and ConfigMaps of the object's namespace. */
  store: AssetGetter;
  /** The job's scrape config, `job_name` written. */
  cfg: MapSlice;
}

/** Starts the job of `m` (at `endpoint` for ServiceMonitors and PodMonitors, else null). */
export function startJob(cg: ConfigGenerator, m: Monitor, endpoint: number | null): JobStart {
  const ns = m.metadata.namespace;
  return {
    ns,
    scrapeClass: cg.scrapeClass(m.spec.scrapeClass),
    store: cg.store.forNamespace(ns),
    cfg: new MapSlice([['job_name', jobName(m, endpoint)]]),
  };
}

/** A job's rules, starting with the operator's job-name rules (`initRelabelings`). */
export function startRules(): RuleList {
  return new RuleList().add(initRelabelings(), () => ({ kind: 'job-name' }));
}

/** Appends the scrape class's relabelings. */
export function addScrapeClassRules(list: RuleList, scrapeClass: ScrapeClass | null): void {
  list.add(relabelSection(scrapeClass?.relabelings), () => ({ kind: 'scrape-class' }));
}

/** Appends the sharding rules, hashing `label` (`__address__`, or a Probe's `__param_target`). */
export function addShardRules(cg: ConfigGenerator, list: RuleList, label: string): void {
  list.add(shardingRelabelings(cg.shards(), label), () => ({ kind: 'shard' }));
}

/** A rule that copies `source` into `target`. */
export function copyRule(source: string, target: string): MapSlice {
  return new MapSlice([
    ['source_labels', [source]],
    ['target_label', target],
  ]);
}

/** A rule that sets `target` to a fixed `replacement`. */
export function setRule(target: string, replacement: string): MapSlice {
  return new MapSlice([
    ['target_label', target],
    ['replacement', replacement],
  ]);
}

/** A rule that keeps the targets whose `label` matches `regex`. */
export function keepRule(label: string, regex: string | number): MapSlice {
  return new MapSlice([
    ['action', 'keep'],
    ['source_labels', [label]],
    ['regex', regex],
  ]);
}

/**
 * A rule that copies a Service's or pod's Kubernetes label into a target label when it is set
 * (`targetLabels`, `podTargetLabels`, `jobLabel`); `target` is the sanitized label name unless given.
 */
export function objectLabelRule(
  object: 'service' | 'pod',
  label: string,
  target: string = sanitizeLabelName(label),
): MapSlice {
  return new MapSlice([
    ['source_labels', [`__meta_kubernetes_${object}_label_${sanitizeLabelName(label)}`]],
    ['target_label', target],
    ['regex', '(.+)'],
    ['replacement', '${1}'],
  ]);
}

/** Appends the monitor's selector as keep/drop rules on the `object`'s labels. */
export function addSelectorRules(
  list: RuleList,
  object: 'service' | 'pod' | 'ingress',
  selector: LabelSelector,
): void {
  const rules = selectorRelabelings(object, selector);
  list.add(
    rules.map((r) => r.rule),
    (j) => ({ kind: 'selector', object, requirement: rules[j]!.requirement }),
  );
}

/** The monitor an object's rules belong to, as `enforceNamespace` matches exclusions. */
export interface MonitorRef {
  resource: string;
  namespace: string;
  name: string;
}

/**
 * Appends the monitor's own relabel rules, then the enforced namespace label; `where` is the
 * rules' key path (`endpoints[0].relabelings`), each rule's index appended.
 */
export function addOwnRelabelings(
  cg: ConfigGenerator,
  list: RuleList,
  ref: MonitorRef,
  own: readonly RelabelConfig[],
  where: string,
): void {
  list.add(relabelSection(enforceNamespace(cg, ref, own)), (j) =>
    j < own.length ? { kind: 'user', where: `${where}[${j}]` } : { kind: 'enforced-namespace' },
  );
}

/** What ServiceMonitor and PodMonitor endpoints share. */
type Endpoint = PodMetricsEndpoint | ServiceMonitorEndpoint;
type EndpointMonitor = Extract<Monitor, { kind: 'ServiceMonitor' | 'PodMonitor' }>;

/** An endpoint's honor_labels, honor_timestamps and track_timestamps_staleness. */
function addEndpointHonor(cg: ConfigGenerator, cfg: MapSlice, ep: Endpoint): void {
  addHonorLabels(cg, cfg, ep.honorLabels ?? false);
  addHonorTimestamps(cg, cfg, ep.honorTimestamps);
  addTrackTimestampsStaleness(cg, cfg, ep.trackTimestampsStaleness);
}

/** An endpoint's interval, timeout, path, params and scheme, then redirects and HTTP/2. */
function addEndpointScrape(cg: ConfigGenerator, cfg: MapSlice, ep: Endpoint): void {
  if ((ep.interval ?? '') !== '') cfg.push('scrape_interval', ep.interval!);
  if ((ep.scrapeTimeout ?? '') !== '') cfg.push('scrape_timeout', ep.scrapeTimeout!);
  if ((ep.path ?? '') !== '') cfg.push('metrics_path', ep.path!);
  if (ep.params !== undefined) cfg.push('params', { ...ep.params });
  if (ep.scheme !== undefined) cfg.push('scheme', ep.scheme.toLowerCase());
  // addHTTPConfigToYAML: redirects, then HTTP/2.
  if (ep.followRedirects !== undefined)
    cg.append(cfg, 'follow_redirects', ep.followRedirects, '2.26.0');
  if (ep.enableHttp2 !== undefined) cg.append(cfg, 'enable_http2', ep.enableHttp2, '2.35.0');
}

/** How an endpoint's targets are discovered. */
export interface EndpointDiscovery {
  /** The Kubernetes discovery role (`pod`, `endpoints`, `endpointslice`). */
  role: string;
  /** The roles the monitor's selector goes on under `selectorMechanism: RoleSelector`. */
  selectorRoles: string[];
  /** The first Prometheus version with `attach_metadata` for the role. */
  attachMetadataSince: string;
}

/**
 * How ServiceMonitor and PodMonitor jobs start alike: the honor settings, Kubernetes discovery in
 * the selected namespaces, then the endpoint's scrape settings. `roleSelector` says the monitor's
 * selector went into discovery, so no selector relabel rules follow.
 */
export function startEndpointJob(
  cg: ConfigGenerator,
  m: EndpointMonitor,
  ep: Endpoint,
  i: number,
  d: EndpointDiscovery,
): JobStart & { roleSelector: boolean } {
  const spec = m.spec;
  const job = startJob(cg, m, i);
  const { ns, scrapeClass, store, cfg } = job;
  addEndpointHonor(cg, cfg, ep);
  const roleSelector = spec.selectorMechanism === 'RoleSelector';
  const attachMetadata = attachMetadataOf(
    spec.attachMetadata,
    scrapeClass?.attachMetadata,
    d.attachMetadataSince,
  );
  cfg.push(
    'kubernetes_sd_configs',
    kubernetesSdConfigs(cg, {
      namespaceSelector: spec.namespaceSelector,
      namespace: ns,
      store,
      role: d.role,
      attachMetadata,
      roleSelector: roleSelector ? { roles: d.selectorRoles, selector: spec.selector } : null,
    }),
  );
  addEndpointScrape(cg, cfg, ep);
  return { ...job, roleSelector };
}

/** Keeps only running pods, unless the endpoint says `filterRunning: false`. */
export function addPhaseFilter(list: RuleList, ep: Endpoint): void {
  if (ep.filterRunning ?? true) list.add([runningFilter()], () => ({ kind: 'phase' }));
}

/** The `endpoint` label: the port's name, else the target port, else none. */
function addEndpointLabel(list: RuleList, ep: Endpoint): void {
  const port = ep.port ?? '';
  const target = ep.targetPort;
  const name =
    port !== '' ? port : target !== undefined && String(target) !== '' ? String(target) : null;
  if (name !== null) list.add([setRule('endpoint', name)], () => ({ kind: 'labels' }));
}

/** `bearer_token` read from a Secret key; `what` names the reference in the warning when it fails. */
export function addBearerTokenSecret(
  cg: ConfigGenerator,
  cfg: MapSlice,
  store: AssetGetter,
  sel: KeySelector,
  what: string,
): void {
  const got = store.secretKey(sel);
  if (!got.ok) cg.warn(`invalid ${what} reference: ${got.error}`);
  else cfg.push('bearer_token', got.value);
}

/** The pod labels copied onto every target (`podTargetLabels`, the monitor's then the resource's). */
export function addPodTargetLabels(
  cg: ConfigGenerator,
  list: RuleList,
  own: readonly string[] | undefined,
): void {
  list.add(
    [...(own ?? []), ...(cg.cpf.podTargetLabels ?? [])].map((l) => objectLabelRule('pod', l)),
    () => ({ kind: 'labels' }),
  );
}

/**
 * How ServiceMonitor and PodMonitor jobs end alike: the `endpoint` label, the scrape class's and
 * the endpoint's own relabelings, sharding on the address, then the limits, protocols, body size
 * and metric relabelings.
 */
export function finishEndpointJob(
  cg: ConfigGenerator,
  m: EndpointMonitor,
  ep: Endpoint,
  i: number,
  { ns, scrapeClass, cfg }: JobStart,
  list: RuleList,
): GeneratedJob {
  addEndpointLabel(list, ep);
  addScrapeClassRules(list, scrapeClass);
  const pod = m.kind === 'PodMonitor';
  const ref = {
    resource: pod ? 'podmonitors' : 'servicemonitors',
    namespace: ns,
    name: m.metadata.name,
  };
  const where = `${pod ? 'podMetricsEndpoints' : 'endpoints'}[${i}].relabelings`;
  addOwnRelabelings(cg, list, ref, ep.relabelings ?? [], where);
  addShardRules(cg, list, '__address__');
  cfg.push('relabel_configs', list.rules);

  addLimitsAndProtocols(cg, cfg, m.spec, scrapeClass);
  addBodySizeLimit(cg, cfg, m.spec.bodySizeLimit);
  addMetricRelabelings(cfg, scrapeClass, enforceNamespace(cg, ref, ep.metricRelabelings));
  return generatedJob(m, i, cfg, list);
}
