/**
 * Warnings for the keys a configuration may carry that scrape-check accepts without acting on:
 * Prometheus settings that cannot change whether a scrape works, service discoveries scrape-check
 * lacks, and Prometheus 3 keys that Prometheus 2.x refuses. Each names its place, in the order a
 * reader meets them (by line).
 */
import { byPosition, formatProblem, type ConfigProblem } from './errors.ts';
import { problemAt, valueAt, type Located } from './locate.ts';
import {
  IGNORED_GLOBAL,
  IGNORED_SCRAPE,
  IGNORED_TLS,
  IGNORED_TOP_LEVEL,
  SERVICE_DISCOVERY,
} from './prometheus-keys.ts';
import { NOT_IN_PROMETHEUS_2 } from './schema-http.ts';

/** Warnings for the keys present that scrape-check does not act on, sorted by line. */
export function ignoredKeyWarnings(at: Located, data: Record<string, unknown>): string[] {
  const warnings: ConfigProblem[] = [];
  const warn = (path: PropertyKey[], why: string): void => {
    warnings.push(problemAt(at, path, why, true));
  };
  const check = (obj: unknown, keys: readonly string[], path: PropertyKey[]): void => {
    if (obj === null || typeof obj !== 'object') return;
    for (const key of keys) {
      if (!(key in obj)) continue;
      const why = (SERVICE_DISCOVERY as readonly string[]).includes(key)
        ? `scrape-check has no ${key.replace(/_sd_configs$/, '')} discovery: the targets it would find are not checked (the job is listed as skipped)`
        : 'a Prometheus setting that scrape-check does not act on: it does not change whether a scrape works';
      warn([...path, key], why);
    }
  };
  check(data, IGNORED_TOP_LEVEL, []);
  check(data.global, IGNORED_GLOBAL, ['global']);
  const jobs = Array.isArray(data.scrape_configs) ? (data.scrape_configs as unknown[]) : [];
  jobs.forEach((job, i) => {
    check(job, IGNORED_SCRAPE, ['scrape_configs', i]);
    const j = job as Record<string, unknown>;
    check(j.tls_config, IGNORED_TLS, ['scrape_configs', i, 'tls_config']);
    check(j.authorization, ['credentials_ref'], ['scrape_configs', i, 'authorization']);
    check(j.basic_auth, ['username_ref', 'password_ref'], ['scrape_configs', i, 'basic_auth']);
    // Keys Prometheus 3 has and 2.42 refuses ("field not found"): accepted, and said.
    for (const key of NOT_IN_PROMETHEUS_2) {
      const path = key.split('.');
      if (valueAt(j, path) === undefined) continue;
      warn(
        ['scrape_configs', i, ...path],
        'a Prometheus 3 key: Prometheus 2.x refuses to load a file that has it (field not found)',
      );
    }
  });
  return warnings.sort(byPosition).map(formatProblem);
}
