/**
 * prometheus/common `model.Duration`, as PopulateLabels prints and reads `__scrape_interval__` and
 * `__scrape_timeout__`. Prometheus 2.42 uses common v0.39.0 and HEAD uses v0.70.1; they format
 * alike but parse with different code and different errors:
 * https://github.com/prometheus/common/blob/v0.39.0/model/time.go and
 * https://github.com/prometheus/common/blob/v0.70.1/model/time.go (`ParseDuration`, `String`).
 *
 * `lib/config/units.ts` `formatDuration` is not reused: it writes `12w6d` where Prometheus writes
 * `90d` (years and weeks only when they divide the duration exactly).
 */
import type { PromVersion } from './types.ts';
import { goQuote } from './go-strings.ts';

const MS = { y: 31_536_000_000, w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 };

/** Formats milliseconds as `model.Duration.String()` does: `1m`, `30s`, `1m30s`, `90d`, `1w`, `0s`. */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = Math.abs(ms);
  let out = '';
  const unit = (name: string, size: number, exact: boolean): void => {
    if (exact && rest % size !== 0) return;
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${name}`;
      rest -= n * size;
    }
  };
  unit('y', MS.y, true);
  unit('w', MS.w, true);
  unit('d', MS.d, false);
  unit('h', MS.h, false);
  unit('m', MS.m, false);
  unit('s', MS.s, false);
  unit('ms', 1, false);
  return ms < 0 ? `-${out}` : out;
}

/** Milliseconds, or Prometheus's complaint word for word. */
export type ParsedDuration = { ok: true; ms: number } | { ok: false; error: string };

const MAX_NS = (1n << 63n) - 1n;
const NS_PER_MS = 1_000_000n;

// v0.39.0: one regular expression, each unit at most once and in order.
const DURATION_RE =
  /^(?:([0-9]+)y)?(?:([0-9]+)w)?(?:([0-9]+)d)?(?:([0-9]+)h)?(?:([0-9]+)m)?(?:([0-9]+)s)?(?:([0-9]+)ms)?$/;
const ORDER = [MS.y, MS.w, MS.d, MS.h, MS.m, MS.s, 1];

function parseV039(s: string): ParsedDuration {
  const match = DURATION_RE.exec(s);
  if (!match) return { ok: false, error: `not a valid duration string: ${goQuote(s)}` };
  let ns = 0n;
  for (let i = 0; i < ORDER.length; i++) {
    const digits = match[i + 1];
    if (digits !== undefined) ns += BigInt(digits) * BigInt(ORDER[i]!) * NS_PER_MS;
  }
  if (ns > MAX_NS) return { ok: false, error: 'duration out of range' };
  return { ok: true, ms: Number(ns / NS_PER_MS) };
}

// v0.70.1: a scanner that names the unit it does not know.
const UNITS: Record<string, { pos: number; ms: number }> = {
  ms: { pos: 7, ms: 1 },
  s: { pos: 6, ms: MS.s },
  m: { pos: 5, ms: MS.m },
  h: { pos: 4, ms: MS.h },
  d: { pos: 3, ms: MS.d },
  w: { pos: 2, ms: MS.w },
  y: { pos: 1, ms: MS.y },
};
const MAX_UINT64 = (1n << 64n) - 1n;

function parseV070(s: string): ParsedDuration {
  const invalid: ParsedDuration = {
    ok: false,
    error: `not a valid duration string: ${goQuote(s)}`,
  };
  const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
  let ns = 0n;
  let lastPos = 0;
  let i = 0;
  while (i < s.length) {
    if (!isDigit(s[i])) return invalid;
    const start = i;
    while (isDigit(s[i])) i++;
    const v = BigInt(s.slice(start, i));
    if (v > MAX_UINT64) return invalid;
    const unitStart = i;
    while (i < s.length && !isDigit(s[i])) i++;
    if (i === unitStart) return invalid;
    const name = s.slice(unitStart, i);
    const unit = Object.hasOwn(UNITS, name) ? UNITS[name] : undefined;
    if (!unit)
      return { ok: false, error: `unknown unit ${goQuote(name)} in duration ${goQuote(s)}` };
    if (unit.pos <= lastPos) return invalid;
    lastPos = unit.pos;
    const mult = BigInt(unit.ms) * NS_PER_MS;
    if (v > (1n << 63n) / mult) return { ok: false, error: 'duration out of range' };
    ns += v * mult;
    if (ns > MAX_NS) return { ok: false, error: 'duration out of range' };
  }
  return { ok: true, ms: Number(ns / NS_PER_MS) };
}

/** `model.ParseDuration` of the prometheus/common release the given Prometheus version uses. */
export function parseGoDuration(s: string, version: PromVersion): ParsedDuration {
  if (s === '0') return { ok: true, ms: 0 };
  if (s === '') return { ok: false, error: 'empty duration string' };
  return version === '2' ? parseV039(s) : parseV070(s);
}
