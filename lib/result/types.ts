/**
 * The `run --json` document, exactly as `../shared/contract.md` fixes it. This file is the one place
 * the result's shape is written down; sinks, the CLI and the functions all import it from here.
 */
import type { Reason } from './reasons.ts';

/** A sample value as JSON carries it: a number, or one of the strings for the IEEE specials. */
export type JsonSampleValue = number | 'NaN' | '+Inf' | '-Inf';

export interface Phases {
  dnsMs: number | null;
  connectMs: number | null;
  tlsMs: number | null;
  firstByteMs: number | null;
  bodyMs: number | null;
}

export interface TlsInfo {
  version: string | null;
  /** True when the chain and the name verified the way Prometheus (Go) verifies them. */
  verified: boolean;
  /** The leaf certificate's expiry. */
  notAfter: string | null;
  daysLeft: number | null;
  subject: string | null;
  issuer: string | null;
  verificationSkipped: boolean;
  /** Earliest expiry among every certificate the server sent (blackbox's probe_ssl_earliest_cert_expiry). */
  earliestNotAfter: string | null;
  /** When verification will start to fail; null when verification was skipped or failed. */
  chainNotAfter: string | null;
  sans: string[];
  fingerprintSha256: string | null;
}

export interface TokenInfo {
  source: 'token_request' | 'secret' | 'file' | 'inline' | 'eks' | 'kubeconfig';
  sub: string | null;
  aud: string[];
  exp: string | null;
  /** When the token was issued (an addition to the contract). */
  iat?: string | null;
  /** Seconds until `exp`, negative once expired; null for a token that does not expire (an addition). */
  secondsLeft?: number | null;
}

export interface Limits {
  bodyBytes: number;
  bodySizeLimit: number;
  samples: number;
  sampleLimit: number;
  durationMs: number;
  scrapeTimeoutMs: number;
}

export interface Exemplar {
  labels: Record<string, string>;
  value: JsonSampleValue;
  timestampMs: number | null;
}

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: JsonSampleValue;
  timestampMs: number | null;
  exemplar?: Exemplar;
}

export interface CheckResult {
  job: string;
  cluster: string | null;
  /** `host:port`; null for a job-level verdict (`discovery_failed`, `no_targets`). */
  instance: string | null;
  url: string | null;
  /** The target's labels after relabeling, as Prometheus labels it (service discovery jobs). */
  labels?: Record<string, string>;
  ok: boolean;
  reason: Reason;
  diagnosis: string;
  httpStatus: number | null;
  durationMs: number;
  phases: Phases;
  bytes: number;
  series: number;
  format: 'prometheus' | 'openmetrics' | null;
  tls: TlsInfo | null;
  token: TokenInfo | null;
  limits: Limits;
  warnings: string[];
  samples?: Sample[];
}

export interface RunSummary {
  total: number;
  ok: number;
  failed: number;
  /** Jobs not checked: a service discovery scrape-check lacks (contract: never silently gone). */
  skipped: number;
  durationMs: number;
}

/** A job scrape-check could not check, and why. */
export interface SkippedJob {
  job: string;
  why: string;
}

export interface RunReport {
  summary: RunSummary;
  results: CheckResult[];
  skipped: SkippedJob[];
}

/** Turns a parsed float into the contract's JSON value. */
export function jsonValue(value: number): JsonSampleValue {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return value;
}
