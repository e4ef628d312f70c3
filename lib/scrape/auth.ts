/**
 * The request's credentials, read at check time: a rotated token file is picked up without a
 * restart, and a missing one fails this check alone. The returned header value is a secret;
 * `secrets` lists every value to scrub from anything a person or a sink will see.
 */
import { stat } from 'node:fs/promises';
import { decodeClaims, type TokenClaims } from '#lib/credentials/jwt.ts';
import type { ScrapeFailure } from './failure.ts';
import { readSetting } from './read-setting.ts';
import type { AuthSettings } from './types.ts';

export interface ResolvedAuth {
  header: string | null;
  secrets: string[];
  /** A bearer token's JWT claims (null for a token that is not a JWT); never the token. */
  claims: TokenClaims | null;
  /** When the credentials file was last written, for tokens read from one. */
  fileModifiedMs?: number;
}

async function readSecret(file: string, setting: string): Promise<string | ScrapeFailure> {
  const text = await readSetting(file, setting);
  // Prometheus trims surrounding white space from credential files (common/config: strings.TrimSpace).
  return typeof text === 'string' ? text.trim() : text;
}

export async function resolveAuth(
  auth: AuthSettings | null,
): Promise<ResolvedAuth | ScrapeFailure> {
  if (!auth) return { header: null, secrets: [], claims: null };
  if (auth.type === 'bearer') {
    const file = auth.credentialsFile;
    const token =
      file !== undefined
        ? await readSecret(file, 'the credentials file')
        : (auth.credentials ?? '');
    if (typeof token !== 'string') return token;
    if (token === '') return { header: null, secrets: [], claims: null };
    const resolved: ResolvedAuth = {
      header: `${auth.scheme ?? 'Bearer'} ${token}`,
      secrets: [token],
      claims: decodeClaims(token),
    };
    if (file !== undefined) resolved.fileModifiedMs = (await stat(file)).mtimeMs;
    return resolved;
  }
  const password =
    auth.passwordFile !== undefined
      ? await readSecret(auth.passwordFile, 'basic_auth.password_file')
      : (auth.password ?? '');
  if (typeof password !== 'string') return password;
  const encoded = Buffer.from(`${auth.username}:${password}`).toString('base64');
  return {
    header: `Basic ${encoded}`,
    secrets: [password, encoded].filter((s) => s.length > 0),
    claims: null,
  };
}

/** Replaces every secret in `text` (tokens echoed by a hostile server, say) with `<redacted>`. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join('<redacted>');
  }
  return out;
}
