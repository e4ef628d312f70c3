export { loadConfigFile, parseConfig } from './load.ts';
export type { ConfigResult } from './load.ts';
export { formatProblem, formatPath } from './errors.ts';
export type { ConfigProblem } from './errors.ts';
export { configSchema, CLUSTER_PRESETS, SCRAPE_PROTOCOLS } from './schema.ts';
export type {
  ClusterConfig,
  ClusterInput,
  Config,
  ScrapeConfig,
  SinksConfig,
  TlsConfig,
} from './schema.ts';
export { formatBytes, formatDuration, parseDuration, parseSize } from './units.ts';
