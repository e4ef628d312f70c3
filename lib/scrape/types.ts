/**
 * What one scrape needs, fully resolved: the planner (static jobs, cluster presets) builds these,
 * the scraper consumes them. A scrape receives token values and TLS material, never the machinery
 * that minted them (EKS, kubeconfig, TokenRequest stay behind lib/targets and lib/credentials).
 */
import type { TokenInfo } from '#lib/result/types.ts';

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
}

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
  followRedirects: boolean;
  /** `enable_compression`: ask for gzip (the default) or for the identity encoding. */
  enableCompression?: boolean;
  /** Claims of the token in `auth`, for the result (never the token). */
  token: TokenInfo | null;
  /** Warnings the planner already knows (a token about to expire, a Prometheus key not acted on). */
  warnings: string[];
}
