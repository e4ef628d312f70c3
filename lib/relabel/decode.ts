/**
 * Decodes one YAML-decoded relabel rule the way Prometheus's YAML library (go-yaml v2, strict
 * mode, `config.Load`) fills `relabel.Config`:
 *
 * - defaults first (`DefaultRelabelConfig`: replace, ";", `(.*)`, "$1"), then keys in document
 *   order; a null value leaves the Go zero value ("" / 0 / nil), so `regex: null` ends as "";
 * - a scalar of any type fills a string field with its text (`replacement: 1` is "1");
 * - type mismatches and unknown keys are collected ("cannot unmarshal !!seq into string",
 *   "field foo not found in type relabel.plain"), while an error from a field's own parser (a bad
 *   regex, an unknown action, an invalid source label name) stops the rule at once, as go-yaml's
 *   `callUnmarshaler` does (`fail(err)`).
 *
 * Go prefixes collected errors with "line N:"; here the path says where instead.
 */
import type { PromVersion } from '#lib/discovery/types.ts';
import { goToLower } from './case.ts';
import { goQuote } from './go-quote.ts';
import { isValidLabelName } from './label-names.ts';
import { compileRegex, type RelabelRegex } from './regex.ts';
import {
  RELABEL_ACTIONS,
  type DecodedRelabelConfig,
  type RelabelAction,
  type RelabelConfigError,
} from './types.ts';

const ACTIONS: ReadonlySet<string> = new Set(RELABEL_ACTIONS);
const MAX_UINT64 = 2n ** 64n - 1n;

/** A decoded rule, or what is wrong with it (paths relative to the rule). */
export type DecodeResult =
  { ok: true; config: DecodedRelabelConfig } | { ok: false; errors: RelabelConfigError[] };

/** Thrown inside decoding for errors that stop the rule (never escapes `decodeRelabelConfig`). */
class StopRule extends Error {
  readonly problem: RelabelConfigError;
  constructor(problem: RelabelConfigError) {
    super(problem.message);
    this.problem = problem;
  }
}

type Scalar = string | number | bigint | boolean;

function isScalar(v: unknown): v is Scalar {
  const t = typeof v;
  return t === 'string' || t === 'number' || t === 'bigint' || t === 'boolean';
}

/** go-yaml's short tag for a decoded value. */
function yamlTag(v: unknown): string {
  if (v === null || v === undefined) return '!!null';
  if (Array.isArray(v)) return '!!seq';
  switch (typeof v) {
    case 'string':
      return '!!str';
    case 'boolean':
      return '!!bool';
    case 'bigint':
      return '!!int';
    case 'number':
      return Number.isInteger(v) ? '!!int' : '!!float';
    default:
      return '!!map';
  }
}

/** go-yaml's `terror`: scalars are shown (cut to 7 characters + "..." past 10), collections not. */
function typeMessage(v: unknown, into: string): string {
  const tag = yamlTag(v);
  if (!isScalar(v)) return `cannot unmarshal ${tag} into ${into}`;
  const text = String(v);
  const shown = text.length > 10 ? text.slice(0, 7) + '...' : text;
  return `cannot unmarshal ${tag} \`${shown}\` into ${into}`;
}

interface Decoder {
  readonly version: PromVersion;
  readonly errors: RelabelConfigError[];
}

function stringField(d: Decoder, key: string, v: unknown, current: string): string {
  if (v === null) return '';
  if (isScalar(v)) return String(v);
  d.errors.push({ path: [key], message: typeMessage(v, 'string') });
  return current;
}

function sourceLabels(d: Decoder, v: unknown): string[] | null {
  if (v === null) return null;
  if (!Array.isArray(v)) {
    d.errors.push({ path: ['source_labels'], message: typeMessage(v, 'model.LabelNames') });
    return null;
  }
  // prometheus/common `LabelName.UnmarshalYAML`, with the global scheme: legacy in 2.42, UTF-8
  // in 3.x (`model.NameValidationScheme`, which 3.x requires to be UTF8).
  const scheme = d.version === '2' ? 'legacy' : 'utf8';
  const names: string[] = [];
  v.forEach((item: unknown, j) => {
    if (item === null || item === undefined) {
      names.push(''); // go-yaml skips the unmarshaler for null: the zero name, unchecked.
    } else if (!isScalar(item)) {
      d.errors.push({ path: ['source_labels', j], message: typeMessage(item, 'string') });
    } else if (!isValidLabelName(String(item), scheme)) {
      const message = `${goQuote(String(item))} is not a valid label name`;
      throw new StopRule({ path: ['source_labels', j], message });
    } else {
      names.push(String(item));
    }
  });
  return names;
}

