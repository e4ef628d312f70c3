/**
 * A job's TLS and credentials as the Prometheus pod would read them: a file under the pod's
 * ServiceAccount mount (`bearer_token_file: /var/run/secrets/kubernetes.io/serviceaccount/token`,
 * `ca_file: …/ca.crt`) is the stand-in's in-memory content; every other file is read at check time.
 */
import type { ScrapeConfig, TlsConfig } from '#lib/config/index.ts';
import { tlsSettings } from '#lib/config/schema-http.ts';
import type { TokenInfo } from '#lib/result/types.ts';
import type { AuthSettings, TlsSettings } from '#lib/scrape/types.ts';
import type { StandIn } from '#lib/standin/index.ts';
import { authSettings } from './job-settings.ts';

/** `tls_config` for the scrape, with the pod's CA file resolved in memory. */
export function podTls(tls: TlsConfig | undefined, standIn: StandIn | null): TlsSettings {
  const out = tlsSettings(tls);
  const ca = out.caFile === undefined ? undefined : standIn?.files.get(out.caFile);
  if (ca !== undefined) {
    delete out.caFile;
    out.ca = ca;
  }
  return out;
}

/** The job's credentials, with the pod's token file resolved to the stand-in's token. */
export function podAuth(
  job: Pick<ScrapeConfig, 'authorization' | 'bearer_token' | 'bearer_token_file' | 'basic_auth'>,
  standIn: StandIn | null,
): { settings: AuthSettings | null; token: TokenInfo | null } {
  const settings = authSettings(job);
  if (settings?.type !== 'bearer') return { settings, token: null };
  const file = settings.credentialsFile;
  const token = file === undefined ? undefined : standIn?.files.get(file);
  if (token !== undefined && standIn !== null) {
    // The pod's projected token is a TokenRequest token: describe it as one, never print it.
    const inline: AuthSettings = { type: 'bearer', credentials: token };
    if (settings.scheme !== undefined) inline.scheme = settings.scheme;
    return { settings: inline, token: standIn.token.info };
  }
  return {
    settings,
    token: { source: file === undefined ? 'inline' : 'file', sub: null, aud: [], exp: null },
  };
}
