/**
 * Scrubs secrets from text that is about to reach a person: diagnoses, warnings, upstream error
 * messages. The contract forbids a token, password, private key or client certificate in any
 * output (`../shared/contract.md`, "run --json").
 */

const PATTERNS: readonly RegExp[] = [
  // EKS tokens: `k8s-aws-v1.` + base64url of a presigned STS URL.
  /k8s-aws-v1\.[A-Za-z0-9_-]+/g,
  // JWTs (ServiceAccount tokens, OIDC tokens): three base64url parts, the first `{"`.
  /eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g,
  // Presigned URL parts.
  /(X-Amz-Signature=)[0-9a-fA-F]+/g,
  /(X-Amz-Security-Token=)[^&\s"']+/g,
  // Authorization header values (long enough not to be the word after "a bearer" in a sentence).
  /(\b(?:Bearer|Basic)\s+)[A-Za-z0-9._~+/=-]{16,}/g,
  // PEM private keys and certificates (a client certificate is a credential here too).
  /-----BEGIN [A-Z ]*(?:PRIVATE KEY|CERTIFICATE)-----[\s\S]*?-----END [A-Z ]*(?:PRIVATE KEY|CERTIFICATE)-----/g,
];

/** Shortest secret worth replacing by value: shorter strings would blank out ordinary words. */
const MIN_SECRET_LENGTH = 8;

/**
 * Returns `text` with every known secret value and every token-shaped string replaced by
 * `[redacted]`.
 *
 * @example
 * redact('exec failed: token eyJhbGciOi.eyJzdWIiOi.sig', []) // 'exec failed: token [redacted]'
 */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= MIN_SECRET_LENGTH) out = out.split(secret).join('[redacted]');
  }
  for (const pattern of PATTERNS) {
    out = out.replace(pattern, (match: string, prefix: unknown) =>
      typeof prefix === 'string' && match.startsWith(prefix) ? `${prefix}[redacted]` : '[redacted]',
    );
  }
  return out;
}
