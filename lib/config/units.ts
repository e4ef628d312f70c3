/**
 * Prometheus's duration and size syntax, exactly as it reads them, so a `prometheus.yml` that
 * Prometheus accepts is accepted here and one it refuses is refused with the same complaint.
 */

const DURATION_UNITS_MS = {
  y: 365 * 24 * 3_600_000,
  w: 7 * 24 * 3_600_000,
  d: 24 * 3_600_000,
  h: 3_600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
} as const;

// common/model ParseDuration: units in this order, each at most once, integers only.
// https://github.com/prometheus/common/blob/main/model/time.go (durationRE)
const DURATION_RE =
  /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;

/** Parses `1m30s` into milliseconds; `undefined` when Prometheus would refuse the text. */
export function parseDuration(text: string): number | undefined {
  if (text === '0') return 0;
  if (text === '') return undefined;
  const match = DURATION_RE.exec(text);
  if (!match) return undefined;
  const order = [
    DURATION_UNITS_MS.y,
    DURATION_UNITS_MS.w,
    DURATION_UNITS_MS.d,
    DURATION_UNITS_MS.h,
    DURATION_UNITS_MS.m,
    DURATION_UNITS_MS.s,
    DURATION_UNITS_MS.ms,
  ];
  let total = 0;
  for (let i = 0; i < order.length; i++) {
    const part = match[i + 1];
    if (part !== undefined) total += Number(part) * order[i]!;
  }
  return Number.isSafeInteger(total) ? total : undefined;
}

/** Formats milliseconds the way Prometheus prints a duration (`1m30s`, `500ms`). */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let out = '';
  for (const [unit, size] of Object.entries(DURATION_UNITS_MS)) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}

const SIZE_UNITS: Record<string, number> = {
  B: 1,
  KB: 2 ** 10,
  KiB: 2 ** 10,
  MB: 2 ** 20,
  MiB: 2 ** 20,
  GB: 2 ** 30,
  GiB: 2 ** 30,
  TB: 2 ** 40,
  TiB: 2 ** 40,
  PB: 2 ** 50,
  PiB: 2 ** 50,
  EB: 2 ** 60,
  EiB: 2 ** 60,
};

/**
 * Parses Prometheus's `body_size_limit` (alecthomas/units ParseBase2Bytes: `KB` and `KiB` are both
 * 1024, components may repeat as in `1GiB512MiB`, `0` alone needs no unit); `undefined` when
 * Prometheus would refuse it.
 */
export function parseSize(text: string): number | undefined {
  if (text === '0') return 0;
  const re = /(\d+(?:\.\d+)?)([A-Za-z]+)/y;
  let total = 0;
  let pos = 0;
  while (pos < text.length) {
    re.lastIndex = pos;
    const match = re.exec(text);
    if (!match) return undefined;
    const size = SIZE_UNITS[match[2]!];
    if (size === undefined) return undefined;
    total += Number(match[1]) * size;
    pos = re.lastIndex;
  }
  return pos === 0 ? undefined : Math.floor(total);
}

/** Formats a byte count for people: `41.0 MiB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]!}`;
}
