/**
 * Plans the checks of Prometheus `scrape_configs`: one ScrapeRequest per `static_configs` target,
 * with the job's settings resolved against `global` the way Prometheus resolves them.
 */
import type { Config, ScrapeConfig, TlsConfig } from '#lib/config/index.ts';
import { DEFAULT_SCRAPE_PROTOCOLS, type PrometheusVersion } from '#lib/scrape/protocol.ts';
import type { AuthSettings, ScrapeRequest, TlsSettings } from '#lib/scrape/types.ts';

/** `tls_config` in the scrape's terms; exported for the cluster planner's etcd targets. */
export function tlsSettings(tls: TlsConfig | undefined): TlsSettings {
  const out: TlsSettings = {};
  if (!tls) return out;
  if (tls.ca_file !== undefined) out.caFile = tls.ca_file;
  if (tls.ca !== undefined) out.ca = tls.ca;
  if (tls.cert_file !== undefined) out.certFile = tls.cert_file;
  if (tls.cert !== undefined) out.cert = tls.cert;
  if (tls.key_file !== undefined) out.keyFile = tls.key_file;
  if (tls.key !== undefined) out.key = tls.key;
  if (tls.server_name !== undefined) out.serverName = tls.server_name;
  if (tls.insecure_skip_verify !== undefined) out.insecureSkipVerify = tls.insecure_skip_verify;
  if (tls.min_version !== undefined) out.minVersion = tls.min_version;
  return out;
}

/** The job's credentials: `authorization`, the older `bearer_token(_file)`, or `basic_auth`. */
export function authSettings(
  job: Pick<ScrapeConfig, 'authorization' | 'bearer_token' | 'bearer_token_file' | 'basic_auth'>,
): AuthSettings | null {
  if (job.authorization) {
    const a = job.authorization;
    const out: AuthSettings = { type: 'bearer', scheme: a.type ?? 'Bearer' };
    if (a.credentials !== undefined) out.credentials = a.credentials;
    if (a.credentials_file !== undefined) out.credentialsFile = a.credentials_file;
    return out;
  }
  if (job.bearer_token !== undefined) return { type: 'bearer', credentials: job.bearer_token };
  if (job.bearer_token_file !== undefined)
    return { type: 'bearer', credentialsFile: job.bearer_token_file };
  if (job.basic_auth) {
    const b = job.basic_auth;
    const out: AuthSettings = { type: 'basic', username: b.username ?? '' };
    if (b.password !== undefined) out.password = b.password;
    if (b.password_file !== undefined) out.passwordFile = b.password_file;
    return out;
  }
  return null;
}

/** Prometheus's per-job timeout: the job's, else the global one capped at the job's interval. */
export function jobTimeoutMs(job: ScrapeConfig, config: Config): number {
  if (job.scrape_timeout !== undefined) return job.scrape_timeout;
  const interval = job.scrape_interval ?? config.global.scrape_interval;
  return Math.min(config.global.scrape_timeout, interval);
}

function withDefaultPort(target: string, scheme: 'http' | 'https'): string {
  if (/:\d+$/.test(target) && !/^\[[^\]]*\]$/.test(target)) return target;
  return `${target}:${scheme === 'https' ? 443 : 80}`;
}

/** Plans every static target of the given jobs. */
export function planStaticJobs(
  config: Config,
  jobs: readonly ScrapeConfig[],
  version: PrometheusVersion,
): ScrapeRequest[] {
  const requests: ScrapeRequest[] = [];
  const g = config.global;
  for (const job of jobs) {
    const auth = authSettings(job);
    const tls = tlsSettings(job.tls_config);
    const warnings: string[] = [];
    if (job.scheme === 'http' && job.tls_config) {
      warnings.push('tls_config is set but scheme is http: the TLS settings are not used');
    }
    if (auth && job.scheme === 'http') {
      warnings.push(
        'credentials are sent over plain HTTP (scheme: http): anyone on the path can read them',
      );
    }
    // Prometheus keeps one target per distinct label set: the same address with the same labels,
    // listed twice, is scraped once (scrape/target.go, targets keyed by their labels' hash).
    const seen = new Map<string, ScrapeRequest>();
    for (const group of job.static_configs) {
      for (const target of group.targets) {
        const key = JSON.stringify([target, Object.entries(group.labels).sort()]);
        const first = seen.get(key);
        if (first) {
          const note = `${target} is listed more than once with the same labels in job ${job.job_name}: Prometheus scrapes it once, and so does scrape-check`;
          if (!first.warnings.includes(note)) first.warnings.push(note);
          continue;
        }
        // Prometheus 2 wrote the scheme's default port into the instance; Prometheus 3 stopped.
        const instance = version === '2' ? withDefaultPort(target, job.scheme) : target;
        const url = new URL(`${job.scheme}://${target}${job.metrics_path}`);
        for (const [key, values] of Object.entries(job.params)) {
          for (const value of values) url.searchParams.append(key, value);
        }
        const request: ScrapeRequest = {
          job: job.job_name,
          cluster: null,
          instance,
          url,
          targetLabels: { ...group.labels, job: job.job_name, instance },
          tls,
          auth,
          timeoutMs: jobTimeoutMs(job, config),
          limits: {
            bodySizeLimit: job.body_size_limit ?? g.body_size_limit,
            sampleLimit: job.sample_limit ?? g.sample_limit,
            labelLimit: job.label_limit ?? g.label_limit,
            labelNameLengthLimit: job.label_name_length_limit ?? g.label_name_length_limit,
            labelValueLengthLimit: job.label_value_length_limit ?? g.label_value_length_limit,
          },
          scrapeProtocols: job.scrape_protocols ?? g.scrape_protocols ?? DEFAULT_SCRAPE_PROTOCOLS,
          fallbackScrapeProtocol: job.fallback_scrape_protocol ?? null,
          followRedirects: job.follow_redirects,
          enableCompression: job.enable_compression,
          token:
            auth?.type === 'bearer'
              ? {
                  source: auth.credentialsFile !== undefined ? 'file' : 'inline',
                  sub: null,
                  aud: [],
                  exp: null,
                }
              : null,
          warnings: [...warnings],
        };
        seen.set(key, request);
        requests.push(request);
      }
    }
  }
  return requests;
}
