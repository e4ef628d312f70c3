/** Picks the line grammar for a format. */
import { OpenMetricsScanner } from './openmetrics.ts';
import { PrometheusScanner } from './prometheus.ts';
import type { Scanner, ScrapeRules } from './scanner.ts';
import { DEFAULT_MAX_LINE_BYTES } from './options.ts';
import type { ExpositionFormat, PullCursor } from './types.ts';

/** The full scanner, raw accessors included, for this folder; `scrape` for scrape mode. */
export function makeScanner(
  format: ExpositionFormat,
  maxLineBytes: number,
  scrape: ScrapeRules | null = null,
): Scanner {
  return format === 'openmetrics'
    ? new OpenMetricsScanner(format, maxLineBytes, scrape)
    : new PrometheusScanner(format, maxLineBytes, scrape);
}

/**
 * A pull cursor for `format`. Lines longer than `maxLineBytes` (default 16 MiB) are refused.
 *
 * @example
 * const cursor = createCursor('openmetrics');
 */
export function createCursor(
  format: ExpositionFormat,
  maxLineBytes = DEFAULT_MAX_LINE_BYTES,
): PullCursor {
  return makeScanner(format, maxLineBytes);
}
