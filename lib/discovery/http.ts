/**
 * `http_sd_configs`: target groups fetched from an HTTP endpoint, as Prometheus fetches them
 * (prometheus/prometheus `discovery/http/http.go` `Refresh`, the same in 2.42 and 3.x; the
 * protocol is `docs/http_sd.md`).
 *
 * One GET with `Accept: application/json` and `X-Prometheus-Refresh-Interval-Seconds`. The answer
 * must be 200 (`server returned HTTP status 404 Not Found`), with a JSON Content-Type
 * (`unsupported content type "text/html"`), holding a list of `{targets, labels}` groups decoded
 * strictly (`json: unknown field "foo"`). Every group gets `__meta_url` and source `<url>:<index>`.
 *
 * A failed refresh leaves Prometheus with the targets of its last good one (none on a fresh
 * start); here it is a failure with Prometheus's message.
 */
import { USER_AGENT } from '#lib/scrape/user-agent.ts';
import { goQuote } from './go-strings.ts';
import { parseGoUrl } from './go-url.ts';
import { readJsonGroups } from './group-json.ts';
import { httpSdKeys, validateHttpClient } from './http-client-config.ts';
import { defaultHttpSdRequest, RequestError, type HttpSdRequest } from './http-request.ts';
import {
  scalarString,
  SdConfigProblem,
  validateRefreshingSd,
  type SdConfigValidation,
} from './sd-config.ts';
import { nameGroups } from './target-groups.ts';
import type { DiscoveryOutcome, PromVersion, TargetGroup } from './types.ts';

export {
  defaultHttpSdRequest,
  RequestError,
  type HttpSdRequest,
  type HttpSdResponse,
} from './http-request.ts';

/** A validated `http_sd_configs` entry; its HTTP client keys are the caller's to honour. */
export interface HttpSdConfig {
  url: string;
  refreshIntervalMs: number;
}

/**
 * Checks an `http_sd_configs` entry as `SDConfig.UnmarshalYAML` does: `URL is missing`, Go's
 * `url.Parse` errors, `URL scheme must be 'http' or 'https'`, `host is missing in URL`, and in 3.x
 * the HTTP client checks (`at most one of basic_auth, oauth2 & authorization must be configured`).
 */
export function validateHttpSdConfig(
  raw: unknown,
  version: PromVersion,
): SdConfigValidation<HttpSdConfig> {
  const sd = { typeName: 'http.plain', keys: httpSdKeys(version), defaultRefreshMs: 60_000 };
  return validateRefreshingSd(raw, sd, version, (record) => {
    const url = scalarString(record.url, 'url');
    if (url === '') throw new SdConfigProblem('url', 'URL is missing');
    const parsed = parseGoUrl(url);
    if (!parsed.ok) throw new SdConfigProblem('url', parsed.error);
    if (parsed.scheme !== 'http' && parsed.scheme !== 'https') {
      throw new SdConfigProblem('url', "URL scheme must be 'http' or 'https'");
    }
    if (parsed.host === '') throw new SdConfigProblem('url', 'host is missing in URL');
    if (version === '3') validateHttpClient(record);
    return { url };
  });
}

// discovery/http/http.go matchContentType, `^(?i:application\/json(;\s*charset=("utf-8"|utf-8))?)$`:
// RE2's \s is [\t\n\f\r ]; its (?i) folds like JavaScript's `iu`.
const CONTENT_TYPE = /^application\/json(?:;[\t\n\f\r ]*charset=(?:"utf-8"|utf-8))?$/iu;

/** Whether Prometheus accepts this Content-Type for an http_sd answer (after Go's TrimSpace). */
export function isHttpSdContentType(value: string): boolean {
  return CONTENT_TYPE.test(value.replace(/^[\t\n\v\f\r \x85\xa0]+|[\t\n\v\f\r \x85\xa0]+$/g, ''));
}

/** Options for one refresh. */
export interface HttpDiscoveryOptions {
  /** Which label names the answer may use (2.42: `[a-zA-Z_][a-zA-Z0-9_]*`; 3.x: any UTF-8). */
  version: PromVersion;
  /** The HTTP client, with the job's TLS and credentials; `defaultHttpSdRequest()` when absent. */
  request?: HttpSdRequest;
  /**
   * How many groups the previous refresh gave: Prometheus sends an empty group for each index the
   * list no longer has, so the scrape pool drops their targets. 0 for a first refresh.
   */
  previousGroupCount?: number;
}

const failure = (message: string): DiscoveryOutcome => ({
  ok: false,
  failure: { message, status: null },
});

/**
 * Fetches the groups once, as one `Refresh` does.
 * @example
 *   const outcome = await discoverHttp({ url: 'http://sd.internal/targets', refreshIntervalMs: 60_000 },
 *     { version: '3' });
 */
export async function discoverHttp(
  config: HttpSdConfig,
  options: HttpDiscoveryOptions,
): Promise<DiscoveryOutcome> {
  const request = options.request ?? defaultHttpSdRequest();
  const headers = {
    'user-agent': USER_AGENT,
    accept: 'application/json',
    // strconv.FormatFloat(seconds, 'f', -1, 64): `60`, `0.5`.
    'x-prometheus-refresh-interval-seconds': String(config.refreshIntervalMs / 1000),
  };
  let response;
  try {
    response = await request(config.url, headers);
  } catch (error) {
    // net/http's *url.Error: `Get "http://…": dial tcp …: connect: connection refused`.
    const url = error instanceof RequestError ? error.url : config.url;
    return failure(
      `Get ${goQuote(url)}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (response.status !== 200) {
    const reason = response.statusText ? ` ${response.statusText}` : '';
    return {
      ok: false,
      failure: {
        message: `server returned HTTP status ${response.status}${reason}`,
        status: response.status,
      },
    };
  }
  // Header.Get gives the first value, "" when there is none.
  const header = response.headers['content-type'];
  const contentType = (Array.isArray(header) ? header[0] : header) ?? '';
  if (!isHttpSdContentType(contentType)) {
    return failure(`unsupported content type ${goQuote(contentType)}`);
  }
  const decoded = readJsonGroups(response.body, options.version);
  if (!decoded.ok) {
    const where = decoded.position
      ? ` (line ${decoded.position.line}, column ${decoded.position.column} of the answer)`
      : '';
    return failure(`${decoded.message}${where}`);
  }
  const groups: TargetGroup[] = nameGroups(decoded.groups, config.url, '__meta_url', config.url);
  for (let i = groups.length; i < (options.previousGroupCount ?? 0); i++) {
    groups.push({ source: `${config.url}:${i}`, targets: [], labels: {} });
  }
  return { ok: true, groups, warnings: [] };
}
