/**
 * The `remote_write` sink: Prometheus remote_write 1.0
 * (https://prometheus.io/docs/specs/prw/remote_write_spec/): a snappy-compressed protobuf
 * `WriteRequest` POSTed with the spec's headers, retried with backoff on 5xx, 429 and network
 * errors ("MUST retry on 5xx", "MUST NOT retry on 4xx" except 429), and reported through
 * `SinkContext.warn` when it gives up. It never throws out of `flush()`.
 */
import { readFile } from 'node:fs/promises';
import pRetry, { AbortError } from 'p-retry';
import type { SinksConfig } from '#lib/config/index.ts';
import type { Sink, SinkContext, SinkInput } from './types.ts';
import { inlineSecrets, remoteWriteAuth, type AuthOptions } from './auth.ts';
import { SERIES_METADATA, toTimeSeries, type TimedInput } from './series.ts';
import { snappyCompress } from './snappy.ts';
import { encodeWriteRequest } from './write-request.ts';
import { post, type PostTls } from './http-post.ts';
import { USER_AGENT } from '#lib/scrape/user-agent.ts';

type RemoteWriteConfig = NonNullable<SinksConfig['remote_write']>;

/** Series per request, as Prometheus's `max_samples_per_send` default. */
const SERIES_PER_REQUEST = 2000;

export interface RemoteWriteOptions extends AuthOptions {
  /** Retries after the first attempt (default 3). */
  retries?: number;
  /** First backoff in ms (default 500), doubled each time, randomised. */
  minBackoffMs?: number;
  /** The clock for sample timestamps (tests). */
  now?: () => number;
}

/** A failed attempt, with whether the spec lets us try again. */
class RemoteWriteError extends Error {
  readonly retryable: boolean;
  constructor(message: string, retryable: boolean, options?: ErrorOptions) {
    super(message, options);
    this.name = 'RemoteWriteError';
    this.retryable = retryable;
  }
}

/** Reads `tls_config` (its files at send time, so rotated files are used). */
async function tlsSettings(config: RemoteWriteConfig): Promise<PostTls | undefined> {
  const tls = config.tls_config;
  if (!tls) return undefined;
  const read = async (inline?: string, file?: string): Promise<string | undefined> =>
    file !== undefined ? readFile(file, 'utf8') : inline;
  const [ca, cert, key] = await Promise.all([
    read(tls.ca, tls.ca_file),
    read(tls.cert, tls.cert_file),
    read(tls.key, tls.key_file),
  ]);
  return {
    ...(ca !== undefined ? { ca } : {}),
    ...(cert !== undefined ? { cert } : {}),
    ...(key !== undefined ? { key } : {}),
    ...(tls.server_name !== undefined ? { servername: tls.server_name } : {}),
    rejectUnauthorized: tls.insecure_skip_verify !== true,
  };
}

function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join('<redacted>');
  return out;
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${typeof code === 'string' ? `${code} ` : ''}${error.message}${cause}`;
}

/**
 * Creates the remote_write sink. `write()` only buffers; `flush()` sends everything buffered.
 *
 * @example
 * const sink = createRemoteWriteSink(config.sinks.remote_write, { warn: console.error });
 * sink.write({ result, forwarded: [] });
 * await sink.flush();
 */
export function createRemoteWriteSink(
  config: RemoteWriteConfig,
  context: SinkContext,
  options: RemoteWriteOptions = {},
): Sink {
  const buffered: TimedInput[] = [];
  const now = options.now ?? Date.now;
  const authenticate = remoteWriteAuth(config, options);
  const secrets = inlineSecrets(config);
  const url = new URL(config.url);
  const retries = options.retries ?? 3;

  async function send(body: Uint8Array, tls: PostTls | undefined): Promise<void> {
    const headers = await authenticate({
      url,
      body,
      headers: {
        'content-encoding': 'snappy',
        'content-type': 'application/x-protobuf',
        'user-agent': USER_AGENT,
        'x-prometheus-remote-write-version': '0.1.0',
      },
    });
    let response: { status: number; text: string };
    try {
      response = await post(url, headers, body, {
        timeoutMs: config.timeout,
        ...(tls ? { tls } : {}),
      });
    } catch (error) {
      throw new RemoteWriteError(describeError(error), true, { cause: error });
    }
    const { status } = response;
    if (status >= 200 && status < 300) return;
    const text = response.text.slice(0, 300).trim();
    const message = `HTTP ${status}${text ? `: ${text}` : ''}`;
    throw new RemoteWriteError(message, status >= 500 || status === 429);
  }

  async function flush(): Promise<void> {
    if (buffered.length === 0) return;
    const inputs = buffered.splice(0);
    try {
      const tls = await tlsSettings(config);
      const series = toTimeSeries(inputs);
      for (let start = 0; start < series.length; start += SERIES_PER_REQUEST) {
        const chunk = series.slice(start, start + SERIES_PER_REQUEST);
        const body = snappyCompress(encodeWriteRequest(chunk, start === 0 ? SERIES_METADATA : []));
        let attempts = 0;
        await pRetry(
          async () => {
            attempts++;
            try {
              await send(body, tls);
            } catch (error) {
              if (error instanceof RemoteWriteError && !error.retryable) {
                throw new AbortError(error);
              }
              throw error;
            }
          },
          {
            retries,
            minTimeout: options.minBackoffMs ?? 500,
            factor: 2,
            randomize: true,
            shouldRetry: () => true,
          },
        ).catch((error: unknown) => {
          const plural = attempts === 1 ? 'attempt' : 'attempts';
          throw new Error(
            `${chunk.length} series to ${url.origin}${url.pathname}, ${attempts} ${plural}: ${describeError(error)}`,
          );
        });
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      context.warn(scrub(`sink remote_write failed: ${message}`, secrets));
    }
  }

  return {
    name: 'remote_write',
    write({ result, forwarded }: SinkInput): void {
      buffered.push({ result, forwarded, timestampMs: now() });
    },
    flush,
  };
}
