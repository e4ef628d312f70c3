/**
 * The pieces every Prometheus Operator custom resource shares (monitoring.coreos.com/v1
 * `pkg/apis/monitoring/v1/types.go`, `http_config.go`, `tls_types.go`), as zod/mini schemas whose
 * keys are the CRD's JSON names. Objects are strict: a field the CRD does not have is reported
 * (the API server's strict field validation refuses it) rather than silently dropped.
 */
import * as z from 'zod/mini';

const str = z.string();
const bool = z.boolean();
const int = z.number().check(z.int());

/** `corev1.SecretKeySelector` / `ConfigMapKeySelector`: a key of an object in the monitor's namespace. */
export const keySelector = z.strictObject({
  name: z._default(str, ''),
  key: str,
  optional: z.optional(bool),
});
export type KeySelector = z.output<typeof keySelector>;

/** `SecretOrConfigMap`. */
export const secretOrConfigMap = z.strictObject({
  secret: z.optional(keySelector),
  configMap: z.optional(keySelector),
});
export type SecretOrConfigMap = z.output<typeof secretOrConfigMap>;

const TLS_VERSIONS = ['TLS10', 'TLS11', 'TLS12', 'TLS13'] as const;

/** `SafeTLSConfig`: TLS material from Secrets and ConfigMaps only. */
export const safeTlsShape = {
  ca: z.optional(secretOrConfigMap),
  cert: z.optional(secretOrConfigMap),
  keySecret: z.optional(keySelector),
  serverName: z.optional(str),
  insecureSkipVerify: z.optional(bool),
  minVersion: z.optional(z.enum(TLS_VERSIONS)),
  maxVersion: z.optional(z.enum(TLS_VERSIONS)),
};
export const safeTlsConfig = z.strictObject(safeTlsShape);
export type SafeTlsConfig = z.output<typeof safeTlsConfig>;

/** `TLSConfig`: a SafeTLSConfig, or files in the Prometheus pod. */
export const tlsConfig = z.strictObject({
  ...safeTlsShape,
  caFile: z.optional(str),
  certFile: z.optional(str),
  keyFile: z.optional(str),
});
export type TlsConfig = z.output<typeof tlsConfig>;

/** `SafeAuthorization`. */
const safeAuthorizationShape = {
  type: z.optional(str),
  credentials: z.optional(keySelector),
};
export const safeAuthorization = z.strictObject(safeAuthorizationShape);
export type SafeAuthorization = z.output<typeof safeAuthorization>;

/** `Authorization` (scrape classes, apiserverConfig): may read a file. */
export const authorization = z.strictObject({
  ...safeAuthorizationShape,
  credentialsFile: z.optional(str),
});
export type Authorization = z.output<typeof authorization>;

/** `BasicAuth`. */
export const basicAuth = z.strictObject({
  username: z.optional(keySelector),
  password: z.optional(keySelector),
});
export type BasicAuth = z.output<typeof basicAuth>;

/** `ProxyConfig`, spread inline into its parents. */
export const proxyShape = {
  proxyUrl: z.optional(str),
  noProxy: z.optional(str),
  proxyFromEnvironment: z.optional(bool),
  proxyConnectHeader: z.optional(z.record(str, z.array(keySelector))),
};
export interface ProxyConfig {
  proxyUrl?: string | undefined;
  noProxy?: string | undefined;
  proxyFromEnvironment?: boolean | undefined;
  proxyConnectHeader?: Record<string, KeySelector[]> | undefined;
}

/** `OAuth2`. */
export const oauth2 = z.strictObject({
  clientId: secretOrConfigMap,
  clientSecret: keySelector,
  tokenUrl: str,
  scopes: z.optional(z.array(str)),
  endpointParams: z.optional(z.record(str, str)),
  tlsConfig: z.optional(safeTlsConfig),
  ...proxyShape,
});
export type OAuth2 = z.output<typeof oauth2>;

/** `HTTPConfigWithoutTLS`, spread inline. */
export const httpWithoutTlsShape = {
  authorization: z.optional(safeAuthorization),
  basicAuth: z.optional(basicAuth),
  oauth2: z.optional(oauth2),
  bearerTokenSecret: z.optional(keySelector),
  followRedirects: z.optional(bool),
  enableHttp2: z.optional(bool),
};

/** `RelabelConfig`, as the CRD spells it (camelCase). */
export const relabelConfig = z.strictObject({
  sourceLabels: z.optional(z.array(str)),
  separator: z.optional(str),
  targetLabel: z.optional(str),
  regex: z.optional(str),
  modulus: z.optional(int),
  replacement: z.optional(str),
  action: z.optional(str),
});
export type RelabelConfig = z.output<typeof relabelConfig>;

/** `metav1.LabelSelector`. */
export const labelSelector = z.strictObject({
  matchLabels: z.optional(z.record(str, str)),
  matchExpressions: z.optional(
    z.array(
      z.strictObject({
        key: str,
        operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
        values: z.optional(z.array(str)),
      }),
    ),
  ),
});
export type LabelSelector = z.output<typeof labelSelector>;

/** `NamespaceSelector`: `any`, or names; neither means the monitor's own namespace. */
export const namespaceSelector = z.strictObject({
  any: z.optional(bool),
  matchNames: z.optional(z.array(str)),
});
export type NamespaceSelector = z.output<typeof namespaceSelector>;

export const attachMetadata = z.strictObject({ node: z.optional(bool) });
export type AttachMetadata = z.output<typeof attachMetadata>;

/** A Kubernetes `resource.Quantity` as YAML gives it. */
const quantity = z.union([z.number(), z.string()]);

/** The limits, protocols and histogram settings every monitor kind has. */
export const scrapeSettingsShape = {
  sampleLimit: z.optional(int),
  targetLimit: z.optional(int),
  labelLimit: z.optional(int),
  labelNameLengthLimit: z.optional(int),
  labelValueLengthLimit: z.optional(int),
  keepDroppedTargets: z.optional(int),
  scrapeProtocols: z.optional(z.array(str)),
  fallbackScrapeProtocol: z.optional(str),
  scrapeNativeHistograms: z.optional(bool),
  scrapeClassicHistograms: z.optional(bool),
  nativeHistogramBucketLimit: z.optional(int),
  nativeHistogramMinBucketFactor: z.optional(quantity),
  convertClassicHistogramsToNHCB: z.optional(bool),
  scrapeClass: z.optional(str),
};

/** What every monitor kind's settings hold, typed for the generator. */
export interface ScrapeSettings {
  sampleLimit?: number | undefined;
  targetLimit?: number | undefined;
  labelLimit?: number | undefined;
  labelNameLengthLimit?: number | undefined;
  labelValueLengthLimit?: number | undefined;
  keepDroppedTargets?: number | undefined;
  scrapeProtocols?: string[] | undefined;
  fallbackScrapeProtocol?: string | undefined;
  scrapeNativeHistograms?: boolean | undefined;
  scrapeClassicHistograms?: boolean | undefined;
  nativeHistogramBucketLimit?: number | undefined;
  nativeHistogramMinBucketFactor?: number | string | undefined;
  convertClassicHistogramsToNHCB?: boolean | undefined;
  scrapeClass?: string | undefined;
}

/** `metadata`, the part the operator reads. */
export const objectMeta = z.looseObject({
  name: z.string().check(z.minLength(1, 'metadata.name must not be empty')),
  namespace: z.optional(str),
  labels: z.optional(z.record(str, str)),
  annotations: z.optional(z.record(str, str)),
});
