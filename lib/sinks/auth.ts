/**
 * How the remote_write sink authenticates: SigV4 for Amazon Managed Service for Prometheus (`aps`)
 * when `sigv4` is set, else the `authorization` or `basic_auth` settings a Prometheus
 * `remote_write` block has. Credential files are read at send time, so a rotated file is used.
 * Nothing here logs or returns a secret except inside the request headers.
 */
import { readFile } from 'node:fs/promises';
import type { SignatureV4 } from '@smithy/signature-v4';
import type { SinksConfig } from '#lib/config/index.ts';

type RemoteWriteConfig = NonNullable<SinksConfig['remote_write']>;

/** What is signed: the exact bytes and headers that will be sent. */
export interface OutgoingRequest {
  url: URL;
  headers: Record<string, string>;
  body: Uint8Array;
}

/** Returns the headers to send (the given ones plus authentication). */
export type Authenticate = (request: OutgoingRequest) => Promise<Record<string, string>>;

/** Static AWS credentials or a provider of them, as `SignatureV4` takes them. */
export type AwsCredentials = ConstructorParameters<typeof SignatureV4>[0]['credentials'];

export interface AuthOptions {
  /** AWS credentials for SigV4; the default provider chain (Lambda's role) otherwise. */
  credentials?: AwsCredentials;
}

async function fileText(path: string): Promise<string> {
  return (await readFile(path, 'utf8')).trim();
}

/** The signer, built on first use: the SDK's credential chain loads only when SigV4 is wanted. */
async function createSigner(
  config: NonNullable<RemoteWriteConfig['sigv4']>,
  options: AuthOptions,
): Promise<SignatureV4> {
  const [{ Sha256 }, { SignatureV4 }, providers] = await Promise.all([
    import('@aws-crypto/sha256-js'),
    import('@smithy/signature-v4'),
    options.credentials ? null : import('@aws-sdk/credential-providers'),
  ]);
  const credentials =
    options.credentials ??
    (config.role_arn
      ? providers!.fromTemporaryCredentials({
          params: { RoleArn: config.role_arn, RoleSessionName: 'scrape-check-remote-write' },
          clientConfig: { region: config.region },
        })
      : providers!.fromNodeProviderChain());
  return new SignatureV4({ service: 'aps', region: config.region, credentials, sha256: Sha256 });
}

function sigv4(
  config: NonNullable<RemoteWriteConfig['sigv4']>,
  options: AuthOptions,
): Authenticate {
  let signer: Promise<SignatureV4> | undefined;
  return async ({ url, headers, body }) => {
    signer ??= createSigner(config, options).catch((error: unknown) => {
      signer = undefined;
      throw error;
    });
    const { HttpRequest } = await import('@smithy/protocol-http');
    const request = new HttpRequest({
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { ...headers, host: url.host },
      body,
    });
    const signed = await (await signer).sign(request);
    return signed.headers;
  };
}

/**
 * Builds the authenticator for a remote_write config.
 *
 * @example
 * const authenticate = remoteWriteAuth({ url, sigv4: { region: 'eu-west-1' }, forward: [], timeout: 10_000 });
 * const headers = await authenticate({ url: new URL(url), headers: {}, body });
 */
export function remoteWriteAuth(
  config: RemoteWriteConfig,
  options: AuthOptions = {},
): Authenticate {
  if (config.sigv4) return sigv4(config.sigv4, options);
  const { authorization, basic_auth: basic } = config;
  if (authorization) {
    const scheme = authorization.type ?? 'Bearer';
    return async ({ headers }) => {
      const credentials =
        authorization.credentials_file !== undefined
          ? await fileText(authorization.credentials_file)
          : (authorization.credentials ?? '');
      return { ...headers, authorization: `${scheme} ${credentials}` };
    };
  }
  if (basic) {
    return async ({ headers }) => {
      const username =
        basic.username_file !== undefined
          ? await fileText(basic.username_file)
          : (basic.username ?? '');
      const password =
        basic.password_file !== undefined
          ? await fileText(basic.password_file)
          : (basic.password ?? '');
      const token = Buffer.from(`${username}:${password}`).toString('base64');
      return { ...headers, authorization: `Basic ${token}` };
    };
  }
  return ({ headers }) => Promise.resolve(headers);
}

/**
 * The secret values a config carries inline, so messages can be scrubbed of them before they
 * reach a log (a receiver that echoes the request, say).
 */
export function inlineSecrets(config: RemoteWriteConfig): string[] {
  const secrets = [config.authorization?.credentials, config.basic_auth?.password];
  return secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4);
}
