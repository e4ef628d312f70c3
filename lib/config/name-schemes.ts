/**
 * Prometheus 3's `metric_name_validation_scheme` and `metric_name_escaping_scheme`, in `global` and
 * per job, resolved as `config/config.go` `ScrapeConfig.Validate` does (3.4 and later; prometheus/common
 * v0.70 `model/metric.go`):
 *
 * - validation: the job's, else the global one, else `utf8`. A value other than `legacy`, `utf8` or
 *   empty fails the load (`unrecognized ValidationScheme: "x"`).
 * - escaping: the job's; else, when the job sets no validation, the global escaping (itself
 *   `underscores` under a legacy global validation, else `allow-utf-8`); else `underscores` under
 *   a legacy job validation, `allow-utf-8` under utf8. `allow-utf-8` with legacy validation fails.
 *
 * Validation decides which names a job's relabel rules may write and which scraped names fail the
 * scrape (`invalid metric name or label names`); escaping is what the `Accept` header asks the
 * target for. Prometheus 2 has neither key and refuses both (yaml: `field … not found in type …`).
 */
import * as z from 'zod/mini';
import { goQuote } from '#lib/discovery/go-strings.ts';
import { isValidLabelName } from '#lib/relabel/label-names.ts';
import type { NameValidationScheme } from '#lib/relabel/label-names.ts';
import type { NameEscapingScheme } from '#lib/scrape/types.ts';

/** `model.ValidationScheme.Set`: `legacy`, `utf8`, or empty for unset. */
export const validationSchemeValue = z.pipe(
  z.string(),
  z.transform((text, ctx): NameValidationScheme | undefined => {
    if (text === '') return undefined;
    if (text === 'legacy' || text === 'utf8') return text;
    ctx.issues.push({
      code: 'custom',
      message: `unrecognized ValidationScheme: ${JSON.stringify(text)}`,
      input: text,
    });
    return undefined;
  }),
);

const ESCAPINGS: readonly NameEscapingScheme[] = ['allow-utf-8', 'underscores', 'dots', 'values'];
const ESCAPING_CHOICES = "'allow-utf-8', 'underscores', 'dots', or 'values'";

function isEscaping(text: string): text is NameEscapingScheme {
  return (ESCAPINGS as readonly string[]).includes(text);
}

/** The keys, as the schema reads them in `global` and in a job. */
export interface NameSchemeKeys {
  metric_name_validation_scheme?: NameValidationScheme | undefined;
  metric_name_escaping_scheme?: string | undefined;
}

/** A job's resolved schemes. */
export interface NameSchemes {
  validation: NameValidationScheme;
  escaping: NameEscapingScheme;
}

/** What Prometheus 3 refuses, where (a key of the job, or of `global`), in its words. */
export interface NameSchemeProblem {
  where: 'job' | 'global';
  key: keyof NameSchemeKeys;
  message: string;
}

/** Prometheus 3's defaults: what a job without either key, under a global without them, gets. */
export const DEFAULT_NAME_SCHEMES: NameSchemes = { validation: 'utf8', escaping: 'allow-utf-8' };

/** `global`'s own schemes, or why Prometheus 3 refuses them. */
export function globalNameSchemes(global: NameSchemeKeys): NameSchemes | NameSchemeProblem {
  const validation = global.metric_name_validation_scheme ?? 'utf8';
  const escaping = global.metric_name_escaping_scheme ?? '';
  if (escaping === '') {
    return { validation, escaping: validation === 'legacy' ? 'underscores' : 'allow-utf-8' };
  }
  if (!isEscaping(escaping)) {
    return {
      where: 'global',
      key: 'metric_name_escaping_scheme',
      message: `unknown global name escaping method specified, must be one of ${ESCAPING_CHOICES}, got ${JSON.stringify(escaping)}`,
    };
  }
  return { validation, escaping };
}

