/**
 * A JSON list of target groups decoded as `json.Unmarshal(b, &[]*targetgroup.Group)` decodes it
 * (prometheus/prometheus `discovery/targetgroup/targetgroup.go` `UnmarshalJSON`, prometheus/common
 * `model/labelset.go` `LabelSet.UnmarshalJSON`), with the errors Go's `encoding/json` words:
 *
 * - each group is decoded with `DisallowUnknownFields`: `json: unknown field "foo"`;
 * - field names match case-insensitively (`"Targets"` is `targets`), as `encoding/json` does;
 * - a wrong type is `json: cannot unmarshal number into Go struct field .targets of type string`;
 *   the first such error is kept and decoding goes on, as Go's `saveError` does;
 * - an error from `LabelSet.UnmarshalJSON` stops everything at once (`"a-b" is not a valid label
 *   name`), so it wins over a type error saved earlier;
 * - `null` for `targets` or `labels` is the same as leaving them out; a `null` target is `""`.
 */
import { parseGoJson, type JsonNode } from './go-json.ts';
import { goQuote, lineColumn } from './go-strings.ts';
import type { DecodedGroup, DecodedGroups } from './target-groups.ts';
import { isValidLabelName, NIL_GROUP, setLabel } from './target-groups.ts';
import type { LabelSet, PromVersion } from './types.ts';

const GROUP_TYPE =
  'struct { Targets []string "json:\\"targets\\""; Labels model.LabelSet "json:\\"labels\\"" }';

class Fatal extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(message);
    this.offset = offset;
  }
}

interface Saved {
  message: string;
  offset: number;
}

const typeError = (node: JsonNode, into: string, field: string | null): Saved => ({
  message:
    field === null
      ? `json: cannot unmarshal ${node.kind} into Go value of type ${into}`
      : `json: cannot unmarshal ${node.kind} into Go struct field .${field} of type ${into}`,
  offset: node.offset,
});

// encoding/json matches a key to a field exactly, else with Unicode simple folding, in which
// ſ (U+017F) is s and K (U+212A, Kelvin) is k.
function fieldOf(key: string): 'targets' | 'labels' | null {
  const folded = key.replaceAll('ſ', 's').toLowerCase();
  return folded === 'targets' || folded === 'labels' ? folded : null;
}

function decodeLabels(node: JsonNode, version: PromVersion): LabelSet | null {
  if (node.kind === 'null') return null;
  // LabelSet.UnmarshalJSON decodes into map[LabelName]LabelValue with a fresh decoder; its error
  // comes back through the group's decoder, which names the field.
  if (node.kind !== 'object') {
    const error = typeError(node, 'map[model.LabelName]model.LabelValue', 'labels');
    throw new Fatal(error.message, error.offset);
  }
  const labels: LabelSet = {};
  let saved: Saved | null = null;
  for (const { key, value } of node.entries) {
    if (value.kind === 'string') setLabel(labels, key, value.value);
    else if (value.kind === 'null') setLabel(labels, key, '');
    else saved ??= typeError(value, 'model.LabelValue', 'labels');
  }
  if (saved) throw new Fatal(saved.message, saved.offset);
  for (const { key, keyOffset } of node.entries) {
    if (!isValidLabelName(key, version)) {
      throw new Fatal(`${goQuote(key)} is not a valid label name`, keyOffset);
    }
  }
  return labels;
}

