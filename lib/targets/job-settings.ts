/**
 * A scrape job's settings in the scrape's terms, resolved against `global` the way Prometheus
 * resolves them: credentials and the timeout (TLS: `tlsSettings` in lib/config/schema-http.ts) (the planner in jobs.ts uses them per target).
 */
import type { Config, ScrapeConfig } from '#lib/config/index.ts';
import type { AuthSettings } from '#lib/scrape/types.ts';

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

/**
 * A job's scrape interval and timeout as Prometheus resolves them (config/config.go
 * ScrapeConfig.Validate): a missing or `0s` interval is the global one; a missing or `0s` timeout
 * is the global one capped at the interval. (A timeout over the interval is refused at load.)
 */
export function jobTiming(
  job: ScrapeConfig,
  config: Config,
): { intervalMs: number; timeoutMs: number } {
  const intervalMs = job.scrape_interval || config.global.scrape_interval;
  const timeoutMs = job.scrape_timeout || Math.min(config.global.scrape_timeout, intervalMs);
  return { intervalMs, timeoutMs };
}
