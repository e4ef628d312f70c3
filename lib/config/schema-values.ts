/**
 * The value types the config schema is built from: Prometheus durations and sizes, limits, scrape
 * protocols, targets, and the Prometheus keys accepted without being acted on.
 */
import * as z from 'zod/mini';
import { parseDuration, parseSize } from './units.ts';

/** Keys Prometheus knows and scrape-check accepts without acting on them (warned about later). */
export function ignoredKeys(
  keys: readonly string[],
): Record<string, z.ZodMiniOptional<z.ZodMiniUnknown>> {
  return Object.fromEntries(keys.map((key) => [key, z.optional(z.unknown())]));
}

/** A Prometheus duration (`1m30s`), read into milliseconds. */
export const duration = z.pipe(
  z.string({ error: 'expected a duration such as 10s or 1m30s' }),
  z.transform((text: string, ctx) => {
    const ms = parseDuration(text);
    if (ms === undefined) {
      ctx.issues.push({
        code: 'custom',
        message: `"${text}" is not a Prometheus duration (use units y, w, d, h, m, s, ms in that order, e.g. 1m30s)`,
        input: text,
      });
      return z.NEVER;
    }
    return ms;
  }),
);

/** A Prometheus size (`64MiB`, or 0), read into bytes. */
export const size = z.pipe(
  z.union([z.string(), z.number()], { error: 'expected a size such as 64MiB, or 0' }),
  z.transform((raw: string | number, ctx) => {
    const bytes = parseSize(String(raw));
    if (bytes === undefined) {
      ctx.issues.push({
        code: 'custom',
        message: `"${String(raw)}" is not a size (a number with a unit: B, KiB, MiB, GiB, or 0 for no limit)`,
        input: raw,
      });
      return z.NEVER;
    }
    return bytes;
  }),
);

/** A sample or label limit: a whole number, 0 meaning none. */
export const limit = z.number().check(z.int(), z.nonnegative());

/** The protocols of Prometheus 3's `scrape_protocols`. */
export const SCRAPE_PROTOCOLS = [
  'OpenMetricsText1.0.0',
  'OpenMetricsText0.0.1',
  'PrometheusText1.0.0',
  'PrometheusText0.0.4',
  'PrometheusProto',
] as const;
/** One of SCRAPE_PROTOCOLS. */
export const scrapeProtocol = z.enum(SCRAPE_PROTOCOLS);

// A target is host:port, as Prometheus's static_configs wants it (no scheme, no path).
export const target = z.string().check(
  z.refine((t) => /^(\[[0-9a-fA-F:.]+\]|[^/:\s[\]]+)(:\d{1,5})?$/.test(t), {
    message:
      'a target is host or host:port, without a scheme or a path (put those in scheme and metrics_path)',
  }),
);

/** A string that is not empty. */
export const nonEmpty = (): z.ZodMiniString<string> => z.string().check(z.minLength(1));