function decodeGroup(node: JsonNode, version: PromVersion): DecodedGroup {
  if (node.kind !== 'object') {
    const error = typeError(node, GROUP_TYPE, null);
    throw new Fatal(error.message, error.offset);
  }
  let saved: Saved | null = null;
  let targets: LabelSet[] = [];
  let labels: LabelSet | null = null;
  for (const { key, keyOffset, value } of node.entries) {
    const field = fieldOf(key);
    if (field === null) {
      saved ??= { message: `json: unknown field ${goQuote(key)}`, offset: keyOffset };
    } else if (field === 'labels') {
      labels = decodeLabels(value, version);
    } else if (value.kind === 'array') {
      targets = [];
      for (const item of value.items) {
        if (item.kind === 'string') targets.push({ __address__: item.value });
        else if (item.kind === 'null') targets.push({ __address__: '' });
        else saved ??= typeError(item, 'string', 'targets');
      }
    } else if (value.kind === 'null') targets = [];
    else saved ??= typeError(value, '[]string', 'targets');
  }
  if (saved) throw new Fatal(saved.message, saved.offset);
  return { targets, labels: labels ?? {} };
}

function decodeList(root: JsonNode, version: PromVersion): DecodedGroup[] {
  if (root.kind === 'null') return [];
  if (root.kind !== 'array') {
    const error = typeError(root, '[]*targetgroup.Group', null);
    throw new Fatal(error.message, error.offset);
  }
  const groups: DecodedGroup[] = [];
  let nil: JsonNode | null = null;
  for (const item of root.items) {
    if (item.kind === 'null') nil ??= item;
    else groups.push(decodeGroup(item, version));
  }
  if (nil) throw new Fatal(NIL_GROUP, nil.offset);
  return groups;
}

/**
 * Reads a JSON list of target groups from bytes, or fails as Prometheus fails, with the line and
 * column of the fault (a syntax error's offending byte, the value of the wrong type, the key).
 */
export function readJsonGroups(b: Uint8Array, version: PromVersion): DecodedGroups {
  const fast = plainGroups(b, version);
  if (fast !== null) return { ok: true, groups: fast };
  const parsed = parseGoJson(b);
  if (!parsed.ok) {
    return { ok: false, message: parsed.message, position: lineColumn(b, parsed.offset) };
  }
  try {
    return { ok: true, groups: decodeList(parsed.value, version) };
  } catch (error) {
    if (!(error instanceof Fatal)) throw error;
    return { ok: false, message: error.message, position: lineColumn(b, error.offset) };
  }
}

// Keeps a BOM (JSON.parse then refuses it, and Go's error is worded the exact way).
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The common document, read at JSON.parse's speed: valid UTF-8, a list of objects with exactly the
 * keys `targets` (strings) and `labels` (string values, valid names). Anything else (Go's
 * case-insensitive field names, nulls, unknown fields, wrong types, `__proto__`) returns null and
 * takes the exact, slower way above, which also words the errors as Go does. The two agree on
 * every document the fast way accepts: both keep the last of duplicate keys.
 */
function plainGroups(b: Uint8Array, version: PromVersion): DecodedGroup[] | null {
  let root: unknown;
  try {
    root = JSON.parse(strictUtf8.decode(b));
  } catch {
    return null;
  }
  if (!Array.isArray(root)) return null;
  const groups: DecodedGroup[] = [];
  for (const item of root as unknown[]) {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return null;
    const group = item as Record<string, unknown>;
    const keys = Object.keys(group);
    if (keys.some((k) => k !== 'targets' && k !== 'labels')) return null;
    const targets = group.targets;
    if (!Array.isArray(targets)) return null;
    const decoded: LabelSet[] = [];
    for (const t of targets as unknown[]) {
      // A lone surrogate escape (`"\ud800"`) is U+FFFD in Go: the exact way handles it.
      if (typeof t !== 'string' || !t.isWellFormed()) return null;
      decoded.push({ __address__: t });
    }
    const labels = group.labels ?? {};
    if (typeof labels !== 'object' || Array.isArray(labels)) return null;
    for (const [name, value] of Object.entries(labels)) {
      if (
        typeof value !== 'string' ||
        !value.isWellFormed() ||
        name === '__proto__' ||
        !isValidLabelName(name, version)
      )
        return null;
    }
    groups.push({ targets: decoded, labels: labels as LabelSet });
  }
  return groups;
}
