/**
 * What Prometheus refuses at load that depends on its major version: relabel rules (anchoring,
 * label-name rules and validation moved between 2.x and 3.x), the service discovery blocks and
 * the HTTP client keys. The schema cannot know the version (the command line may override
 * `compat.prometheus`), so these run once it is known, with the same paths and messages as every
 * other configuration problem. The checkers load only for the keys a config uses: the RE2 engine
 * and the discoveries stay out of a Lambda cold start whose config has none of them.
 */
import type { PromVersion } from '#lib/discovery/types.ts';
import { externalLabelProblems, nameSchemeProblems, resolvedNameSchemes } from './name-schemes.ts';
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

const DISCOVERY: Record<string, () => Promise<Validator>> = {
  kubernetes_sd_configs: async () =>
    (await import('#lib/discovery/kubernetes/index.ts')).validateKubernetesSdConfig,
  file_sd_configs: async () => (await import('#lib/discovery/file.ts')).validateFileSdConfig,
  http_sd_configs: async () => (await import('#lib/discovery/http.ts')).validateHttpSdConfig,
};

/** Every version-dependent problem of the config, for the chosen Prometheus major version. */
export async function versionProblems(
  config: Config,
  version: PromVersion,
): Promise<VersionProblem[]> {
  const problems: VersionProblem[] = [
    ...nameSchemeProblems(config.global, config.scrape_configs, version),
    ...externalLabelProblems(config.global, version),
  ];
  for (const [i, job] of config.scrape_configs.entries()) {
    for (const p of httpVersionProblems(job, version)) {
      problems.push({ path: ['scrape_configs', i, ...p.path], message: p.message });
    }
    // config.go ScrapeConfig.Validate: rules may write the names the job's scheme takes.
    const { validation } = resolvedNameSchemes(config.global, job, version);
    for (const key of ['relabel_configs', 'metric_relabel_configs'] as const) {
      if (job[key].length === 0) continue;
      const { compileRelabelConfigs } = await import('#lib/relabel/index.ts');
      const compiled = compileRelabelConfigs(job[key], version, {
        kind: key === 'metric_relabel_configs' ? 'metric' : 'target',
        nameValidationScheme: validation,
      });
      if (!compiled.ok) {
        for (const e of compiled.errors) {
          problems.push({ path: ['scrape_configs', i, key, ...e.path], message: e.message });
        }
      }
    }
    for (const [key, load] of Object.entries(DISCOVERY)) {
      const entries = job[key as keyof typeof job] as unknown[];
      if (entries.length === 0) continue;
      const validate = await load();
      entries.forEach((entry, j) => {
        const checked = validate(entry, version);
        if (!checked.ok) {
          for (const e of checked.errors) {
            problems.push({ path: ['scrape_configs', i, key, j, ...e.path], message: e.message });
          }
        }
      });
    }
  }
  return problems;
}
