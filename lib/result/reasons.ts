/**
 * The contract's reason codes (`../shared/contract.md`, "Reason codes"). Alarms and dashboards key
 * on these strings: add new ones, never rename or remove one.
 */
export const REASONS = [
  'ok',
  'config_invalid',
  'credentials_failed',
  'token_request_failed',
  'dns_failed',
  'connect_refused',
  'connect_timeout',
  'connection_lost',
  'tls_unknown_ca',
  'tls_cert_expired',
  'tls_cert_not_yet_valid',
  'tls_hostname_mismatch',
  'tls_client_cert_rejected',
  'tls_handshake_failed',
  'http_unauthorized',
  'http_forbidden',
  'http_not_found',
  'http_status',
  'scrape_timeout',
  'body_too_large',
  'parse_failed',
  'no_samples',
  'unsupported_content_type',
  'sample_limit_exceeded',
  'label_limit_exceeded',
  // Service discovery (issue 12): the job has no target for Prometheus to scrape.
  'discovery_failed',
  'no_targets',
  // An addition to the contract: scrape-check itself failed on this one check (a bug). The
  // diagnosis carries the error; the other checks of the run are unaffected.
  'internal_error',
] as const;

export type Reason = (typeof REASONS)[number];

/** True for a string that is one of the contract's reason codes. */
export function isReason(value: string): value is Reason {
  return (REASONS as readonly string[]).includes(value);
}
