/**
 * From a YAML-decoded `relabel_configs` list to compiled rules, or to every problem Prometheus
 * would refuse the list for.
 */
import type { PromVersion } from '#lib/discovery/types.ts';
import { decodeRelabelConfig } from './decode.ts';
import type { NameValidationScheme } from './label-names.ts';
import type {
  DecodedRelabelConfig,
  RelabelConfigError,
  RelabelRule,
  RelabelRuleJSON,
} from './types.ts';
import { validateRelabelConfig } from './validate.ts';

/** Options for `compileRelabelConfigs`. */
export interface CompileOptions {
  /**
   * The job's `metric_name_validation_scheme` (3.x; default `utf8`, Prometheus 3's default).
   * Ignored for 2.x, whose names are always legacy.
   */
  nameValidationScheme?: NameValidationScheme;
  /**
   * Which list this is, for the message about a null rule (`config/config.go`,
   * `ScrapeConfig.UnmarshalYAML`): `target` (default) for `relabel_configs`, `metric` for
   * `metric_relabel_configs`.
   */
  kind?: 'target' | 'metric';
}

/** Compiled rules, or every problem found (one per rule at most, as Go stops at the first). */
export type CompileResult =
  { ok: true; rules: RelabelRule[] } | { ok: false; errors: RelabelConfigError[] };

/** The JSON Prometheus 3.8+ shows for a rule (Go's `json` tags and `omitempty`). */
function toJSON(c: DecodedRelabelConfig, action: RelabelRule['action']): RelabelRuleJSON {
  return {
    ...(c.sourceLabels !== null && c.sourceLabels.length > 0
      ? { source_labels: [...c.sourceLabels] }
      : {}),
    separator: c.separator,
    regex: c.regex.source,
    ...(c.modulus !== 0n ? { modulus: Number(c.modulus) } : {}),
    ...(c.targetLabel !== '' ? { target_label: c.targetLabel } : {}),
    replacement: c.replacement,
    action,
  };
}

function toRule(
  c: DecodedRelabelConfig,
  version: PromVersion,
  scheme: NameValidationScheme,
): RelabelRule {
  // Validation refuses an empty action; an unvalidated rule with none acts as `replace`.
  const action = c.action === '' ? 'replace' : c.action;
  return {
    version,
    action,
    sourceLabels: c.sourceLabels ?? [],
    separator: c.separator,
    regex: c.regex,
    regexIsDefault: c.regexIsDefault,
    modulus: c.modulus,
    targetLabel: c.targetLabel,
    replacement: c.replacement,
    nameValidation: version === '2' ? 'legacy' : scheme,
    config: toJSON(c, action),
  };
}

function describeList(raw: unknown): string {
  if (typeof raw === 'string')
    return `!!str \`${raw.length > 10 ? raw.slice(0, 7) + '...' : raw}\``;
  if (typeof raw === 'number') return `${Number.isInteger(raw) ? '!!int' : '!!float'} \`${raw}\``;
  if (typeof raw === 'boolean') return `!!bool \`${raw}\``;
  return '!!map';
}

/**
 * Compiles a job's `relabel_configs` (the list as the YAML parser gave it) for Prometheus
 * `version`: defaults applied, action names lowercased, regexes compiled with Go's syntax and
 * anchoring, every rule validated as that version does, with Prometheus's messages.
 * `null`/absent means no rules. Error paths are relative to the list (`[2, 'target_label']`).
 *
 * @example
 * const r = compileRelabelConfigs([{ source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace' }], '3');
 * if (r.ok) relabel(discovered, r.rules, '3');
 */
export function compileRelabelConfigs(
  raw: unknown,
  version: PromVersion,
  options: CompileOptions = {},
): CompileResult {
  if (raw === null || raw === undefined) return { ok: true, rules: [] };
  if (!Array.isArray(raw)) {
    const message = `cannot unmarshal ${describeList(raw)} into []*relabel.Config`;
    return { ok: false, errors: [{ path: [], message }] };
  }
  const scheme = options.nameValidationScheme ?? 'utf8';
  const nullMessage =
    options.kind === 'metric'
      ? 'empty or null metric relabeling rule in scrape config'
      : 'empty or null target relabeling rule in scrape config';
  const rules: RelabelRule[] = [];
  const errors: RelabelConfigError[] = [];
  raw.forEach((entry: unknown, i) => {
    if (entry === null || entry === undefined) {
      errors.push({ path: [i], message: nullMessage });
      return;
    }
    const decoded = decodeRelabelConfig(entry, version);
    if (!decoded.ok) {
      for (const e of decoded.errors) errors.push({ path: [i, ...e.path], message: e.message });
      return;
    }
    const problem = validateRelabelConfig(decoded.config, version, scheme);
    if (problem !== null) {
      errors.push({ path: [i, ...problem.path], message: problem.message });
      return;
    }
    rules.push(toRule(decoded.config, version, scheme));
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, rules };
}

/**
 * Decodes and compiles one rule *without* validating it, the way Prometheus's own tests build
 * `relabel.Config` structs by hand (2.42's `TestRelabel` runs targets such as `0${3}` that its
 * validation would refuse). For tests and tools that must reproduce that; configurations go
 * through `compileRelabelConfigs`. Throws if the rule cannot even be decoded.
 */
export function compileRelabelRuleUnchecked(
  raw: Record<string, unknown>,
  version: PromVersion,
  scheme: NameValidationScheme = 'utf8',
): RelabelRule {
  const decoded = decodeRelabelConfig(raw, version);
  if (!decoded.ok) throw new Error(decoded.errors.map((e) => e.message).join('; '));
  return toRule(decoded.config, version, scheme);
}
