/**
 * ServiceMonitor, PodMonitor and Probe (monitoring.coreos.com/v1) and ScrapeConfig
 * (monitoring.coreos.com/v1alpha1) as zod/mini schemas with the CRD's JSON names
 * (prometheus-operator `pkg/apis/monitoring/v1/servicemonitor_types.go`, `podmonitor_types.go`,
 * `probe_types.go`, `v1alpha1/scrapeconfig_types.go`).
 */
import * as z from 'zod/mini';
import {
  attachMetadata,
  basicAuth,
  httpWithoutTlsShape,
  keySelector,
  labelSelector,
  namespaceSelector,
  oauth2,
  objectMeta,
  proxyShape,
  relabelConfig,
  safeAuthorization,
  safeTlsConfig,
  scrapeSettingsShape,
  tlsConfig,
} from './crd-common.ts';

const str = z.string();
const bool = z.boolean();
const intOrString = z.union([z.number().check(z.int()), str]);
const params = z.optional(z.record(str, z.array(str)));
const relabelings = z.optional(z.array(relabelConfig));

/** What the endpoints of ServiceMonitors and PodMonitors share. */
const endpointShape = {
  targetPort: z.optional(intOrString),
  path: z.optional(str),
  scheme: z.optional(z.enum(['http', 'https', 'HTTP', 'HTTPS'])),
  params,
  interval: z.optional(str),
  scrapeTimeout: z.optional(str),
  honorLabels: z.optional(bool),
  honorTimestamps: z.optional(bool),
  trackTimestampsStaleness: z.optional(bool),
  metricRelabelings: relabelings,
  relabelings,
  filterRunning: z.optional(bool),
  ...httpWithoutTlsShape,
  ...proxyShape,
};

/** A ServiceMonitor's `endpoints[]`. */
export const serviceMonitorEndpoint = z.strictObject({
  ...endpointShape,
  port: z.optional(str),
  bearerTokenFile: z.optional(str),
  tlsConfig: z.optional(tlsConfig),
});
export type ServiceMonitorEndpoint = z.output<typeof serviceMonitorEndpoint>;

const monitorShape = {
  jobLabel: z.optional(str),
  podTargetLabels: z.optional(z.array(str)),
  selector: labelSelector,
  selectorMechanism: z.optional(z.enum(['RelabelConfig', 'RoleSelector'])),
  namespaceSelector: z.optional(namespaceSelector),
  attachMetadata: z.optional(attachMetadata),
  bodySizeLimit: z.optional(str),
  ...scrapeSettingsShape,
};

export const serviceMonitorSpec = z.strictObject({
  ...monitorShape,
  targetLabels: z.optional(z.array(str)),
  endpoints: z.array(serviceMonitorEndpoint),
  serviceDiscoveryRole: z.optional(z.enum(['Endpoints', 'EndpointSlice'])),
});
export type ServiceMonitorSpec = z.output<typeof serviceMonitorSpec>;

/** A PodMonitor's `podMetricsEndpoints[]`. */
export const podMetricsEndpoint = z.strictObject({
  ...endpointShape,
  port: z.optional(str),
  portNumber: z.optional(z.number().check(z.int())),
  tlsConfig: z.optional(safeTlsConfig),
});
export type PodMetricsEndpoint = z.output<typeof podMetricsEndpoint>;

export const podMonitorSpec = z.strictObject({
  ...monitorShape,
  podMetricsEndpoints: z.array(podMetricsEndpoint),
});
export type PodMonitorSpec = z.output<typeof podMonitorSpec>;

export const probeSpec = z.strictObject({
  jobName: z.optional(str),
  prober: z.optional(
    z.strictObject({
      url: str,
      scheme: z.optional(z.enum(['http', 'https', 'HTTP', 'HTTPS'])),
      path: z.optional(str),
      ...proxyShape,
    }),
  ),
  module: z.optional(str),
  targets: z.optional(
    z.strictObject({
      staticConfig: z.optional(
        z.strictObject({
          static: z.optional(z.array(str)),
          labels: z.optional(z.record(str, str)),
          relabelingConfigs: relabelings,
        }),
      ),
      ingress: z.optional(
        z.strictObject({
          selector: z.optional(labelSelector),
          namespaceSelector: z.optional(namespaceSelector),
          relabelingConfigs: relabelings,
        }),
      ),
    }),
  ),
  interval: z.optional(str),
  scrapeTimeout: z.optional(str),
  metricRelabelings: relabelings,
  params: z.optional(z.array(z.strictObject({ name: str, values: z.optional(z.array(str)) }))),
  ...httpWithoutTlsShape,
  tlsConfig: z.optional(safeTlsConfig),
  ...scrapeSettingsShape,
});
export type ProbeSpec = z.output<typeof probeSpec>;

/** The service discoveries of a ScrapeConfig that scrape-check generates in full. */
const httpClientShape = {
  basicAuth: z.optional(basicAuth),
  authorization: z.optional(safeAuthorization),
  oauth2: z.optional(oauth2),
  ...proxyShape,
  tlsConfig: z.optional(safeTlsConfig),
  followRedirects: z.optional(bool),
  enableHTTP2: z.optional(bool),
};