/** Compiles a pattern known to be valid (the defaults). */
function mustCompile(source: string, version: PromVersion): RelabelRegex {
  const compiled = compileRegex(source, version);
  if (!compiled.ok) throw new Error(`relabel: built-in regex ${source}: ${compiled.message}`);
  return compiled.regex;
}

function regexField(d: Decoder, v: unknown): RelabelRegex | null {
  if (v === null) return null;
  if (!isScalar(v)) {
    d.errors.push({ path: ['regex'], message: typeMessage(v, 'string') });
    return null;
  }
  const compiled = compileRegex(String(v), d.version);
  if (!compiled.ok) throw new StopRule({ path: ['regex'], message: compiled.message });
  return compiled.regex;
}

/** go-yaml into uint64: non-negative ints, and floats truncated; anything else is a type error. */
function modulusField(d: Decoder, v: unknown): bigint {
  if (v === null) return 0n;
  let n: bigint | null = null;
  if (typeof v === 'bigint') n = v;
  else if (typeof v === 'number' && Number.isFinite(v)) n = BigInt(Math.trunc(v));
  if (n === null || n < 0n || n > MAX_UINT64) {
    d.errors.push({ path: ['modulus'], message: typeMessage(v, 'uint64') });
    return 0n;
  }
  return n;
}

/** `Action.UnmarshalYAML`: lowercased with Go's `strings.ToLower`; unknown names stop the rule. */
function actionField(d: Decoder, v: unknown): RelabelAction | '' {
  if (v === null) return '';
  if (!isScalar(v)) {
    d.errors.push({ path: ['action'], message: typeMessage(v, 'string') });
    return 'replace';
  }
  const lower = goToLower(String(v));
  if (ACTIONS.has(lower)) return lower as RelabelAction;
  throw new StopRule({ path: ['action'], message: `unknown relabel action ${goQuote(String(v))}` });
}

function decodeFields(d: Decoder, raw: Record<string, unknown>): DecodedRelabelConfig {
  let regex: RelabelRegex | null | undefined;
  const c: Omit<DecodedRelabelConfig, 'regex' | 'regexIsDefault'> = {
    sourceLabels: null,
    separator: ';',
    modulus: 0n,
    targetLabel: '',
    replacement: '$1',
    action: 'replace',
  };
  for (const [key, v] of Object.entries(raw)) {
    if (v === undefined) continue;
    if (key === 'source_labels') c.sourceLabels = sourceLabels(d, v);
    else if (key === 'separator') c.separator = stringField(d, key, v, c.separator);
    else if (key === 'regex') regex = regexField(d, v);
    else if (key === 'modulus') c.modulus = modulusField(d, v);
    else if (key === 'target_label') c.targetLabel = stringField(d, key, v, c.targetLabel);
    else if (key === 'replacement') c.replacement = stringField(d, key, v, c.replacement);
    else if (key === 'action') c.action = actionField(d, v);
    else d.errors.push({ path: [key], message: `field ${key} not found in type relabel.plain` });
  }
  // `Config.UnmarshalYAML`: a nil regex (the key was null) becomes the regex "".
  const fallback = mustCompile(regex === undefined ? '(.*)' : '', d.version);
  return { ...c, regex: regex ?? fallback, regexIsDefault: regex === undefined };
}

/**
 * Decodes one rule (an element of `relabel_configs`, already known not to be null).
 * Errors carry paths relative to the rule.
 */
export function decodeRelabelConfig(raw: unknown, version: PromVersion): DecodeResult {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, errors: [{ path: [], message: typeMessage(raw, 'relabel.plain') }] };
  }
  const d: Decoder = { version, errors: [] };
  try {
    const config = decodeFields(d, raw as Record<string, unknown>);
    return d.errors.length > 0 ? { ok: false, errors: d.errors } : { ok: true, config };
  } catch (error) {
    if (error instanceof StopRule) return { ok: false, errors: [error.problem] };
    throw error;
  }
}
