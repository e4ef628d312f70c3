/**
 * undici's `Client`, without the rest of undici. undici has no `exports` map and its root
 * (`index.js`) requires every dispatcher, `fetch`, WebSocket, EventSource, the cache and the mock
 * agent, none of which a bundler can drop: 742 KB minified against 467 KB for the client and
 * `request`, on every Lambda cold start. A scrape needs one `Client` per check and `request`.
 *
 * undici's root adds its API methods (`request`, `stream`, …) to `Dispatcher.prototype` when it
 * loads (undici `index.js`, `Object.assign(Dispatcher.prototype, api)`); a `Client` imported on its
 * own has no `request`. This module puts undici's own `request` on a subclass, so nothing of
 * undici's is changed for other importers. Types: `undici-internals.d.ts`.
 *
 * @example
 *   const client = new Client(url.origin, { connect });
 *   const response = await client.request({ path: '/metrics', method: 'GET' });
 */
import type { Client as UndiciClient } from 'undici';
import request from 'undici/lib/api/api-request.js';
import UndiciClientImpl from 'undici/lib/dispatcher/client.js';

class RequestClient extends UndiciClientImpl {}
// undici's own method, as its root installs it (same function, same `this`).
Object.defineProperty(RequestClient.prototype, 'request', {
  value: request,
  writable: true,
  configurable: true,
});

/** undici's `Client`, with `request`. */
export const Client: typeof UndiciClient = RequestClient;
/** An undici `Client`. */
export type Client = UndiciClient;
