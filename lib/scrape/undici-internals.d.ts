/**
 * Types for the two undici files `undici-client.ts` imports directly. undici publishes types for its
 * package root only; these files are CommonJS modules whose `module.exports` is exactly what the
 * root re-exports (undici `index.js`: `module.exports.Client = Client`, and `request` is put on
 * `Dispatcher.prototype` from `lib/api/api-request.js`), so they borrow the root's types.
 */
declare module 'undici/lib/dispatcher/client.js' {
  const Client: typeof import('undici').Client;
  export = Client;
}

declare module 'undici/lib/api/api-request.js' {
  const request: import('undici').Dispatcher['request'];
  export = request;
}
