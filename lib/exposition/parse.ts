/**
 * `parseExposition`: the whole body at once, for callers that already hold it.
 */
import { ExpositionStream } from './stream.ts';
import type { ExpositionOptions, ExpositionResult } from './types.ts';

const encoder = new TextEncoder();

/**
 * Parses a complete exposition.
 *
 * @example
 * const { series, error } = parseExposition(body, { format: 'prometheus' });
 * if (error) console.error(`${error.line}:${error.column}: ${error.message}`);
 */
export function parseExposition(
  input: Uint8Array | string,
  options: ExpositionOptions,
): ExpositionResult {
  const stream = new ExpositionStream(options);
  stream.write(typeof input === 'string' ? encoder.encode(input) : input);
  return stream.end();
}
