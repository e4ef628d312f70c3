/**
 * Runs every target source of one scrape job, as Prometheus's discovery manager would hand them to
 * the scrape pool: `static_configs`, `kubernetes_sd_configs`, `file_sd_configs`, `http_sd_configs`.
 * A source that fails is recorded beside the others' groups: one broken source never hides the rest.
 */
import type { ScrapeConfig } from '#lib/config/index.ts';
import type { DiscoveryOutcome } from '#lib/discovery/types.ts';
import type { DiscoveryFailure, PromVersion, TargetGroup } from '#lib/discovery/types.ts';
import { SERVICE_DISCOVERY } from '#lib/config/prometheus-keys.ts';
import type { StandIn } from '#lib/standin/index.ts';

/** One failed source: which block (`kubernetes_sd_configs[0]`), and why. */
export interface SourceFailure {
  where: string;
  failure: DiscoveryFailure;
}

export interface JobDiscovery {
  groups: TargetGroup[];
  failures: SourceFailure[];
  warnings: string[];
  /** Discoveries of this job that scrape-check lacks (`consul_sd_configs`). */
  lacking: string[];
}

export interface DiscoveryContext {
  version: PromVersion;
  standIn: StandIn | null;
}

function staticGroups(job: ScrapeConfig): TargetGroup[] {
  // Prometheus names static groups by their index (config/config.go, StaticConfig).
  return job.static_configs.map((sc, i) => ({
    source: String(i),
    labels: { ...sc.labels },
    targets: sc.targets.map((t) => ({ __address__: t })),
  }));
}

/** Discovers every target group of `job`. Never throws for anything a source does. */
export async function discoverJob(job: ScrapeConfig, ctx: DiscoveryContext): Promise<JobDiscovery> {
  const out: JobDiscovery = {
    groups: staticGroups(job),
    failures: [],
    warnings: [],
    lacking: SERVICE_DISCOVERY.filter(
      (key) => key in job && (job as Record<string, unknown>)[key] !== undefined,
    ),
  };
  const record = (where: string, outcome: DiscoveryOutcome): void => {
    if (outcome.ok) {
      out.groups.push(...outcome.groups);
      out.warnings.push(...outcome.warnings.map((w) => `${where}: ${w}`));
    } else out.failures.push({ where, failure: outcome.failure });
  };
  const tasks: Promise<void>[] = [];
  job.kubernetes_sd_configs.forEach((raw, i) => {
    const where = `kubernetes_sd_configs[${i}]`;
    tasks.push(
      (async () => {
        // Each discovery and its client load only when a job uses it (Lambda cold starts).
        const [
          { discoverKubernetes, validateKubernetesSdConfig },
          { callApi },
          { kubernetesConnection },
        ] = await Promise.all([
          import('#lib/discovery/kubernetes/index.ts'),
          import('#lib/credentials/kube-api.ts'),
          import('#lib/discovery/sd-connection.ts'),
        ]);
        const checked = validateKubernetesSdConfig(raw, ctx.version);
        // The loader refused invalid blocks already; this only narrows the type.
        if (!checked.ok) throw new Error(`${where}: ${checked.errors[0]?.message ?? 'invalid'}`);
        const connection = await kubernetesConnection(
          raw,
          ctx.standIn,
          `scrape_configs[${job.job_name}].${where}`,
        );
        if (!connection.ok) {
          out.failures.push({ where, failure: connection.failure });
          return;
        }
        const outcome = await discoverKubernetes(checked.config, {
          version: ctx.version,
          call: (path) => callApi(connection.conn, path),
          ownNamespace: connection.ownNamespace,
        });
        record(where, outcome);
      })(),
    );
  });
  job.file_sd_configs.forEach((raw, i) => {
    const where = `file_sd_configs[${i}]`;
    tasks.push(
      (async () => {
        const { discoverFiles, formatFileProblem, validateFileSdConfig } =
          await import('#lib/discovery/file.ts');
        const checked = validateFileSdConfig(raw, ctx.version);
        if (!checked.ok) throw new Error(`${where}: ${checked.errors[0]?.message ?? 'invalid'}`);
        // The loader made every path absolute against the config's folder.
        const outcome = await discoverFiles(checked.config, { baseDir: '/', version: ctx.version });
        if (!outcome.ok) {
          out.failures.push({ where, failure: outcome.failure });
          return;
        }
        out.groups.push(...outcome.groups);
        // A file Prometheus cannot read gives it no targets on a fresh start: that is a failed
        // discovery for this file, whatever the other files give.
        for (const report of outcome.files) {
          if (report.problem === null) continue;
          out.failures.push({
            where,
            failure: { message: formatFileProblem(report.problem), status: null },
          });
        }
        const read = new Set(outcome.files.map((f) => f.file));
        // Each failure below is said once, as a failure: its warning from discoverFiles goes.
        const failed = outcome.files.flatMap((f) => (f.problem ? [f.file] : []));
        for (const pattern of checked.config.files) {
          if (/[*?[]/.test(pattern) || read.has(pattern)) continue;
          failed.push(JSON.stringify(pattern));
          out.failures.push({
            where,
            failure: {
              message: `${pattern} does not exist (Prometheus finds no targets in it, and says nothing)`,
              status: null,
            },
          });
        }
        out.warnings.push(
          ...outcome.warnings
            .filter((w) => !failed.some((f) => w.startsWith(f)))
            .map((w) => `${where}: ${w}`),
        );
      })(),
    );
  });
  job.http_sd_configs.forEach((raw, i) => {
    const where = `http_sd_configs[${i}]`;
    tasks.push(
      (async () => {
        const [{ discoverHttp, validateHttpSdConfig }, { httpSdRequest }] = await Promise.all([
          import('#lib/discovery/http.ts'),
          import('#lib/discovery/sd-connection.ts'),
        ]);
        const checked = validateHttpSdConfig(raw, ctx.version);
        if (!checked.ok) throw new Error(`${where}: ${checked.errors[0]?.message ?? 'invalid'}`);
        const request = await httpSdRequest(
          raw,
          ctx.standIn,
          `scrape_configs[${job.job_name}].${where}`,
        );
        if ('failure' in request) out.failures.push({ where, failure: request.failure });
        else
          record(
            where,
            await discoverHttp(checked.config, { version: ctx.version, request: request.request }),
          );
      })(),
    );
  });
  await Promise.all(tasks);
  return out;
}
