/**
 * Keys that Prometheus's configuration has and scrape-check does not act on. Such a key is a
 * warning that names it (a user hands us the prometheus.yml their Prometheus runs); a key that
 * neither knows is an error. Lists from Prometheus 2.42–3.x `config/config.go` and
 * `prometheus/common` `config/http_config.go`.
 */

/** Top-level keys of prometheus.yml beside `global` and `scrape_configs`. */
export const IGNORED_TOP_LEVEL = [
  'rule_files',
  'alerting',
  'remote_write',
  'remote_read',
  'storage',
  'tracing',
  'scrape_config_files',
  'otlp',
  'runtime',
] as const;

/** `global:` keys beside the ones scrape-check uses as defaults. */
export const IGNORED_GLOBAL = [
  'evaluation_interval',
  'rule_query_offset',
  'external_labels',
  'query_log_file',
  'scrape_failure_log_file',
  'target_limit',
  'keep_dropped_targets',
  'always_scrape_classic_histograms',
  'convert_classic_histograms_to_nhcb',
] as const;

/** The service discoveries scrape-check has, beside `static_configs`. */
export const SUPPORTED_DISCOVERY = [
  'kubernetes_sd_configs',
  'file_sd_configs',
  'http_sd_configs',
] as const;

/** Service discoveries scrape-check lacks: a job that uses one is listed as skipped. */
export const SERVICE_DISCOVERY = [
  'azure_sd_configs',
  'consul_sd_configs',
  'digitalocean_sd_configs',
  'docker_sd_configs',
  'dockerswarm_sd_configs',
  'dns_sd_configs',
  'ec2_sd_configs',
  'eureka_sd_configs',
  'gce_sd_configs',
  'hetzner_sd_configs',
  'ionos_sd_configs',
  'kuma_sd_configs',
  'lightsail_sd_configs',
  'linode_sd_configs',
  'marathon_sd_configs',
  'nerve_sd_configs',
  'nomad_sd_configs',
  'openstack_sd_configs',
  'ovhcloud_sd_configs',
  'puppetdb_sd_configs',
  'scaleway_sd_configs',
  'serverset_sd_configs',
  'triton_sd_configs',
  'uyuni_sd_configs',
  'vultr_sd_configs',
  'stackit_sd_configs',
] as const;

/** `scrape_configs[]` keys that change what Prometheus stores, not whether the scrape works. */
export const IGNORED_SCRAPE = [
  'track_timestamps_staleness',
  'target_limit',
  'keep_dropped_targets',
  'native_histogram_bucket_limit',
  'native_histogram_min_bucket_factor',
  'scrape_classic_histograms',
  'always_scrape_classic_histograms',
  'convert_classic_histograms_to_nhcb',
  'scrape_failure_log_file',
  ...SERVICE_DISCOVERY,
] as const;

/** `tls_config` keys scrape-check does not act on. */
export const IGNORED_TLS = ['ca_ref', 'cert_ref', 'key_ref'] as const;