/** A job's schemes under `global`, or why Prometheus 3 refuses them. */
export function jobNameSchemes(
  global: NameSchemeKeys,
  job: NameSchemeKeys,
): NameSchemes | NameSchemeProblem {
  const inherited = globalNameSchemes(global);
  if ('message' in inherited) return inherited;
  const ownValidation = job.metric_name_validation_scheme;
  const validation = ownValidation ?? inherited.validation;
  let escaping = job.metric_name_escaping_scheme ?? '';
  if (escaping === '') {
    if (ownValidation === undefined) escaping = inherited.escaping;
    else escaping = validation === 'legacy' ? 'underscores' : 'allow-utf-8';
  }
  if (!isEscaping(escaping)) {
    return {
      where: 'job',
      key: 'metric_name_escaping_scheme',
      message: `unknown scrape config name escaping method specified, must be one of ${ESCAPING_CHOICES}, got ${JSON.stringify(escaping)}`,
    };
  }
  if (escaping === 'allow-utf-8' && validation !== 'utf8') {
    return {
      where: job.metric_name_escaping_scheme ? 'job' : 'global',
      key: 'metric_name_escaping_scheme',
      message: 'utf8 metric names requested but validation scheme is not set to UTF8',
    };
  }
  return { validation, escaping };
}

/**
 * The schemes a job runs with under `version`: Prometheus 2 validates legacy names only and asks
 * for no escaping; Prometheus 3 as resolved above (the loader refused what it cannot resolve).
 */
export function resolvedNameSchemes(
  global: NameSchemeKeys,
  job: NameSchemeKeys,
  version: '2' | '3',
): NameSchemes {
  if (version === '2') return { validation: 'legacy', escaping: 'underscores' };
  const schemes = jobNameSchemes(global, job);
  return 'message' in schemes ? DEFAULT_NAME_SCHEMES : schemes;
}

/** Prometheus 2 (yaml.v2's strict decoder): neither key exists. */
export function version2NameSchemeProblem(
  key: keyof NameSchemeKeys,
  where: 'job' | 'global',
): string {
  return `field ${key} not found in type ${where === 'job' ? 'config.ScrapeConfig' : 'config.plain'}`;
}

/** Every problem of the keys under `version`, each once, at the key that causes it. */
export function nameSchemeProblems(
  global: NameSchemeKeys,
  jobs: readonly NameSchemeKeys[],
  version: '2' | '3',
): { path: (string | number)[]; message: string }[] {
  const found = new Map<string, { path: (string | number)[]; message: string }>();
  const add = (path: (string | number)[], message: string): void => {
    found.set(JSON.stringify(path), { path, message });
  };
  const keys = ['metric_name_validation_scheme', 'metric_name_escaping_scheme'] as const;
  if (version === '2') {
    for (const key of keys) {
      if (global[key] !== undefined) add(['global', key], version2NameSchemeProblem(key, 'global'));
    }
    jobs.forEach((job, i) => {
      for (const key of keys) {
        if (job[key] !== undefined) {
          add(['scrape_configs', i, key], version2NameSchemeProblem(key, 'job'));
        }
      }
    });
    return [...found.values()];
  }
  jobs.forEach((job, i) => {
    const schemes = jobNameSchemes(global, job);
    if (!('message' in schemes)) return;
    add(
      schemes.where === 'global' ? ['global', schemes.key] : ['scrape_configs', i, schemes.key],
      schemes.message,
    );
  });
  return [...found.values()];
}

/**
 * `global.external_labels`, as `GlobalConfig.UnmarshalYAML` refuses them (2.42 and 3.x): a name
 * the global scheme does not take (2.x: legacy names only), or a value that is not UTF-8. Each
 * such label is a problem of its own (Prometheus stops at the first, in name order).
 */
export function externalLabelProblems(
  global: NameSchemeKeys & { external_labels?: unknown },
  version: '2' | '3',
): { path: (string | number)[]; message: string }[] {
  const labels = global.external_labels;
  if (labels === null || typeof labels !== 'object' || Array.isArray(labels)) return [];
  const scheme = version === '2' ? 'legacy' : (global.metric_name_validation_scheme ?? 'utf8');
  const problems: { path: (string | number)[]; message: string }[] = [];
  for (const [name, value] of Object.entries(labels as Record<string, unknown>)) {
    const path = ['global', 'external_labels', name];
    if (!isValidLabelName(name, scheme)) {
      problems.push({ path, message: `${goQuote(name)} is not a valid label name` });
    } else if (typeof value === 'string' && !value.isWellFormed()) {
      problems.push({ path, message: `${goQuote(value)} is not a valid label value` });
    }
  }
  return problems;
}
