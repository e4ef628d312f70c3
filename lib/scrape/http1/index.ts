/**
 * HTTP/1.x responses read as Go's net/http (go1.19, the Go of Debian's Prometheus 2.42) reads them:
 * the public surface of `lib/scrape/http1`.
 */
export { exchange, Http1Body } from './exchange.ts';
export type { Http1Request, Http1Response, ResponseWatch } from './exchange.ts';
export { HTTP1_ERROR, Http1Error } from './errors.ts';
export type { Http1ErrorCode } from './errors.ts';
export { GoHeader, canonicalKey } from './header.ts';
export { MAX_HEAD_BYTES, ResponseReader } from './response-reader.ts';
export type { Http1Head, ReaderEvents } from './response-reader.ts';
