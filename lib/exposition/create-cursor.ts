/** Picks the line grammar for a format. */
import type { ExpositionCursor, ScrapeRules } from './cursor.ts';
import { OpenMetricsCursor } from './openmetrics-cursor.ts';
import { PrometheusCursor } from './prometheus-cursor.ts';
import type { PullCursor } from './pull-cursor.ts';
import type { ExpositionFormat } from './types.ts';

/** The full cursor, raw accessors included, for this folder; `scrape` for scrape mode. */
export function makeCursor(
  format: ExpositionFormat,
  maxLineBytes: number,
  scrape: ScrapeRules | null = null,
): ExpositionCursor {
  return format === 'openmetrics'
    ? new OpenMetricsCursor(maxLineBytes, scrape)
    : new PrometheusCursor(maxLineBytes, scrape);
}

/**
 * A pull cursor for `format`. Lines longer than `maxLineBytes` (default 16 MiB) are refused.
 *
 * @example
 * const cursor = createCursor('openmetrics');
 */
export function createCursor(
  format: ExpositionFormat,
  maxLineBytes = 16 * 1024 * 1024,
): PullCursor {
  return makeCursor(format, maxLineBytes);
}
