/**
 * The Prometheus config scrape-check derives from Prometheus Operator monitors, as the file Debian's
 * Prometheus 2.42 can run: the expansion's generated jobs (`operatorOrigin(job).generated`, key for
 * key as the operator writes them) under the resource's `global` section, with three rewrites that
 * stand in for what the Prometheus pod has and Debian's build lacks:
 *
 * - `kubernetes_sd_configs` become `http_sd_configs` against the emulator's bridge (Debian builds
 *   Prometheus without Kubernetes discovery; test/k8s/sd-bridge.ts discovers as 2.42 would);
 * - TLS material the operator inlines from Secrets (`ca`, `cert`, `key`: prometheus/common 0.39,
 *   which 2.42 uses, has no inline keys) becomes files, as the operator's TLS assets mount would;
 * - the pod's ServiceAccount files (/var/run/secrets/kubernetes.io/serviceaccount/*) become files in
 *   Prometheus's folder, and `$(SHARD)` becomes the shard's index, as the config reloader does.
 *
 * Nothing else is touched, so what Prometheus runs is what scrape-check checks.
 */
import { stringify } from 'yaml';
import type { Config } from '#lib/config/index.ts';
import { operatorOrigin } from '#lib/operator/index.ts';
import { ConfigGenerator, toPlain } from '#lib/operator/index.ts';
import { resourceGlobal } from '#lib/operator/to-scrape-config.ts';
import { SERVICE_ACCOUNT_DIR } from '#lib/standin/pod-files.ts';
import { bridgePath, type Role, type SdConfig } from '../k8s/sd-bridge.ts';

/** The derived config and the files it names (relative to Prometheus's folder). */
export interface DerivedConfig {
  yaml: string;
  files: Record<string, string>;
  /** Job names, in the operator's order. */
  jobs: string[];
}

export interface DeriveOptions {
  /** The bridge's base URL (`http://127.0.0.1:port`). */
  bridge: string;
  /** What the pod's ServiceAccount files hold: a token for its ServiceAccount, the cluster CA. */
  podFiles: { token: string; 'ca.crt': string; namespace: string };
}

type Plain = Record<string, unknown>;

const SD_KEYS = new Set(['role', 'namespaces', 'selectors', 'attach_metadata']);
const INLINE_TLS: Record<string, string> = { ca: 'ca_file', cert: 'cert_file', key: 'key_file' };

/** A kubernetes_sd_configs block as the bridge URL that serves the same targets. */
function bridgeUrl(bridge: string, block: Plain, job: string): string {
  const extra = Object.keys(block).filter((k) => !SD_KEYS.has(k));
  // api_server, credentials, kubeconfig: the bridge reads the emulator's objects directly.
  if (extra.length > 0)
    throw new Error(
      `${job}: kubernetes_sd_configs keys the bridge cannot stand for: ${extra.join(', ')}`,
    );
  const sd: SdConfig = { role: block.role as Role };
  const names = (block.namespaces as { names?: string[] } | undefined)?.names;
  if (names !== undefined && names.length > 0) sd.namespaces = { names };
  if (block.selectors !== undefined)
    sd.selectors = block.selectors as NonNullable<SdConfig['selectors']>;
  if (block.attach_metadata !== undefined)
    sd.attach_metadata = block.attach_metadata as { node?: boolean };
  return `${bridge}${bridgePath(sd)}`;
}

/** Derives the config from an expanded config (expandOperator's or withOperatorJobs'). */
export function derivePrometheusConfig(config: Config, options: DeriveOptions): DerivedConfig {
  const files: Record<string, string> = {};
  const byContent = new Map<string, string>();
  const fileFor = (content: string, kind: string): string => {
    const known = byContent.get(content);
    if (known !== undefined) return known;
    const name = `tls-${byContent.size}-${kind}.pem`;
    byContent.set(content, name);
    files[name] = content;
    return name;
  };
  for (const [name, content] of Object.entries(options.podFiles)) files[`sa-${name}`] = content;

  const rewrite = (value: unknown, job: string): unknown => {
    if (typeof value === 'string') {
      if (value.startsWith(`${SERVICE_ACCOUNT_DIR}/`)) {
        const file = `sa-${value.slice(SERVICE_ACCOUNT_DIR.length + 1)}`;
        if (!(file in files)) throw new Error(`${job}: no stand-in for the pod file ${value}`);
        return file;
      }
      return value.replaceAll('$(SHARD)', '0');
    }
    if (Array.isArray(value)) return value.map((v) => rewrite(v, job));
    if (value === null || typeof value !== 'object') return value;
    const out: Plain = {};
    for (const [k, v] of Object.entries(value as Plain)) {
      if (k === 'tls_config') {
        const tls: Plain = {};
        for (const [tk, tv] of Object.entries(v as Plain)) {
          const fileKey = INLINE_TLS[tk];
          if (fileKey !== undefined) tls[fileKey] = fileFor(String(tv), tk);
          else tls[tk] = rewrite(tv, job);
        }
        out[k] = tls;
      } else if (k === 'kubernetes_sd_configs') {
        const http = (v as Plain[]).map((b) => ({ url: bridgeUrl(options.bridge, b, job) }));
        out.http_sd_configs = [...((out.http_sd_configs as unknown[] | undefined) ?? []), ...http];
      } else if (k === 'http_sd_configs') {
        out.http_sd_configs = [
          ...((out.http_sd_configs as unknown[] | undefined) ?? []),
          ...(rewrite(v, job) as unknown[]),
        ];
      } else out[k] = rewrite(v, job);
    }
    return out;
  };

  let global: Plain | null = null;
  const jobs: Plain[] = [];
  for (const job of config.scrape_configs) {
    const origin = operatorOrigin(job);
    // Monitors the resource does not select, or the operator rejects, are not in its config.
    if (origin?.kind !== 'generated') continue;
    if (global === null) {
      const resource = origin.run.prometheus;
      if (resource === null) throw new Error('the differential needs a Prometheus resource');
      global = resourceGlobal(
        new ConfigGenerator(resource, { store: origin.run.store, inlineTls: true }),
      );
    }
    jobs.push(rewrite(toPlain(origin.generated.config), job.job_name) as Plain);
  }
  return {
    yaml: stringify({ global: global ?? {}, scrape_configs: jobs }),
    files,
    jobs: jobs.map((j) => String(j.job_name)),
  };
}
