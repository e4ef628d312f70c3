/**
 * The exposition parser: Prometheus text 0.0.4 and OpenMetrics 1.0 text, streamed.
 *
 * `ExpositionStream` (or `parseExposition` for a whole body) is what the rest of scrape-check
 * uses; `createCursor` gives the pull cursor underneath, for callers that want entries one by one.
 */
export { ExpositionStream, parseExposition } from './stream.ts';
export { DEFAULT_MAX_LINE_BYTES } from './options.ts';
export { detectFormat } from './detect.ts';
export { Entry } from './types.ts';
export type { PullCursor } from './types.ts';
export { createCursor } from './formats.ts';
export type {
  ExpositionFormat,
  ExpositionOptions,
  ExpositionResult,
  Family,
  ParseFailure,
  SampleRef,
} from './types.ts';
