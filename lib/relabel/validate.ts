/**
 * Rule validation, per version, with Prometheus's messages verbatim:
 *
 * - 2.42 validates in `Config.UnmarshalYAML` (prometheus/prometheus@v2.42.0
 *   `model/relabel/relabel.go`), with the legacy templated-name regex for every target;
 * - 3.x validates in `Config.Validate(nameValidationScheme)` (HEAD `model/relabel/relabel.go`),
 *   called from `ScrapeConfig.Validate` with the job's `metric_name_validation_scheme` (UTF-8
 *   unless set to legacy): a plain target must be a valid name under the scheme; a target with a
 *   `$` must be valid UTF-8 (utf8) or match the legacy templated-name regex (legacy).
 *
 * Go returns the first failed check; so does this. The path names the key it is about.
 */
import type { PromVersion } from '#lib/discovery/types.ts';
import { hasTemplateVar } from './expand.ts';
import { goQuote } from './go-quote.ts';
import {
  isLegacyTemplatedName,
  isValidLabelName,
  type NameValidationScheme,
} from './label-names.ts';
import type { DecodedRelabelConfig, RelabelConfigError } from './types.ts';

const NEEDS_TARGET = new Set([
  'replace',
  'hashmod',
  'lowercase',
  'uppercase',
  'keepequal',
  'dropequal',
]);
const NO_REPLACEMENT = new Set(['lowercase', 'uppercase', 'keepequal', 'dropequal']);
const DEFAULT_REPLACEMENT = '$1';
const DEFAULT_SEPARATOR = ';';

type Check = (c: DecodedRelabelConfig) => RelabelConfigError | null;

function invalidTarget(c: DecodedRelabelConfig): RelabelConfigError {
  const message = `${goQuote(c.targetLabel)} is invalid 'target_label' for ${c.action} action`;
  return { path: ['target_label'], message };
}

/** The checks both versions share at the start: action, modulus, a target where one is needed. */
const common: Check[] = [
  (c) => (c.action === '' ? { path: ['action'], message: 'relabel action cannot be empty' } : null),
  (c) =>
    c.modulus === 0n && c.action === 'hashmod'
      ? {
          path: ['modulus'],
          message: 'relabel configuration for hashmod requires non-zero modulus',
        }
      : null,
  (c) =>
    NEEDS_TARGET.has(c.action) && c.targetLabel === ''
      ? {
          path: ['target_label'],
          message: `relabel configuration for ${c.action} action requires 'target_label' value`,
        }
      : null,
];

/** …and at the end: which fields `*equal` and `label{drop,keep}` may set. */
const onlyFields: Check[] = [
  (c) =>
    (c.action === 'dropequal' || c.action === 'keepequal') &&
    (!c.regexIsDefault ||
      c.modulus !== 0n ||
      c.separator !== DEFAULT_SEPARATOR ||
      c.replacement !== DEFAULT_REPLACEMENT)
      ? {
          path: [],
          message: `${c.action} action requires only 'source_labels' and \`target_label\`, and no other fields`,
        }
      : null,
  (c) =>
    (c.action === 'labeldrop' || c.action === 'labelkeep') &&
    (c.sourceLabels !== null ||
      c.targetLabel !== '' ||
      c.modulus !== 0n ||
      c.separator !== DEFAULT_SEPARATOR ||
      c.replacement !== DEFAULT_REPLACEMENT)
      ? { path: [], message: `${c.action} action requires only 'regex', and no other fields` }
      : null,
];

function replacementChecks(isValidWithVars: (s: string) => boolean): Check[] {
  return [
    (c) =>
      NO_REPLACEMENT.has(c.action) && c.replacement !== DEFAULT_REPLACEMENT
        ? { path: ['replacement'], message: `'replacement' can not be set for ${c.action} action` }
        : null,
    (c) =>
      c.action === 'labelmap' && !isValidWithVars(c.replacement)
        ? {
            path: ['replacement'],
            message: `${goQuote(c.replacement)} is invalid 'replacement' for ${c.action} action`,
          }
        : null,
  ];
}

/** Prometheus 2.42's `UnmarshalYAML` checks. */
const v2Checks: Check[] = [
  ...common,
  (c) =>
    NEEDS_TARGET.has(c.action) && c.action !== 'hashmod' && !isLegacyTemplatedName(c.targetLabel)
      ? invalidTarget(c)
      : null,
  ...replacementChecks(isLegacyTemplatedName),
  (c) =>
    c.action === 'hashmod' && !isValidLabelName(c.targetLabel, 'legacy') ? invalidTarget(c) : null,
  ...onlyFields,
];

/** Prometheus 3.x's `Validate` checks, for one name validation scheme. */
function v3Checks(scheme: NameValidationScheme): Check[] {
  const valid = (s: string): boolean => isValidLabelName(s, scheme);
  // "UTF-8 allows ${} characters, so standard validation allow $variables by default."
  const validWithVars = scheme === 'utf8' ? valid : isLegacyTemplatedName;
  return [
    ...common,
    (c) =>
      c.action === 'replace' && !hasTemplateVar(c.targetLabel) && !valid(c.targetLabel)
        ? invalidTarget(c)
        : null,
    (c) =>
      c.action === 'replace' && hasTemplateVar(c.targetLabel) && !validWithVars(c.targetLabel)
        ? invalidTarget(c)
        : null,
    (c) => (NO_REPLACEMENT.has(c.action) && !valid(c.targetLabel) ? invalidTarget(c) : null),
    ...replacementChecks(validWithVars),
    (c) => (c.action === 'hashmod' && !valid(c.targetLabel) ? invalidTarget(c) : null),
    ...onlyFields,
  ];
}

const checksByScheme = { legacy: v3Checks('legacy'), utf8: v3Checks('utf8') };

/**
 * The first problem Prometheus `version` finds with a decoded rule, or null. `scheme` is the
 * job's `metric_name_validation_scheme` (3.x only; 2.x names are always legacy).
 */
export function validateRelabelConfig(
  c: DecodedRelabelConfig,
  version: PromVersion,
  scheme: NameValidationScheme,
): RelabelConfigError | null {
  for (const check of version === '2' ? v2Checks : checksByScheme[scheme]) {
    const problem = check(c);
    if (problem !== null) return problem;
  }
  return null;
}
