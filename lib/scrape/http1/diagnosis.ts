/**
 * What a person reads when Go refuses a response: where it happened (the head, or the body after
 * the headers arrived, which is never a scheme problem), Go's own words as Prometheus shows them,
 * and what usually causes it.
 */
import { HTTP1_ERROR, Http1Error } from './errors.ts';
import type { GoRefusal } from './head.ts';

export interface RefusalContext {
  /** `host:port` of the target. */
  authority: string;
  tls: boolean;
  /** The first byte of the response, when one arrived (a TLS record says the port speaks TLS). */
  firstByte: number | null;
  /** Body bytes received, and the Content-Length, for a body cut short. */
  bodyBytes: number;
  contentLength: number | null;
}

function hint(refusal: GoRefusal): string {
  switch (refusal.code) {
    case HTTP1_ERROR.transferEncoding:
      return ': Go reads only one Transfer-Encoding field, and only "chunked"';
    case HTTP1_ERROR.contentLength:
      return ': Go needs one decimal Content-Length (repeated only with the same value)';
    case HTTP1_ERROR.headTooLarge:
      return ": the headers passed Go's 10 MiB limit";
    default:
      return '';
  }
}

/** The error carrying the verdict for a response Go refuses. */
export function refusalError(refusal: GoRefusal, ctx: RefusalContext, cause?: unknown): Http1Error {
  const at = ctx.authority;
  const go = `(Go's net/http: ${refusal.message})`;
  let text: string;
  switch (refusal.code) {
    case HTTP1_ERROR.noResponse:
      text = ctx.tls
        ? `${at} closed the connection before a complete response (EOF): a proxy or load balancer cut it, or the server crashed`
        : `${at} closed the connection before a complete response (EOF): if this port speaks TLS (etcd does this), use scheme: https; otherwise a proxy or load balancer cut it`;
      break;
    case HTTP1_ERROR.headCutShort:
      text = `${at} closed the connection in the middle of the response headers ${go}`;
      break;
    case HTTP1_ERROR.statusLine: {
      const tlsRecord = ctx.firstByte === 0x15 || ctx.firstByte === 0x16;
      text = `${at} did not answer with an HTTP/1.x status line ${go}${!ctx.tls && tlsRecord ? ': it answered with TLS; use scheme: https' : ''}`;
      break;
    }
    case HTTP1_ERROR.bodyCutShort:
      text =
        ctx.contentLength === null
          ? `the headers arrived, then ${at} closed the connection in the middle of the chunked body, after ${ctx.bodyBytes} bytes ${go}`
          : `the headers arrived, then ${at} closed the connection after ${ctx.bodyBytes} of the ${ctx.contentLength} bytes its Content-Length announced ${go}`;
      break;
    case HTTP1_ERROR.bodyConnection:
      text = `the headers arrived, then the connection to ${at} failed after ${ctx.bodyBytes} body bytes ${go}`;
      break;
    case HTTP1_ERROR.chunked:
    case HTTP1_ERROR.trailer:
      text = `the chunked body from ${at} is framed in a way Go refuses ${go}`;
      break;
    default:
      text = `${at} sent a response head Go refuses, so Prometheus fails the scrape too ${go}${hint(refusal)}`;
  }
  return new Http1Error(refusal.code, refusal.message, text, cause);
}
