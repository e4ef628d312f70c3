/**
 * `ExpositionOptions` as the stream takes them: checked once, when the stream is built, with the
 * defaults filled in.
 */
import type { ExpositionFormat, ExpositionOptions } from './types.ts';

const FORMATS = new Set<string>(['prometheus', 'openmetrics']);
const MODES = new Set<string>(['validate', 'scrape']);
const VERSIONS = new Set<string>(['2', '3']);

/** The default `maxLineBytes`: 16 MiB. */
export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

/** What `checkOptions` makes of `ExpositionOptions`: the parsing settings, defaults applied. */
export interface StreamSettings {
  format: ExpositionFormat;
  /** `maxLineBytes`. */
  maxLine: number;
  /** `mode: 'scrape'`. */
  scrape: boolean;
  /** `prometheusVersion: '2'`. */
  v2: boolean;
}

/**
 * Checks the options a caller may get wrong at run time (the values come from JavaScript, a CLI
 * or a config file as often as from typed code); throws a `RangeError` naming the option.
 *
 * @example
 * checkOptions({ format: 'prometheus', maxLineBytes: 0 }); // RangeError: maxLineBytes must be …
 */
export function checkOptions(options: ExpositionOptions): StreamSettings {
  const max = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  if (!Number.isInteger(max) || max < 1) {
    throw new RangeError(`maxLineBytes must be a positive integer, got ${max}`);
  }
  if (!FORMATS.has(options.format)) {
    throw new RangeError(
      `format must be prometheus or openmetrics, got ${JSON.stringify(options.format)}`,
    );
  }
  const mode = options.mode ?? 'validate';
  if (!MODES.has(mode)) {
    throw new RangeError(`mode must be validate or scrape, got ${JSON.stringify(mode)}`);
  }
  const version = options.prometheusVersion ?? '3';
  if (!VERSIONS.has(version)) {
    throw new RangeError(`prometheusVersion must be 2 or 3, got ${JSON.stringify(version)}`);
  }
  return { format: options.format, maxLine: max, scrape: mode === 'scrape', v2: version === '2' };
}
