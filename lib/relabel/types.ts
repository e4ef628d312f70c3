/**
 * The shapes of relabeling: actions, a decoded rule, a compiled rule and the JSON a rule shows
 * in `--explain` (Prometheus 3.8's `/api/v1/targets/relabel_steps`).
 */
import type { PromVersion } from '#lib/discovery/types.ts';
import type { NameValidationScheme } from './label-names.ts';
import type { RelabelRegex } from './regex.ts';

/** Every action Prometheus knows (`model/relabel/relabel.go`, `Action.UnmarshalYAML`). */
export const RELABEL_ACTIONS = [
  'replace',
  'keep',
  'drop',
  'keepequal',
  'dropequal',
  'hashmod',
  'labelmap',
  'labeldrop',
  'labelkeep',
  'lowercase',
  'uppercase',
] as const;

/** A relabel action, lowercased as Prometheus stores it. */
export type RelabelAction = (typeof RELABEL_ACTIONS)[number];

/** A problem with a rule list: where (relative to the list, e.g. `[2, 'target_label']`) and what. */
export interface RelabelConfigError {
  path: (string | number)[];
  message: string;
}

/**
 * A rule as Go holds it after YAML decoding (`relabel.Config`), before validation: defaults
 * filled in, `regex: null` already turned into the regex "".
 */
export interface DecodedRelabelConfig {
  /** null when the key was absent or null (Go's nil slice), which `labeldrop` requires. */
  sourceLabels: string[] | null;
  separator: string;
  regex: RelabelRegex;
  /**
   * Whether `regex` is the default one because the key was absent. Go compares the regex pointer
   * with the default's, so an explicit `regex: (.*)` is *not* the default (`Validate`, and the
   * 3.x `replace` fast path).
   */
  regexIsDefault: boolean;
  modulus: bigint;
  targetLabel: string;
  replacement: string;
  /** "" only for `action: null`, which validation refuses. */
  action: RelabelAction | '';
}

/**
 * A rule as Prometheus 3.8+ renders it in JSON (`relabel.Config` with its `json` tags, in field
 * order; `omitempty` drops `source_labels`, `modulus` and `target_label` when empty/zero):
 * what `--explain` shows beside each step.
 */
export interface RelabelRuleJSON {
  source_labels?: string[];
  separator: string;
  regex: string;
  /** A JSON number, as Go writes a uint64 (exact up to 2^53). */
  modulus?: number;
  target_label?: string;
  replacement: string;
  action: RelabelAction;
}

/** A validated, compiled rule, ready for `relabel`. */
export interface RelabelRule {
  readonly version: PromVersion;
  readonly action: RelabelAction;
  readonly sourceLabels: readonly string[];
  readonly separator: string;
  readonly regex: RelabelRegex;
  readonly regexIsDefault: boolean;
  readonly modulus: bigint;
  readonly targetLabel: string;
  readonly replacement: string;
  /** The scheme `replace` checks expanded target names with (always `legacy` in 2.x). */
  readonly nameValidation: NameValidationScheme;
  /** The rule with defaults filled in, for display. */
  readonly config: RelabelRuleJSON;
}
