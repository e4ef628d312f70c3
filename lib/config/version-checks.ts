/**
 * What Prometheus refuses at load that depends on its major version: relabel rules (anchoring,
 * label-name rules and validation moved between 2.x and 3.x) and the service discovery blocks.
 * The schema cannot know the version (the command line may override `compat.prometheus`), so these
 * run once it is known, with the same paths and messages as every other configuration problem.
 */
import { validateFileSdConfig } from '#lib/discovery/file.ts';
import { validateHttpSdConfig } from '#lib/discovery/http.ts';
import { validateKubernetesSdConfig } from '#lib/discovery/kubernetes/index.ts';
import type { PromVersion } from '#lib/discovery/types.ts';
import { compileRelabelConfigs } from '#lib/relabel/index.ts';
import { httpVersionProblems } from './schema-http.ts';
import type { Config } from './schema.ts';

/** A problem found by a version check: where in the document, and Prometheus's own words. */
export interface VersionProblem {
  path: (string | number)[];
  message: string;
}

type Validator = (
  raw: unknown,
  version: PromVersion,
) => { ok: true } | { ok: false; errors: { path: (string | number)[]; message: string }[] };

const DISCOVERY: Record<string, Validator> = {
  kubernetes_sd_configs: validateKubernetesSdConfig,
  file_sd_configs: validateFileSdConfig,
  http_sd_configs: validateHttpSdConfig,
};

/** Every version-dependent problem of the config, for the chosen Prometheus major version. */
export function versionProblems(config: Config, version: PromVersion): VersionProblem[] {
  const problems: VersionProblem[] = [];
  config.scrape_configs.forEach((job, i) => {
    for (const p of httpVersionProblems(job, version)) {
      problems.push({ path: ['scrape_configs', i, ...p.path], message: p.message });
    }
    for (const key of ['relabel_configs', 'metric_relabel_configs'] as const) {
      const compiled = compileRelabelConfigs(job[key], version, {
        kind: key === 'metric_relabel_configs' ? 'metric' : 'target',
      });
      if (!compiled.ok) {
        for (const e of compiled.errors) {
          problems.push({ path: ['scrape_configs', i, key, ...e.path], message: e.message });
        }
      }
    }
    for (const [key, validate] of Object.entries(DISCOVERY)) {
      const entries = job[key as keyof typeof job] as unknown[];
      entries.forEach((entry, j) => {
        const checked = validate(entry, version);
        if (!checked.ok) {
          for (const e of checked.errors) {
            problems.push({ path: ['scrape_configs', i, key, j, ...e.path], message: e.message });
          }
        }
      });
    }
  });
  return problems;
}
