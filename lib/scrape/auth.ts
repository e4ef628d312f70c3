/**
 * The request's credentials, read at check time: a rotated token file is picked up without a
 * restart, and a missing one fails this check alone. The returned header value is a secret;
 * `secrets` lists every value to scrub from anything a person or a sink will see.
 */
import { readFile } from 'node:fs/promises';
import { failure, type ScrapeFailure } from './failure.ts';
import type { AuthSettings } from './types.ts';

export interface ResolvedAuth {
  header: string | null;
  secrets: string[];
}

async function readSecret(file: string, key: string): Promise<string | ScrapeFailure> {
  try {
    // Prometheus trims surrounding white space from credential files (common/config: strings.TrimSpace).
    return (await readFile(file, 'utf8')).trim();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'does not exist'
        : code === 'EISDIR'
          ? 'is a directory'
          : code === 'EACCES'
            ? 'is not readable (permission denied)'
            : `cannot be read (${code ?? 'error'})`;
    return failure('config_invalid', `${key} ${file} ${why}`);
  }
}

export async function resolveAuth(
  auth: AuthSettings | null,
): Promise<ResolvedAuth | ScrapeFailure> {
  if (!auth) return { header: null, secrets: [] };
  if (auth.type === 'bearer') {
    const token =
      auth.credentialsFile !== undefined
        ? await readSecret(auth.credentialsFile, 'the credentials file')
        : (auth.credentials ?? '');
    if (typeof token !== 'string') return token;
    if (token === '') return { header: null, secrets: [] };
    return { header: `${auth.scheme ?? 'Bearer'} ${token}`, secrets: [token] };
  }
  const password =
    auth.passwordFile !== undefined
      ? await readSecret(auth.passwordFile, 'basic_auth.password_file')
      : (auth.password ?? '');
  if (typeof password !== 'string') return password;
  const encoded = Buffer.from(`${auth.username}:${password}`).toString('base64');
  return { header: `Basic ${encoded}`, secrets: [password, encoded].filter((s) => s.length > 0) };
}

/** Replaces every secret in `text` (tokens echoed by a hostile server, say) with `<redacted>`. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join('<redacted>');
  }
  return out;
}
