/**
 * A ScrapeRequest from a prometheus.yml job, through the new schema (lib/config/schema-http.ts) and
 * `httpSettings`, so a test hands Prometheus and scrape-check the same YAML.
 */
import { join, isAbsolute } from 'node:path';
import { parse as parseYaml } from 'yaml';
import * as z from 'zod/mini';
import {
  httpClientChecks,
  httpClientKeys,
  httpSettings,
  httpVersionProblems,
} from '#lib/config/schema-http.ts';
import { tlsConfig } from '#lib/config/schema-prometheus.ts';
import type { ScrapeRequest, TlsSettings } from '#lib/scrape/types.ts';
import { scrapeRequest } from '../scrape/request.ts';

const jobSchema = z
  .looseObject({
    job_name: z.string(),
    scheme: z.optional(z.enum(['http', 'https'])),
    metrics_path: z.optional(z.string()),
    tls_config: z.optional(tlsConfig),
    static_configs: z.array(z.object({ targets: z.array(z.string()) })),
    ...httpClientKeys,
  })
  .check(httpClientChecks);

export type Job = z.output<typeof jobSchema>;

/** Every job of a prometheus.yml, validated as scrape-check validates them for `version`. */
export function jobsOf(yaml: string, version: '2' | '3'): Job[] {
  const doc = parseYaml(yaml) as { scrape_configs: unknown[] };
  return doc.scrape_configs.map((raw) => {
    const job = z.parse(jobSchema, raw);
    const problems = httpVersionProblems(job, version);
    if (problems.length > 0) throw new Error(`${job.job_name}: ${JSON.stringify(problems)}`);
    return job;
  });
}

function tls(job: Job, dir: string): TlsSettings {
  const t = job.tls_config;
  const at = (f: string): string => (isAbsolute(f) ? f : join(dir, f));
  const out: TlsSettings = {};
  if (!t) return out;
  if (t.ca_file !== undefined) out.caFile = at(t.ca_file);
  if (t.server_name !== undefined) out.serverName = t.server_name;
  if (t.min_version !== undefined) out.minVersion = t.min_version;
  if (t.max_version !== undefined) out.maxVersion = t.max_version;
  if (t.insecure_skip_verify !== undefined) out.insecureSkipVerify = t.insecure_skip_verify;
  return out;
}

/** The job's one target as scrape-check would scrape it. */
export function requestFor(job: Job, dir: string, env: NodeJS.ProcessEnv = {}): ScrapeRequest {
  const target = job.static_configs[0]!.targets[0]!;
  const url = `${job.scheme ?? 'http'}://${target}${job.metrics_path ?? '/metrics'}`;
  return scrapeRequest(url, {
    job: job.job_name,
    tls: tls(job, dir),
    timeoutMs: 3000,
    ...httpSettings(job, dir, env),
  });
}
