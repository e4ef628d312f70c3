/**
 * Slack's signing secret, from where `SCRAPE_CHECK_SLACK_SECRET` points: `ssm:/parameter/name`
 * (SecureString, decrypted) or `secretsmanager:name-or-arn` (the SecretString, or its
 * `signing_secret` key when it holds JSON). Kept for a while across warm invocations, so a
 * slash command costs no extra AWS call; never in the environment, the config or a log.
 */

export type SecretLocation = { kind: 'ssm'; name: string } | { kind: 'secretsmanager'; id: string };

/** Reads a location string; throws naming what is accepted. */
export function parseSecretLocation(location: string): SecretLocation {
  if (location.startsWith('ssm:') && location.length > 'ssm:'.length) {
    return { kind: 'ssm', name: location.slice('ssm:'.length) };
  }
  if (location.startsWith('secretsmanager:') && location.length > 'secretsmanager:'.length) {
    return { kind: 'secretsmanager', id: location.slice('secretsmanager:'.length) };
  }
  throw new Error(
    'SCRAPE_CHECK_SLACK_SECRET must be ssm:/parameter/name or secretsmanager:name-or-arn (where the secret is, never the secret itself)',
  );
}

function fromSecretString(value: string): string {
  const trimmed = value.trim();
  if (!trimmed.startsWith('{')) return trimmed;
  const parsed = JSON.parse(trimmed) as Record<string, unknown>;
  const secret = parsed.signing_secret ?? parsed.SLACK_SIGNING_SECRET;
  if (typeof secret !== 'string') {
    throw new Error('the secret holds JSON without a signing_secret key');
  }
  return secret.trim();
}

/** Fetches the secret at `location` (no cache). */
export async function fetchSigningSecret(location: string): Promise<string> {
  const where = parseSecretLocation(location);
  if (where.kind === 'ssm') {
    const { getParameter } = await import('#lib/aws/ssm.ts');
    return (await getParameter(where.name)).trim();
  }
  const { getSecretString } = await import('#lib/aws/secrets-manager.ts');
  return fromSecretString(await getSecretString(where.id));
}

/**
 * A cache of the secret: fetched once, then reused for `ttlMs` (default 15 minutes, so a rotation
 * applies without a redeploy). Concurrent callers share one fetch.
 */
export function createSecretCache(
  options: {
    ttlMs?: number;
    now?: () => number;
    fetch?: (location: string) => Promise<string>;
  } = {},
): { get(location: string): Promise<string>; clear(): void } {
  const ttl = options.ttlMs ?? 15 * 60_000;
  const now = options.now ?? Date.now;
  const fetch = options.fetch ?? fetchSigningSecret;
  let entry: { location: string; at: number; value: Promise<string> } | undefined;
  return {
    get(location) {
      if (entry?.location === location && now() - entry.at < ttl) return entry.value;
      const value = fetch(location);
      const current = { location, at: now(), value };
      entry = current;
      value.catch(() => {
        if (entry === current) entry = undefined;
      });
      return value;
    },
    clear() {
      entry = undefined;
    },
  };
}
