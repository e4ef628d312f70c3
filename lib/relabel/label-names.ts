/**
 * Label name rules, per Prometheus version and name validation scheme.
 *
 * - Legacy names (all of 2.x; 3.x with `metric_name_validation_scheme: legacy`):
 *   `[a-zA-Z_][a-zA-Z0-9_]*` (prometheus/common `model/metric.go`, `IsValidLabelName`; v0.39.0
 *   `model/labels.go`, `LabelName.IsValid`, for Prometheus 2.42).
 * - UTF-8 names (3.x default, `config/config.go` `DefaultGlobalConfig`): any non-empty valid
 *   UTF-8. A JavaScript string is valid UTF-8 when it has no lone surrogate.
 */

/** Prometheus 3's `metric_name_validation_scheme` (prometheus/common `model.ValidationScheme`). */
export type NameValidationScheme = 'legacy' | 'utf8';

const LEGACY_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

const LEGACY_METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/**
 * `ValidationScheme.IsValidMetricName` (prometheus/common v0.70.1 `model/metric.go`; 2.42's
 * `model.IsValidMetricName` is the legacy one): legacy names may hold colons.
 */
export function isValidMetricName(name: string, scheme: NameValidationScheme): boolean {
  return scheme === 'legacy'
    ? LEGACY_METRIC_NAME.test(name)
    : name.length > 0 && name.isWellFormed();
}

/** `ValidationScheme.IsValidLabelName` (prometheus/common v0.70.1 `model/metric.go`). */
export function isValidLabelName(name: string, scheme: NameValidationScheme): boolean {
  return scheme === 'legacy' ? LEGACY_NAME.test(name) : name.length > 0 && name.isWellFormed();
}

/**
 * Prometheus's `relabelTarget` (2.42) / `relabelTargetLegacy` (3.x), a legacy name that may hold
 * `$1`, `${1}`, `$name` templates: `^(?:(?:[a-zA-Z_]|\$(?:\{\w+\}|\w+))+\w*)+$`
 * (`model/relabel/relabel.go`). Rewritten as the same language without nested repeats, so a
 * backtracking engine stays linear: a first token (`[a-zA-Z_]`, `${w+}` or `$w`) followed by any
 * number of `\w`, `${w+}` or `$w` (a longer `$www` is `$w` then `\w`s). `\w` is ASCII in both Go
 * and JavaScript (without the `u` flag). Checked against the original regex in the tests.
 */
const RELABEL_TARGET_LEGACY = /^(?:[a-zA-Z_]|\$\{\w+\}|\$\w)(?:\w|\$\{\w+\}|\$\w)*$/;

/** Whether `name` matches Prometheus's legacy templated target regex (see above). */
export function isLegacyTemplatedName(name: string): boolean {
  return RELABEL_TARGET_LEGACY.test(name);
}