export const kubernetesSdConfig = z.strictObject({
  apiServer: z.optional(str),
  role: z.enum([
    'Pod',
    'Endpoints',
    'EndpointSlice',
    'Ingress',
    'Node',
    'Service',
    'pod',
    'endpoints',
    'endpointslice',
    'ingress',
    'node',
    'service',
  ]),
  namespaces: z.optional(
    z.strictObject({ ownNamespace: z.optional(bool), names: z.optional(z.array(str)) }),
  ),
  attachMetadata: z.optional(attachMetadata),
  selectors: z.optional(
    z.array(
      z.strictObject({
        role: str,
        label: z.optional(str),
        field: z.optional(str),
      }),
    ),
  ),
  ...httpClientShape,
});
export type KubernetesSdConfig = z.output<typeof kubernetesSdConfig>;

/**
 * The ScrapeConfig CRD's other discoveries, by their CRD key and the Prometheus key they become:
 * scrape-check has none of them, so a job using one is listed as skipped, never silently gone.
 */
export const OTHER_DISCOVERIES = {
  consulSDConfigs: 'consul_sd_configs',
  dnsSDConfigs: 'dns_sd_configs',
  ec2SDConfigs: 'ec2_sd_configs',
  azureSDConfigs: 'azure_sd_configs',
  gceSDConfigs: 'gce_sd_configs',
  openstackSDConfigs: 'openstack_sd_configs',
  digitalOceanSDConfigs: 'digitalocean_sd_configs',
  kumaSDConfigs: 'kuma_sd_configs',
  eurekaSDConfigs: 'eureka_sd_configs',
  dockerSDConfigs: 'docker_sd_configs',
  linodeSDConfigs: 'linode_sd_configs',
  hetznerSDConfigs: 'hetzner_sd_configs',
  nomadSDConfigs: 'nomad_sd_configs',
  dockerSwarmSDConfigs: 'dockerswarm_sd_configs',
  puppetDBSDConfigs: 'puppetdb_sd_configs',
  lightSailSDConfigs: 'lightsail_sd_configs',
  ovhcloudSDConfigs: 'ovhcloud_sd_configs',
  scalewaySDConfigs: 'scaleway_sd_configs',
  ionosSDConfigs: 'ionos_sd_configs',
} as const;

export const scrapeConfigSpec = z.strictObject({
  jobName: z.optional(str),
  staticConfigs: z.optional(
    z.array(z.strictObject({ targets: z.array(str), labels: z.optional(z.record(str, str)) })),
  ),
  fileSDConfigs: z.optional(
    z.array(z.strictObject({ files: z.array(str), refreshInterval: z.optional(str) })),
  ),
  httpSDConfigs: z.optional(
    z.array(z.strictObject({ url: str, refreshInterval: z.optional(str), ...httpClientShape })),
  ),
  kubernetesSDConfigs: z.optional(z.array(kubernetesSdConfig)),
  ...Object.fromEntries(
    Object.keys(OTHER_DISCOVERIES).map((k) => [k, z.optional(z.array(z.unknown()))]),
  ),
  relabelings,
  metricRelabelings: relabelings,
  metricsPath: z.optional(str),
  scrapeInterval: z.optional(str),
  scrapeTimeout: z.optional(str),
  honorTimestamps: z.optional(bool),
  trackTimestampsStaleness: z.optional(bool),
  honorLabels: z.optional(bool),
  params,
  scheme: z.optional(z.enum(['http', 'https', 'HTTP', 'HTTPS'])),
  enableCompression: z.optional(bool),
  enableHTTP2: z.optional(bool),
  basicAuth: z.optional(basicAuth),
  authorization: z.optional(safeAuthorization),
  oauth2: z.optional(oauth2),
  tlsConfig: z.optional(safeTlsConfig),
  bodySizeLimit: z.optional(str),
  nameValidationScheme: z.optional(str),
  nameEscapingScheme: z.optional(str),
  ...proxyShape,
  ...scrapeSettingsShape,
});
export type ScrapeConfigSpec = z.output<typeof scrapeConfigSpec> & {
  [K in keyof typeof OTHER_DISCOVERIES]?: unknown[] | undefined;
};

/** The kinds, their API groups and versions, and their spec schemas. */
export const MONITOR_KINDS = {
  ServiceMonitor: { versions: ['monitoring.coreos.com/v1'], spec: serviceMonitorSpec },
  PodMonitor: { versions: ['monitoring.coreos.com/v1'], spec: podMonitorSpec },
  Probe: { versions: ['monitoring.coreos.com/v1'], spec: probeSpec },
  ScrapeConfig: {
    versions: ['monitoring.coreos.com/v1alpha1', 'monitoring.coreos.com/v1'],
    spec: scrapeConfigSpec,
  },
} as const;
export type MonitorKind = keyof typeof MONITOR_KINDS;

export { keySelector, objectMeta };

interface Meta {
  name: string;
  namespace: string;
  labels: Record<string, string>;
}

/** A monitor as the operator holds it: kind, metadata (namespace defaulted) and typed spec. */
export type Monitor =
  | { kind: 'ServiceMonitor'; metadata: Meta; spec: ServiceMonitorSpec; source: string }
  | { kind: 'PodMonitor'; metadata: Meta; spec: PodMonitorSpec; source: string }
  | { kind: 'Probe'; metadata: Meta; spec: ProbeSpec; source: string }
  | { kind: 'ScrapeConfig'; metadata: Meta; spec: ScrapeConfigSpec; source: string };

/** `ServiceMonitor monitoring/kps-apiserver`. */
export function describeMonitor(m: Pick<Monitor, 'kind' | 'metadata'>): string {
  return `${m.kind} ${m.metadata.namespace}/${m.metadata.name}`;
}
