/**
 * JWT claims, decoded without verifying the signature: scrape-check reports who a token is for
 * and when it expires, it does not decide whether to trust it (the API server does that).
 * RFC 7519 section 7.2 describes the decoding; the signature part is never looked at.
 */
import type { TokenInfo } from '#lib/result/types.ts';

/** The claims scrape-check reports and reasons about. Times are seconds since the epoch. */
export interface TokenClaims {
  sub: string | null;
  aud: string[];
  exp: number | null;
  iat: number | null;
  iss: string | null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Decodes the payload of a compact JWS. Returns null when the token is not a JWT (a static token,
 * an EKS `k8s-aws-v1.` token), never throws.
 *
 * @example
 * decodeClaims(token)?.sub // 'system:serviceaccount:monitoring:scrape-check'
 */
export function decodeClaims(token: string): TokenClaims | null {
  const parts = token.trim().split('.');
  if (parts.length !== 3 || parts[1] === undefined || parts[1] === '') return null;
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!isRecord(payload)) return null;
  const { sub, aud, exp, iat, iss } = payload;
  const audiences =
    typeof aud === 'string'
      ? [aud]
      : Array.isArray(aud)
        ? aud.filter((a) => typeof a === 'string')
        : [];
  return {
    sub: typeof sub === 'string' ? sub : null,
    aud: audiences,
    exp: typeof exp === 'number' ? exp : null,
    iat: typeof iat === 'number' ? iat : null,
    iss: typeof iss === 'string' ? iss : null,
  };
}

function iso(seconds: number | null): string | null {
  return seconds === null ? null : new Date(seconds * 1000).toISOString();
}

/** The result's `token` field: the claims, never the token; with `now`, the seconds left too. */
export function tokenInfo(
  source: TokenInfo['source'],
  claims: TokenClaims | null,
  now?: number,
): TokenInfo {
  const info: TokenInfo = {
    source,
    sub: claims?.sub ?? null,
    aud: claims?.aud ?? [],
    exp: iso(claims?.exp ?? null),
    iat: iso(claims?.iat ?? null),
  };
  if (now !== undefined)
    info.secondsLeft = claims?.exp == null ? null : Math.round(claims.exp - now / 1000);
  return info;
}
