/**
 * Checks shared by `file_sd_configs` and `http_sd_configs` entries, as they arrive from the config
 * loader (YAML already read into plain values): Go's strict YAML decoding refuses unknown keys
 * (`field foo not found in type file.plain`) and values of the wrong kind (`cannot unmarshal !!str
 * `a.json` into []string`), before the discovery's own `UnmarshalYAML` checks run.
 */
import { parseGoDuration } from './go-duration.ts';
import type { PromVersion } from './types.ts';

/** A key path inside the entry: `['files', 1]`. */
export type SdConfigPath = (string | number)[];

/**
 * A validated config, or the problem Prometheus would report and the key path it is at (one: like
 * Prometheus, validation stops at the first). The shape the other discoveries' validators share.
 */
export type SdConfigValidation<T> =
  { ok: true; config: T } | { ok: false; errors: { path: SdConfigPath; message: string }[] };

/** Thrown inside a validator to stop at the first problem, as Prometheus does. */
export class SdConfigProblem extends Error {
  readonly path: SdConfigPath;
  constructor(path: SdConfigPath | string, message: string) {
    super(message);
    this.path = typeof path === 'string' ? (path === '' ? [] : [path]) : path;
  }
}

/** yaml.v2's words for a value that cannot be decoded into `into`. */
export function cannotUnmarshal(value: unknown, into: string): string {
  let what: string;
  if (Array.isArray(value)) what = '!!seq';
  else if (value !== null && typeof value === 'object') what = '!!map';
  else {
    const text = String(value);
    const tag =
      typeof value === 'boolean'
        ? '!!bool'
        : typeof value === 'number'
          ? Number.isInteger(value)
            ? '!!int'
            : '!!float'
          : '!!str';
    what = `${tag} \`${text.length > 10 ? `${text.slice(0, 7)}...` : text}\``;
  }
  return `cannot unmarshal ${what} into ${into}`;
}

/** The entry as a record, refusing keys the Go type does not have. */
function strictRecord(
  raw: unknown,
  allowed: ReadonlySet<string>,
  typeName: string,
): Record<string, unknown> {
  if (raw === null || raw === undefined) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new SdConfigProblem('', cannotUnmarshal(raw, typeName));
  }
  const record = raw as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!allowed.has(key))
      throw new SdConfigProblem(key, `field ${key} not found in type ${typeName}`);
  }
  return record;
}

/** A scalar read into a Go string: yaml.v2 takes any scalar's text; null is `""`. */
export function scalarString(value: unknown, path: SdConfigPath | string): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') throw new SdConfigProblem(path, cannotUnmarshal(value, 'string'));
  // A number or bool: its text, as JSON writes it (`5`, `true`).
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** `refresh_interval` (a `model.Duration`), in milliseconds; `fallback` when absent. */
function refreshInterval(
  record: Record<string, unknown>,
  fallbackMs: number,
  version: PromVersion,
): number {
  const raw = record.refresh_interval;
  if (raw === undefined || raw === null) return fallbackMs;
  const parsed = parseGoDuration(scalarString(raw, 'refresh_interval'), version);
  if (!parsed.ok) throw new SdConfigProblem('refresh_interval', parsed.error);
  return parsed.ms;
}

/** Runs `check`, turning the first `SdConfigProblem` it throws into a value. */
function validate<T>(check: () => T): SdConfigValidation<T> {
  try {
    return { ok: true, config: check() };
  } catch (error) {
    if (!(error instanceof SdConfigProblem)) throw error;
    return { ok: false, errors: [{ path: error.path, message: error.message }] };
  }
}

/** What tells a refreshing discovery's entries apart: their Go type, keys and default interval. */
export interface RefreshingSd {
  /** The Go type named in decoding errors (`file.plain`). */
  typeName: string;
  keys: ReadonlySet<string>;
  /** `refresh_interval` when the entry has none. */
  defaultRefreshMs: number;
}

/**
 * Checks a `file_sd_configs` or `http_sd_configs` entry as its `UnmarshalYAML` does: unknown keys
 * first, then `refresh_interval`, then the discovery's own keys through `read`, which throws an
 * `SdConfigProblem` at the first problem.
 */
export function validateRefreshingSd<T>(
  raw: unknown,
  sd: RefreshingSd,
  version: PromVersion,
  read: (record: Record<string, unknown>) => T,
): SdConfigValidation<T & { refreshIntervalMs: number }> {
  return validate(() => {
    const record = strictRecord(raw, sd.keys, sd.typeName);
    const refreshIntervalMs = refreshInterval(record, sd.defaultRefreshMs, version);
    return { ...read(record), refreshIntervalMs };
  });
}
