/**
 * `oauth2`: the token Prometheus fetches with golang.org/x/oauth2's client-credentials grant before
 * it scrapes, and the `Authorization` header it sends with it. What Go does
 * (`clientcredentials.tokenSource.Token`, `internal.RetrieveToken`, `doTokenRoundTrip`):
 *
 * - the form: `grant_type=client_credentials`, `scope` (scopes joined by spaces), then
 *   `endpoint_params` (which may replace grant_type but no other key), encoded as url.Values.Encode
 *   does (keys sorted, query-escaped);
 * - the auth style is probed: first the client id and secret in a Basic `Authorization` header
 *   (each query-escaped), and after any error once more in the form (`client_id`,
 *   `client_secret`, each only when not empty); the second attempt's error is the one reported;
 * - the answer is read as a form for `application/x-www-form-urlencoded` or `text/plain`, as JSON
 *   otherwise; Prometheus 2's x/oauth2 (v0.4.0) fails any non-2xx status with
 *   `oauth2: cannot fetch token: <status>\nResponse: <body>`, Prometheus 3's (v0.3x) names the
 *   RFC 6749 error code when there is one (`oauth2: "invalid_client"`), even in a 200;
 * - the token is reused until 10 s before `expires_in` runs out (never, without one).
 *
 * Failing to get a token is `token_request_failed`: the target was never asked. Settings that
 * cannot work (an unreadable client_secret_file, an endpoint param that would overwrite `scope`)
 * are `config_invalid`.
 */
import { createHash } from 'node:crypto';
import { failure, type ScrapeFailure } from './failure.ts';
import { postForm, type TokenResponse } from './oauth2-post.ts';
import { readSetting } from './read-setting.ts';
import { loadTlsMaterial } from './tls-material.ts';
import type { OAuth2Settings } from './types.ts';
import { USER_AGENT } from './user-agent.ts';

/** The header to send, and every value to scrub from output. */
export interface OAuth2Credentials {
  /** `Bearer <access token>`: a secret. */
  header: string;
  secrets: string[];
}

export interface OAuth2Context {
  version: '2' | '3';
  signal: AbortSignal;
  timeoutMs: number;
  now: () => number;
}

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const EXPIRY_DELTA_MS = 10_000; // golang.org/x/oauth2 defaultExpiryDelta
const MAX_CACHED = 1000;

interface Cached {
  header: string;
  token: string;
  expiresAt: number | null;
}

/** Tokens by everything that went into fetching them (the client secret included, hashed). */
const tokens = new Map<string, Cached>();

/** Forgets every cached token (tests; a rotated secret already misses the cache). */
export function clearOAuth2Tokens(): void {
  tokens.clear();
}

