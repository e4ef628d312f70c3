/** Shared helpers for the relabel tests. */
import assert from 'node:assert/strict';
import type { LabelSet, PromVersion } from '#lib/discovery/types.ts';
import { compileRelabelConfigs, type RelabelRule } from '#lib/relabel/index.ts';
import type { NameValidationScheme } from '#lib/relabel/index.ts';

/** Compiles rules that must be valid, failing the test with Prometheus's messages otherwise. */
export function rules(
  raw: unknown[],
  version: PromVersion,
  nameValidationScheme?: NameValidationScheme,
): RelabelRule[] {
  const compiled = compileRelabelConfigs(
    raw,
    version,
    nameValidationScheme === undefined ? {} : { nameValidationScheme },
  );
  if (!compiled.ok) assert.fail(JSON.stringify(compiled.errors));
  return compiled.rules;
}

/** The messages (with paths) a rule list is refused with, or [] when it compiles. */
export function errorsOf(
  raw: unknown,
  version: PromVersion,
  nameValidationScheme?: NameValidationScheme,
): { path: (string | number)[]; message: string }[] {
  const compiled = compileRelabelConfigs(
    raw,
    version,
    nameValidationScheme === undefined ? {} : { nameValidationScheme },
  );
  return compiled.ok ? [] : compiled.errors;
}

/** Go's `labels.FromMap`: the expected label set, keys sorted. */
export function sorted(labels: LabelSet): LabelSet {
  return Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));
}
