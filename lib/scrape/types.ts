/**
 * What one scrape needs, fully resolved: the planner (static jobs, cluster presets) builds these,
 * the scraper consumes them. A scrape receives token values and TLS material, never the machinery
 * that minted them (EKS, kubeconfig, TokenRequest stay behind lib/targets and lib/credentials).
 */
import type { NameValidationScheme, RelabelRule } from '#lib/relabel/index.ts';
import type { TokenInfo } from '#lib/result/types.ts';

/** How scraped samples are labelled before the limits (scrape/scrape.go mutateSampleLabels). */
export interface SampleRules {
  honorLabels: boolean;
  metricRelabel: readonly RelabelRule[];
  version: '2' | '3';
  /**
   * Which names a stored sample may have: the request's `nameValidation`, set by the scrape;
   * absent, the version's default (2: legacy, 3: utf8).
   */
  nameValidation?: NameValidationScheme | undefined;
}

/** Prometheus 3's `metric_name_escaping_scheme`: how a target is asked to write UTF-8 names. */
export type NameEscapingScheme = 'allow-utf-8' | 'underscores' | 'dots' | 'values';

/** TLS settings as Prometheus's `tls_config` has them. Files are read at check time. */
export interface TlsSettings {
  caFile?: string;
  /** Inline PEM (`tls_config.ca`, or a cluster CA from EKS/kubeconfig). */
  ca?: string;
  certFile?: string;
  cert?: string;
  keyFile?: string;
  /** Inline PEM key: a secret, never printed. */
  key?: string;
  serverName?: string;
  insecureSkipVerify?: boolean;
  minVersion?: 'TLS10' | 'TLS11' | 'TLS12' | 'TLS13';
  maxVersion?: 'TLS10' | 'TLS11' | 'TLS12' | 'TLS13';
}

/**
 * `oauth2`: the client-credentials grant, with its own TLS and proxy (prometheus/common
 * `config/http_config.go`, `OAuth2`). Files are read at check time (rotation).
 */
export interface OAuth2Settings {
  clientId: string;
  /** A secret: never printed. */
  clientSecret?: string;
  clientSecretFile?: string;
  /** `client_secret_ref` (Prometheus 3): a secret manager's name, which Prometheus has none to resolve. */
  clientSecretRef?: string;
  scopes: string[];
  tokenUrl: string;
  endpointParams: Record<string, string>;
  /**
   * `grant_type` (Prometheus 3): `client_credentials` (the default) or RFC 7523's
   * `urn:ietf:params:oauth:grant-type:jwt-bearer`, which scrape-check does not implement.
   */
  grantType?: string;
  tls: TlsSettings;
  proxy: ProxySettings | null;
}

/**
 * How Go's `httpproxy.FromEnvironment` saw the process environment (HTTP_PROXY or http_proxy, and
 * so on: the upper-case name wins when both are set and not empty). lib/config reads it once, when
 * the configuration is read, as Prometheus does when it builds the client.
 */
export interface ProxyEnvironment {
  httpProxy: string;
  httpsProxy: string;
  noProxy: string;
  /** REQUEST_METHOD is set: Go refuses HTTP_PROXY for http targets (https://go.dev/s/cgihttpproxy). */
  cgi: boolean;
}

/** How to reach the target: `proxy_url` (with `no_proxy`), or the environment's proxy variables. */
export interface ProxySettings {
  /** `proxy_url` as written; its user name and password (if any) are secrets. */
  url: string | null;
  noProxy: string | null;
  fromEnvironment: boolean;
  /** The variables `fromEnvironment` reads; without it no proxy variable is set. */
  environment?: ProxyEnvironment;
  /** `proxy_connect_header`: sent on CONNECT; values are secrets. */
  connectHeaders: Record<string, string[]>;
}

/** `http_headers` (Prometheus 3): per header, plain values, secret values and files. */
export type HttpHeaders = Record<string, { values: string[]; secrets: string[]; files: string[] }>;

/** Credentials for the request. Values are secrets; files are read at check time (rotation). */
export type AuthSettings =
  | { type: 'bearer'; scheme?: string; credentials?: string; credentialsFile?: string }
  | { type: 'basic'; username: string; password?: string; passwordFile?: string };

/** The protocols of Prometheus's `scrape_protocols`. */
export type ScrapeProtocol =
  | 'OpenMetricsText1.0.0'
  | 'OpenMetricsText0.0.1'
  | 'PrometheusText1.0.0'
  | 'PrometheusText0.0.4'
  | 'PrometheusProto';

export interface ScrapeLimits {
  /** Bytes of decompressed body; 0 means no limit. */
  bodySizeLimit: number;
  sampleLimit: number;
  labelLimit: number;
  labelNameLengthLimit: number;
  labelValueLengthLimit: number;
}

export interface ScrapeRequest {
  job: string;
  cluster: string | null;
  /** `host:port`, as Prometheus's `instance` label. */
  instance: string;
  url: URL;
  /** Labels Prometheus attaches to every sample (job, instance, static labels), for label_limit. */
  targetLabels: Record<string, string>;
  tls: TlsSettings;
  auth: AuthSettings | null;
  timeoutMs: number;
  limits: ScrapeLimits;
  scrapeProtocols: ScrapeProtocol[];
  fallbackScrapeProtocol: ScrapeProtocol | null;
  /**
   * Prometheus 3's name schemes for the job (`metric_name_validation_scheme`,
   * `metric_name_escaping_scheme`): which names a stored sample may have, and the `escaping=` the
   * `Accept` header asks for. Absent: Prometheus 3's defaults, `utf8` and `allow-utf-8`.
   */
  nameValidation?: NameValidationScheme;
  nameEscaping?: NameEscapingScheme;
  followRedirects: boolean;
  /** `enable_compression`: ask for gzip (the default) or for the identity encoding. */
  enableCompression?: boolean;
  oauth2?: OAuth2Settings | null;
  proxy?: ProxySettings | null;
  httpHeaders?: HttpHeaders | null;
  /**
   * `enable_http2`: offer h2 over TLS (ALPN), as Go's transport does once Prometheus configures it.
   * Prometheus's default for scrapes is true in 2.x and 3.x alike (only remote_write's became false);
   * undefined means that default.
   */
  enableHttp2?: boolean;
  /**
   * What Prometheus does to each scraped sample before its limits: `honor_labels` (a clashing sample
   * label wins, or becomes `exported_<name>`) and `metric_relabel_configs`. Absent: neither.
   */
  sampleRules?: SampleRules;
  /** The target's public labels after relabeling, for the result (service discovery jobs). */
  labels?: Record<string, string>;
  /** Found by Kubernetes discovery: an address inside the cluster's network (for diagnoses). */
  inCluster?: boolean;
  /** Claims of the token in `auth`, for the result (never the token). */
  token: TokenInfo | null;
  /** Warnings the planner already knows (a token about to expire, a Prometheus key not acted on). */
  warnings: string[];
}