/** Go's url.QueryEscape: unreserved characters stay, a space is `+`, the rest is %XX. */
export function queryEscape(text: string): string {
  return encodeURIComponent(text)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/** Go's url.Values.Encode: keys sorted, each key's values in order. */
export function encodeForm(values: Map<string, string[]>): string {
  return [...values.keys()]
    .sort()
    .flatMap((key) => values.get(key)!.map((v) => `${queryEscape(key)}=${queryEscape(v)}`))
    .join('&');
}

/** Go's Token.Type: the canonical spelling of bearer, mac and basic, else the server's word. */
function tokenType(type: string): string {
  const lower = type.toLowerCase();
  if (lower === 'bearer' || type === '') return 'Bearer';
  if (lower === 'mac') return 'MAC';
  if (lower === 'basic') return 'Basic';
  return type;
}

/** The credentials for one scrape: a cached token, or a fresh one from the token endpoint. */
export async function oauth2Credentials(
  settings: OAuth2Settings,
  ctx: OAuth2Context,
): Promise<OAuth2Credentials | ScrapeFailure> {
  if (settings.grantType !== undefined && settings.grantType !== 'client_credentials') {
    return failure(
      'config_invalid',
      settings.grantType === JWT_BEARER && ctx.version === '3'
        ? 'oauth2.grant_type is the JWT bearer grant (RFC 7523), which Prometheus 3 would use and scrape-check does not implement: this check cannot reproduce the scrape'
        : `oauth2.grant_type ${JSON.stringify(settings.grantType)} is not a grant Prometheus knows`,
    );
  }
  if (
    ctx.version === '3' &&
    (settings.clientSecret ?? '') === '' &&
    (settings.clientSecretFile ?? '') === '' &&
    (settings.clientSecretRef ?? '') !== ''
  ) {
    // prometheus/common toSecret: Prometheus runs without a secret manager, so the client is never built.
    return failure(
      'config_invalid',
      'unable to use client secret: cannot use secret ref without manager (oauth2.client_secret_ref: Prometheus has no secret manager to resolve it)',
    );
  }
  let secret = settings.clientSecret ?? '';
  if (settings.clientSecretFile !== undefined && settings.clientSecretFile !== '') {
    const text = await readSetting(settings.clientSecretFile, 'oauth2.client_secret_file');
    if (typeof text !== 'string') return text;
    // prometheus/common trims the file (strings.TrimSpace); Prometheus 2 let an inline secret win.
    secret = ctx.version === '2' && secret !== '' ? secret : text.trim();
  }
  const form = new Map<string, string[]>([['grant_type', ['client_credentials']]]);
  if (settings.scopes.length > 0) form.set('scope', [settings.scopes.join(' ')]);
  for (const [key, value] of Object.entries(settings.endpointParams)) {
    if (form.has(key) && key !== 'grant_type') {
      return failure(
        'config_invalid',
        `oauth2: cannot overwrite parameter ${JSON.stringify(key)}: oauth2.endpoint_params sets ${key}, which oauth2.scopes already sets`,
      );
    }
    form.set(key, [value]);
  }
  const secrets = secret === '' ? [] : [secret];
  const key = cacheKey(settings, secret, ctx.version);
  const cached = tokens.get(key);
  if (cached && (cached.expiresAt === null || cached.expiresAt - EXPIRY_DELTA_MS > ctx.now())) {
    return { header: cached.header, secrets: [...secrets, cached.token] };
  }
  const tls = await loadTlsMaterial(settings.tls, ctx.now());
  if ('reason' in tls) {
    return { ...tls, diagnosis: tls.diagnosis.replace(/\btls_config\b/g, 'oauth2.tls_config') };
  }
  tls.caSource = tls.caSource.replace(/^tls_config/, 'oauth2.tls_config');
  if (tls.key) secrets.push(tls.key);

  let url: URL;
  try {
    url = new URL(settings.tokenUrl);
  } catch {
    return failure(
      'config_invalid',
      `oauth2.token_url ${JSON.stringify(settings.tokenUrl)} is not a URL`,
    );
  }
  const basic = Buffer.from(`${queryEscape(settings.clientId)}:${queryEscape(secret)}`).toString(
    'base64',
  );
  secrets.push(basic);
  const post = (inParams: boolean): Promise<TokenResponse | ScrapeFailure> => {
    const values = new Map(form);
    if (inParams) {
      if (settings.clientId !== '') values.set('client_id', [settings.clientId]);
      if (secret !== '') values.set('client_secret', [secret]);
    }
    const headers: Record<string, string> = {
      'user-agent': USER_AGENT,
      'accept-encoding': 'gzip',
      ...(inParams ? {} : { authorization: `Basic ${basic}` }),
    };
    return postForm(url, encodeForm(values), {
      tls,
      proxy: settings.proxy,
      version: ctx.version,
      signal: ctx.signal,
      timeoutMs: ctx.timeoutMs,
      now: ctx.now,
      headers,
    });
  };
  let outcome = readToken(await post(false), ctx.version);
  if (!('header' in outcome) && !ctx.signal.aborted)
    outcome = readToken(await post(true), ctx.version);
  if (!('header' in outcome)) return explain(outcome, settings);
  if (tokens.size >= MAX_CACHED) tokens.delete(tokens.keys().next().value!);
  tokens.set(key, {
    header: outcome.header,
    token: outcome.token,
    expiresAt: outcome.expiresInS > 0 ? ctx.now() + outcome.expiresInS * 1000 : null,
  });
  return { header: outcome.header, secrets: [...secrets, outcome.token] };
}

function cacheKey(settings: OAuth2Settings, secret: string, version: string): string {
  return createHash('sha256')
    .update(JSON.stringify([version, settings, secret]))
    .digest('hex');
}

type Read =
  | { header: string; token: string; expiresInS: number }
  | { goError: string; status: number | null }
  | { network: ScrapeFailure };

/** doTokenRoundTrip's reading of the answer, per x/oauth2 version. */
function readToken(response: TokenResponse | ScrapeFailure, version: '2' | '3'): Read {
  if ('reason' in response) return { network: response };
  const ok = response.status >= 200 && response.status <= 299;
  const retrieveError = `oauth2: cannot fetch token: ${response.statusLine}\nResponse: ${response.body}`;
  if (!ok && version === '2') return { goError: retrieveError, status: response.status };
  const media = response.contentType.split(';')[0]!.trim().toLowerCase();
  let fields: Record<string, unknown>;
  if (media === 'application/x-www-form-urlencoded' || media === 'text/plain') {
    fields = Object.fromEntries(new URLSearchParams(response.body));
  } else {
    try {
      const parsed: unknown = JSON.parse(response.body);
      fields =
        parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
    } catch (error) {
      if (!ok) return { goError: retrieveError, status: response.status };
      const why = (error as Error).message;
      return {
        goError: version === '2' ? why : `oauth2: cannot parse json: ${why}`,
        status: response.status,
      };
    }
  }
  const text = (name: string): string => {
    const v = fields[name];
    return typeof v === 'string' ? v : '';
  };
  const code = version === '3' ? text('error') : '';
  if (!ok || code !== '') {
    if (code === '') return { goError: retrieveError, status: response.status };
    let message = `oauth2: ${JSON.stringify(code)}`;
    if (text('error_description') !== '')
      message += ` ${JSON.stringify(text('error_description'))}`;
    if (text('error_uri') !== '') message += ` ${JSON.stringify(text('error_uri'))}`;
    return { goError: message, status: response.status };
  }
  const token = text('access_token');
  if (token === '')
    return { goError: 'oauth2: server response missing access_token', status: response.status };
  const expires = Number(fields.expires_in ?? 0);
  return {
    header: `${tokenType(text('token_type'))} ${token}`,
    token,
    expiresInS: Number.isFinite(expires) ? Math.min(Math.trunc(expires), 2 ** 31 - 1) : 0,
  };
}

/** A failed token request as a verdict: what Go said, and what to do about it. */
function explain(
  outcome: { goError: string; status: number | null } | { network: ScrapeFailure },
  settings: OAuth2Settings,
): ScrapeFailure {
  const where = `the oauth2 token endpoint (token_url ${settings.tokenUrl})`;
  if ('network' in outcome) {
    const inner = outcome.network;
    if (inner.reason === 'config_invalid') return inner;
    return failure(
      'token_request_failed',
      `no oauth2 token, so the target was not scraped: ${where} could not be reached (${inner.reason}): ${inner.diagnosis}`,
    );
  }
  const said = outcome.goError.replace(/\s+/g, ' ').slice(0, 600);
  let hint = '';
  if (
    outcome.status === 401 ||
    outcome.status === 400 ||
    /invalid_client|unauthorized_client/.test(said)
  ) {
    hint = `: it did not accept client_id ${JSON.stringify(settings.clientId)} with this client secret (check oauth2.client_secret or client_secret_file${settings.scopes.length > 0 ? ', and that the client may ask for these scopes' : ''})`;
  }
  return failure(
    'token_request_failed',
    `no oauth2 token, so the target was not scraped: ${where} answered ${said}${hint}`,
  );
}
