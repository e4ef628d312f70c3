/**
 * What undici knows about a response and a failed read does not say: whether the response head had
 * arrived, and how many body bytes came before the connection died. Without it a body cut short
 * looks like a server that never spoke HTTP, and was blamed on the scheme (issue 13). undici
 * publishes both on its diagnostics channels (undici docs/api/DiagnosticsChannel.md): the socket a
 * request went out on (`undici:client:sendHeaders`), its response head (`undici:request:headers`)
 * and each body chunk (`undici:request:bodyChunkReceived`). The connector registers each socket it
 * hands to undici with the probe of its check; this module writes what arrives into that probe.
 *
 * The subscriptions are made on the first connection, not at import. A request on a socket the
 * connector did not make (the Kubernetes API client's, say) costs one WeakMap lookup per event.
 */
import { subscribe } from 'node:diagnostics_channel';
import type { ConnectionProbe } from './connector.ts';

/** The socket a check's request goes out on, to that check's probe. */
const bySocket = new WeakMap<object, ConnectionProbe>();
/** undici's request object, to the probe of the socket it went out on. */
const byRequest = new WeakMap<object, ConnectionProbe>();

let subscribed = false;

interface SendHeadersMessage {
  request: object;
  socket: object;
}

interface HeadersMessage {
  request: object;
  response: { statusCode: number; headers: unknown };
}

interface ChunkMessage {
  request: object;
  chunk: { length: number };
}

/**
 * The first Content-Length of a response head, as Go takes the first: a raw list
 * (`[name, value, name, value…]`, HTTP/1.1) or a header object (HTTP/2).
 */
function contentLength(headers: unknown): number | null {
  let value: unknown;
  if (Array.isArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2) {
      if (String(headers[i]).toLowerCase() === 'content-length') {
        value = headers[i + 1];
        break;
      }
    }
  } else if (typeof headers === 'object' && headers !== null) {
    value = (headers as Record<string, unknown>)['content-length'];
  }
  if (Array.isArray(value)) value = value[0];
  const text = typeof value === 'string' || Buffer.isBuffer(value) ? value.toString().trim() : '';
  return /^\d+$/.test(text) ? Number(text) : null;
}

function onSendHeaders(message: unknown): void {
  const { request, socket } = message as SendHeadersMessage;
  const probe = bySocket.get(socket);
  if (probe !== undefined) byRequest.set(request, probe);
}

function onHeaders(message: unknown): void {
  const { request, response } = message as HeadersMessage;
  const probe = byRequest.get(request);
  // An interim 1xx head is not the response.
  if (probe === undefined || response.statusCode < 200) return;
  probe.response = {
    status: response.statusCode,
    bodyBytes: 0,
    contentLength: contentLength(response.headers),
  };
}

function onChunk(message: unknown): void {
  const { request, chunk } = message as ChunkMessage;
  const response = byRequest.get(request)?.response;
  if (response) response.bodyBytes += chunk.length;
}

/** Records the response that will arrive on `socket` in `probe.response`. */
export function watchResponses(socket: object, probe: ConnectionProbe): void {
  if (!subscribed) {
    subscribed = true;
    subscribe('undici:client:sendHeaders', onSendHeaders);
    subscribe('undici:request:headers', onHeaders);
    subscribe('undici:request:bodyChunkReceived', onChunk);
  }
  bySocket.set(socket, probe);
}
