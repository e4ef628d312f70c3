/**
 * The sinks: where results go besides the command's output. `createSinks` builds the set a config
 * asks for; each sink also stands alone.
 */
import type { SinksConfig } from '#lib/config/index.ts';
import { createEmfSink, type EmfSinkOptions } from './emf.ts';
import { createLogSink, type ResultLogger } from './log.ts';
import { createRemoteWriteSink, type RemoteWriteOptions } from './remote-write.ts';
import type { Sink } from './types.ts';

export { createEmfSink, dimensionValue, emfDocument, EMF_DIMENSIONS, EMF_METRICS } from './emf.ts';
export type { EmfDocument, EmfMetric, EmfSinkOptions } from './emf.ts';
export { createLogSink, logFields } from './log.ts';
export type { ResultLogger } from './log.ts';
export { createRemoteWriteSink } from './remote-write.ts';
export type { RemoteWriteOptions } from './remote-write.ts';
export { SERIES, toTimeSeries } from './series.ts';
export { snappyCompress } from './snappy.ts';
export { encodeWriteRequest } from './write-request.ts';
export type { Sink, SinkContext, SinkInput } from './types.ts';

export interface SinkSetOptions {
  /**
   * Where the run happens. `lambda`: EMF and log lines on stdout, plus remote_write when
   * configured. `cli`: remote_write only (the table or the JSON is the CLI's own output).
   */
  environment: 'lambda' | 'cli';
  /** Receives one line per sink failure, without secrets. */
  warn: (message: string) => void;
  /** The logger for the logs sink (required in Lambda). */
  logger?: ResultLogger;
  emf?: Omit<EmfSinkOptions, 'namespace'>;
  remoteWrite?: RemoteWriteOptions;
}

export interface SinkSet {
  sinks: Sink[];
  /**
   * The remote_write `forward` patterns, for the runner to pick the samples handed to the sinks.
   * Unanchored, as JavaScript reads them: write `^name$` to match one name exactly.
   */
  forward: RegExp[];
}

/**
 * Builds the sinks `config.sinks` asks for.
 *
 * @example
 * const { sinks, forward } = createSinks(config.sinks, { environment: 'cli', warn: (m) => stderr.write(`${m}\n`) });
 * await runChecks(config, { sinks, forward });
 */
export function createSinks(config: SinksConfig, options: SinkSetOptions): SinkSet {
  const sinks: Sink[] = [];
  if (options.environment === 'lambda') {
    sinks.push(
      createEmfSink({
        ...options.emf,
        ...(config.emf ? { namespace: config.emf.namespace } : {}),
      }),
    );
    if (options.logger) sinks.push(createLogSink(options.logger));
  }
  const remoteWrite = config.remote_write;
  if (remoteWrite) {
    sinks.push(
      createRemoteWriteSink(remoteWrite, { warn: options.warn }, options.remoteWrite ?? {}),
    );
  }
  const forward = (remoteWrite?.forward ?? []).map((pattern) => new RegExp(pattern));
  return { sinks, forward };
}
