/**
 * The logs sink: one structured log line per result, with the result's fields at the top level
 * (so Logs Insights can `filter reason != "ok"`). The result holds no secret by construction (only
 * token claims, never a token); forwarded and `--samples` samples are left out, they belong in a
 * metrics store, not a log line.
 */
import type { CheckResult } from '#lib/result/types.ts';
import type { Sink, SinkInput } from './types.ts';

/** What the sink needs of a logger; Powertools' `Logger` fits. */
export interface ResultLogger {
  info(message: string, attributes: Record<string, unknown>): void;
}

/** The fields of a result that go into its log line. */
export function logFields(result: CheckResult): Record<string, unknown> {
  const fields: Record<string, unknown> = { ...result };
  delete fields.samples;
  return fields;
}

/**
 * Creates the logs sink.
 *
 * @example
 * const sink = createLogSink(new Logger({ serviceName: 'scrape-check' }));
 */
export function createLogSink(logger: ResultLogger): Sink {
  return {
    name: 'logs',
    write({ result }: SinkInput): void {
      logger.info(result.ok ? 'scrape ok' : 'scrape failed', logFields(result));
    },
    flush: () => Promise.resolve(),
  };
}
