/**
 * What file_sd and http_sd share once a document is read: the decoded groups before Prometheus
 * names them, its label name rule per version, and the step that names them (source
 * `<file-or-url>:<index>`, the `__meta_filepath`/`__meta_url` label) and refuses a null entry
 * (prometheus/prometheus `discovery/file/file.go` `readFile`, `discovery/http/http.go` `Refresh`).
 */
import type { LabelSet, PromVersion, TargetGroup } from './types.ts';

/** A group as `targetgroup.Group`'s unmarshalers leave it. */
export interface DecodedGroup {
  targets: LabelSet[];
  labels: LabelSet;
}

/**
 * Prometheus's words for a `null` entry in the list, checked only once the whole document decoded
 * (so any decoding error wins over it).
 */
export const NIL_GROUP = 'nil target group item found';

/** A 1-based line and column (in characters) in a document. */
export interface Position {
  line: number;
  column: number;
}

/** Decoded groups, or the error Prometheus reports and, when known, where in the document it is. */
export type DecodedGroups =
  { ok: true; groups: DecodedGroup[] } | { ok: false; message: string; position: Position | null };

/**
 * `model.LabelName.IsValid`: Prometheus 2.42 (prometheus/common v0.39.0) takes
 * `[a-zA-Z_][a-zA-Z0-9_]*`; 3.x sets `model.NameValidationScheme = UTF8Validation` at start
 * (`cmd/prometheus/main.go`), so any non-empty UTF-8 name is read, whatever
 * `metric_name_validation_scheme` says.
 */
export function isValidLabelName(name: string, version: PromVersion): boolean {
  if (version === '2') return /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name);
  return name !== '' && name.isWellFormed();
}

/** Sets `labels[name]`, as an own property even for `__proto__`. */
export function setLabel(labels: LabelSet, name: string, value: string): void {
  if (name === '__proto__') {
    Object.defineProperty(labels, name, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else labels[name] = value;
}

/**
 * Names decoded groups as Prometheus does: source `<prefix>:<index>`, and `metaName` set to
 * `metaValue` on each, over any label of that name the document gave.
 */
export function nameGroups(
  decoded: DecodedGroup[],
  prefix: string,
  metaName: string,
  metaValue: string,
): TargetGroup[] {
  return decoded.map((group, index) => {
    const labels: LabelSet = {};
    for (const [name, value] of Object.entries(group.labels)) setLabel(labels, name, value);
    setLabel(labels, metaName, metaValue);
    return { source: `${prefix}:${index}`, targets: group.targets, labels };
  });
}
