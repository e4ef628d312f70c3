/**
 * The exposition parser: Prometheus text 0.0.4 and OpenMetrics 1.0 text, streamed.
 *
 * `ExpositionStream` (or `parseExposition` for a whole body) is what the rest of scrape-check
 * uses; `createCursor` gives the pull cursor underneath, for callers that want entries one by one.
 */
export { ExpositionStream } from './stream.ts';
export { DEFAULT_MAX_LINE_BYTES } from './stream-options.ts';
export { parseExposition } from './parse.ts';
export { detectFormat } from './detect.ts';
export { Entry } from './pull-cursor.ts';
export type { PullCursor } from './pull-cursor.ts';
export { createCursor } from './create-cursor.ts';
export type {
  ExpositionFormat,
  ExpositionOptions,
  ExpositionResult,
  Family,
  ParseFailure,
  SampleRef,
} from './types.ts';
