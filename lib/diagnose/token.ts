/**
 * What a token's claims and its file say about the future: a scrape that passes today fails the day
 * the token expires, the day a legacy token is cleaned up, or the day a copied token file crosses
 * EKS's 90-day limit. One module for every source (a job's token file, TokenRequest, a Secret).
 */
import type { TokenClaims } from '#lib/credentials/jwt.ts';

export interface TokenFacts {
  claims: TokenClaims | null;
  /** `the token file /var/run/…/token`, `TokenRequest for monitoring/prometheus`: for messages. */
  where: string;
  /** When the token file was last written, for tokens read from a file. */
  fileModifiedMs?: number;
  /** `expiration_seconds` asked of TokenRequest. */
  requestedSeconds?: number;
  now: number;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
// EKS refuses bound ServiceAccount tokens older than 90 days, whatever their exp says.
// https://docs.aws.amazon.com/eks/latest/userguide/service-accounts.html
const EKS_BOUND_TOKEN_MAX_AGE_MS = 90 * DAY_MS;

/** A bound token has `exp` and the `kubernetes.io` claim; a legacy Secret token has neither. */
function isLegacy(claims: TokenClaims): boolean {
  return claims.exp === null && claims.iss === 'kubernetes/serviceaccount';
}

function age(ms: number): string {
  return ms >= 2 * DAY_MS ? `${Math.floor(ms / DAY_MS)} days` : `${Math.floor(ms / HOUR_MS)} hours`;
}

/** Warnings about a token's lifetime; empty when there is nothing to worry about. */
export function tokenWarnings(facts: TokenFacts): string[] {
  const { claims, where, now } = facts;
  if (!claims) return [];
  const warnings: string[] = [];
  if (claims.exp !== null && claims.exp * 1000 <= now) {
    warnings.push(
      `the token from ${where} expired at ${new Date(claims.exp * 1000).toISOString()}: the server will refuse it (401)`,
    );
  }
  if (facts.requestedSeconds !== undefined && claims.exp !== null && claims.iat !== null) {
    const granted = claims.exp - claims.iat;
    if (granted < facts.requestedSeconds - 60) {
      warnings.push(
        `TokenRequest granted ${granted} s, less than the ${facts.requestedSeconds} s asked: the API server caps token lifetimes (--service-account-max-token-expiration)`,
      );
    }
  }
  if (isLegacy(claims)) {
    warnings.push(
      `the token from ${where} is a legacy ServiceAccount Secret token: it never expires (so a leaked copy works forever), and Kubernetes 1.29+ invalidates such tokens after a year unused; use a bound token (TokenRequest, or a projected token file)`,
    );
  }
  if (facts.fileModifiedMs !== undefined && claims.exp !== null) {
    const fileAge = now - facts.fileModifiedMs;
    const issuedAge = claims.iat === null ? 0 : now - claims.iat * 1000;
    if (Math.max(fileAge, issuedAge) > EKS_BOUND_TOKEN_MAX_AGE_MS) {
      warnings.push(
        `the bound token in ${where} was issued ${age(Math.max(fileAge, issuedAge))} ago: EKS refuses bound tokens older than 90 days, so this one is refused there or soon will be; mount a projected token the kubelet refreshes`,
      );
    } else if (fileAge > HOUR_MS) {
      warnings.push(
        `${where} was last written ${age(fileAge)} ago: a kubelet rewrites projected bound tokens well within the hour, so this copy is not being refreshed and will stop working when it expires`,
      );
    }
  }
  return warnings;
}
