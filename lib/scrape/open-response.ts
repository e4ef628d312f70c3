/**
 * The response to one scrape request, over a connection of its own dialled with the check's
 * connector: HTTP/2 through undici when TLS's ALPN chose it, HTTP/1.x through `http1/`, which reads
 * a response exactly as Go's net/http does (where undici's parser is stricter in some places and
 * looser in others: issue 13).
 */
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import type { buildConnector } from 'undici';
import { exchange, type ResponseWatch } from './http1/index.ts';

export interface ScrapeResponse {
  statusCode: number;
  /** The first value of a response header, as Go's `Header.Get` gives it; undefined when absent. */
  header(name: string): string | undefined;
  body: Readable;
  /** What Go takes although HTTP forbids it (HTTP/1.x only); grows while the body is read. */
  notes: ReadonlySet<string>;
}

export interface OpenedResponse {
  response: ScrapeResponse;
  /** Ends the exchange: gracefully after a body read to its end, at once otherwise. */
  close(graceful: boolean): void;
}

export interface OpenOptions {
  connect: buildConnector.connector;
  /** The request target: a path and query, or an absolute URL through a forward proxy. */
  path: string;
  headers: Record<string, string | string[]>;
  signal: AbortSignal;
  /** Told of an HTTP/1.x response's head and body as they arrive (undici reports HTTP/2's). */
  watch?: ResponseWatch;
}

const NO_NOTES: ReadonlySet<string> = new Set();

function dial(connect: buildConnector.connector, url: URL): Promise<Socket | TLSSocket> {
  return new Promise((resolve, reject) => {
    connect(
      { hostname: url.hostname, host: url.host, protocol: url.protocol, port: url.port },
      (error, socket) => {
        if (error) reject(error);
        else resolve(socket);
      },
    );
  });
}

/** Sends the GET for `url` and resolves once the response head has arrived. */
export async function openResponse(url: URL, options: OpenOptions): Promise<OpenedResponse> {
  const socket = await dial(options.connect, url);
  const authority = `${url.hostname}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`;
  if ((socket as TLSSocket).alpnProtocol !== 'h2') {
    const response = await exchange(socket, {
      path: options.path,
      host: url.host,
      headers: options.headers,
      signal: options.signal,
      authority,
      tls: url.protocol === 'https:',
      ...(options.watch ? { watch: options.watch } : {}),
    });
    return {
      response: {
        statusCode: response.statusCode,
        header: (name) => response.header.get(name),
        body: response.body,
        notes: response.notes,
      },
      close: (graceful) => {
        if (!graceful || !response.body.readableEnded) response.body.destroy();
      },
    };
  }
  return openHttp2(url, socket, options);
}

async function openHttp2(
  url: URL,
  socket: Socket | TLSSocket,
  options: OpenOptions,
): Promise<OpenedResponse> {
  let handed = false;
  // undici's Client alone, not all of undici, and only once a server chose HTTP/2: HTTP/1.x (nearly
  // every scrape) never loads its 470 KB on a cold start.
  const { Client } = await import('./undici-client.ts');
  const client = new Client(url.origin, {
    // The connection is already made (and verified): hand it over once, never dial again.
    connect: (_opts, callback) => {
      if (handed) {
        callback(Object.assign(new Error('the connection closed'), { code: 'ECONNRESET' }), null);
        return;
      }
      handed = true;
      callback(null, socket);
    },
    allowH2: true,
    headersTimeout: 0,
    bodyTimeout: 0,
  });
  const close = (graceful: boolean): void => {
    void (graceful ? client.close() : client.destroy()).catch(() => undefined);
  };
  try {
    const response = await client.request({
      path: options.path,
      method: 'GET',
      headers: options.headers,
      signal: options.signal,
    });
    return {
      response: {
        statusCode: response.statusCode,
        header: (name) => {
          const value = response.headers[name.toLowerCase()];
          return Array.isArray(value) ? value[0] : value;
        },
        body: response.body,
        notes: NO_NOTES,
      },
      close,
    };
  } catch (error) {
    close(false);
    throw error;
  }
}
