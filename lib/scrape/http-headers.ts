/**
 * `http_headers` (Prometheus 3, prometheus/common `config/headers.go`): for each header, its
 * `values`, then its `secrets`, then the trimmed contents of its `files`, each added to the request
 * (`Header.Add`, so a header Prometheus already sends, `Accept`, gets a second line). Prometheus 2
 * has no such key: with version '2' nothing is sent.
 */
import { failure, type ScrapeFailure } from './failure.ts';
import { readSetting } from './read-setting.ts';
import type { HttpHeaders } from './types.ts';

/** prometheus/common `ReservedHeaders`: refused when the config loads; never sent from here either. */
export const RESERVED_HEADERS: ReadonlySet<string> = new Set([
  'Authorization',
  'Host',
  'Content-Encoding',
  'Content-Length',
  'Content-Type',
  'User-Agent',
  'Connection',
  'Keep-Alive',
  'Proxy-Authenticate',
  'Proxy-Authorization',
  'Www-Authenticate',
  'Accept-Encoding',
  'X-Prometheus-Remote-Write-Version',
  'X-Prometheus-Remote-Read-Version',
  'X-Prometheus-Scrape-Timeout-Seconds',
  'X-Amz-Date',
  'X-Amz-Security-Token',
  'X-Amz-Content-Sha256',
]);

/** Headers Go's Request.Write never writes from Header (net/http `reqWriteExcludeHeader`). */
const GO_NEVER_WRITES = new Set(['Transfer-Encoding', 'Trailer']);
/** Headers Go would send and undici refuses to (it owns these): warned about, not sent. */
const UNDICI_REFUSES = new Set(['Expect', 'Upgrade', 'Te']);
/** Dropped on a redirect to another host (net/http `makeHeadersCopier`, common `sensitiveHeadersOnRedirect`). */
export const CROSS_HOST_DROPPED: readonly string[] = ['cookie', 'cookie2'];

// RFC 9110 token characters (httpguts.ValidHeaderFieldName).
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** textproto.CanonicalMIMEHeaderKey: `x-api-key` → `X-Api-Key`; a name with other bytes stays. */
export function canonicalHeaderKey(name: string): string {
  if (!TOKEN.test(name)) return name;
  return name
    .toLowerCase()
    .replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
}

/** httpguts.ValidHeaderFieldValue: no control character but tab. */
function validValue(value: string): boolean {
  return !/[\x00-\x08\x0a-\x1f\x7f]/.test(value);
}

export interface ResolvedHeaders {
  /** Lower-case name → values, in the order Go adds them. */
  headers: Map<string, string[]>;
  /** Secret values and file contents, to scrub from output. */
  secrets: string[];
  warnings: string[];
}

/** Reads the headers' files (at check time, as Prometheus reads them at each scrape). */
export async function resolveHttpHeaders(
  config: HttpHeaders | null | undefined,
  version: '2' | '3',
): Promise<ResolvedHeaders | ScrapeFailure> {
  const out: ResolvedHeaders = { headers: new Map(), secrets: [], warnings: [] };
  if (!config || version === '2') return out;
  for (const [name, header] of Object.entries(config)) {
    const canonical = canonicalHeaderKey(name);
    if (RESERVED_HEADERS.has(canonical)) {
      out.warnings.push(
        `http_headers: setting header "${canonical}" is not allowed (Prometheus refuses it): not sent`,
      );
      continue;
    }
    if (!TOKEN.test(name))
      return failure(
        'config_invalid',
        `net/http: invalid header field name ${JSON.stringify(name)}`,
      );
    const values = [...header.values, ...header.secrets];
    out.secrets.push(...header.secrets);
    for (const file of header.files) {
      const text = await readSetting(file, `http_headers.${name}.files:`);
      if (typeof text !== 'string') return text;
      values.push(text.trim());
      out.secrets.push(text.trim());
    }
    if (!values.every(validValue)) {
      // Go leaves the value out of its error: it may be a secret.
      return failure(
        'config_invalid',
        `net/http: invalid header field value for ${JSON.stringify(canonical)} (in http_headers)`,
      );
    }
    if (GO_NEVER_WRITES.has(canonical)) continue;
    if (UNDICI_REFUSES.has(canonical)) {
      out.warnings.push(
        `http_headers.${name}: Prometheus would send this header and scrape-check cannot (its HTTP client manages ${canonical} itself): the verdict is reached without it`,
      );
      continue;
    }
    const key = canonical.toLowerCase();
    out.headers.set(key, [...(out.headers.get(key) ?? []), ...values]);
  }
  out.secrets = out.secrets.filter((s) => s.length > 0);
  return out;
}

/**
 * The request's headers with `extra` added the way Header.Add adds them: a name already present
 * gets the new values after its own.
 */
export function addHeaders(
  base: Record<string, string>,
  extra: ReadonlyMap<string, string[]>,
  dropped: readonly string[] = [],
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = { ...base };
  for (const [name, values] of extra) {
    if (dropped.includes(name) || values.length === 0) continue;
    const existing = out[name];
    const all =
      existing === undefined
        ? values
        : [...(Array.isArray(existing) ? existing : [existing]), ...values];
    out[name] = all.length === 1 ? all[0]! : all;
  }
  return out;
}

/**
 * prometheus/common `isCrossHostRedirect` for one hop: the new host is neither the original host
 * nor a subdomain of it (net/http `isDomainOrSubdomain`; ports do not count).
 */
export function leavesHost(original: URL, next: URL): boolean {
  const parent = original.hostname.toLowerCase();
  const sub = next.hostname.toLowerCase();
  if (sub === parent) return false;
  if (/[:%[]/.test(sub) || !sub.endsWith(parent)) return true;
  return sub[sub.length - parent.length - 1] !== '.';
}
