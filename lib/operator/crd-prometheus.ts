/**
 * The part of a Prometheus (or PrometheusAgent) resource that decides which monitors it selects
 * and how the operator turns them into scrape configs (prometheus-operator
 * `pkg/apis/monitoring/v1/prometheus_types.go`, `CommonPrometheusFields`). The spec is a loose
 * object: its many other fields (storage, resources, alerting…) change nothing scrape-check checks.
 */
import * as z from 'zod/mini';
import {
  attachMetadata,
  authorization,
  basicAuth,
  labelSelector,
  objectMeta,
  proxyShape,
  relabelConfig,
  tlsConfig,
} from './crd-common.ts';

const str = z.string();
const bool = z.boolean();
const int = z.number().check(z.int());

/** `ScrapeClass`: settings a monitor opts into by name, or every monitor when `default`. */
export const scrapeClass = z.strictObject({
  name: z.string().check(z.minLength(1)),
  default: z.optional(bool),
  fallbackScrapeProtocol: z.optional(str),
  tlsConfig: z.optional(tlsConfig),
  authorization: z.optional(authorization),
  relabelings: z.optional(z.array(relabelConfig)),
  metricRelabelings: z.optional(z.array(relabelConfig)),
  attachMetadata: z.optional(attachMetadata),
});
export type ScrapeClass = z.output<typeof scrapeClass>;

/** `APIServerConfig`: discovery through another API server than the in-cluster one. */
export const apiServerConfig = z.strictObject({
  host: str,
  basicAuth: z.optional(basicAuth),
  bearerTokenFile: z.optional(str),
  bearerToken: z.optional(str),
  tlsConfig: z.optional(tlsConfig),
  authorization: z.optional(authorization),
  ...proxyShape,
});
export type ApiServerConfig = z.output<typeof apiServerConfig>;

const selector = z.optional(z.nullable(labelSelector));

export const prometheusSpec = z.looseObject({
  version: z.optional(str),
  shards: z.optional(int),
  scrapeInterval: z.optional(str),
  scrapeTimeout: z.optional(str),
  scrapeProtocols: z.optional(z.array(str)),
  serviceAccountName: z.optional(str),
  serviceMonitorSelector: selector,
  serviceMonitorNamespaceSelector: selector,
  podMonitorSelector: selector,
  podMonitorNamespaceSelector: selector,
  probeSelector: selector,
  probeNamespaceSelector: selector,
  scrapeConfigSelector: selector,
  scrapeConfigNamespaceSelector: selector,
  apiserverConfig: z.optional(apiServerConfig),
  arbitraryFSAccessThroughSMs: z.optional(z.looseObject({ deny: z.optional(bool) })),
  overrideHonorLabels: z.optional(bool),
  overrideHonorTimestamps: z.optional(bool),
  ignoreNamespaceSelectors: z.optional(bool),
  enforcedNamespaceLabel: z.optional(str),
  excludedFromEnforcement: z.optional(
    z.array(
      z.looseObject({
        group: z.optional(str),
        resource: str,
        namespace: str,
        name: z.optional(str),
      }),
    ),
  ),
  sampleLimit: z.optional(int),
  labelLimit: z.optional(int),
  labelNameLengthLimit: z.optional(int),
  labelValueLengthLimit: z.optional(int),
  bodySizeLimit: z.optional(str),
  enforcedSampleLimit: z.optional(int),
  enforcedTargetLimit: z.optional(int),
  enforcedLabelLimit: z.optional(int),
  enforcedLabelNameLengthLimit: z.optional(int),
  enforcedLabelValueLengthLimit: z.optional(int),
  enforcedKeepDroppedTargets: z.optional(int),
  enforcedBodySizeLimit: z.optional(str),
  podTargetLabels: z.optional(z.array(str)),
  scrapeClasses: z.optional(z.array(scrapeClass)),
  serviceDiscoveryRole: z.optional(z.enum(['Endpoints', 'EndpointSlice'])),
});
export type PrometheusSpec = z.output<typeof prometheusSpec>;

export const prometheusResource = z.looseObject({
  apiVersion: z.enum(['monitoring.coreos.com/v1', 'monitoring.coreos.com/v1alpha1']),
  kind: z.enum(['Prometheus', 'PrometheusAgent']),
  metadata: objectMeta,
  spec: z._default(prometheusSpec, {}),
});

/** A Prometheus resource, namespace defaulted. */
export interface PrometheusResource {
  kind: 'Prometheus' | 'PrometheusAgent';
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  spec: PrometheusSpec;
  source: string;
}

/**
 * The resource the operator's tests call `defaultPrometheus()` minus its selectors: what
 * generation assumes when no Prometheus resource is given (every monitor selected).
 */
export function implicitPrometheus(version: string): PrometheusResource {
  return {
    kind: 'Prometheus',
    metadata: { name: '(none)', namespace: 'default', labels: {} },
    spec: { version, scrapeInterval: '30s' },
    source: '(no operator.prometheus: every monitor is selected)',
  };
}
