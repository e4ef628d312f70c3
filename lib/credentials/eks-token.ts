/**
 * The Kubernetes token for an EKS cluster, made exactly as `aws eks get-token` makes it
 * (awscli `customizations/eks/get_token.py`): `k8s-aws-v1.` + base64url, without padding, of an
 * STS `GetCallerIdentity` URL presigned with SigV4 at the regional endpoint, with the signed
 * header `x-k8s-aws-id: <cluster>` and `X-Amz-Expires=60`. The API server (aws-iam-authenticator)
 * replays the URL against STS to learn who signed it and accepts it for 15 minutes after
 * `X-Amz-Date` (https://github.com/kubernetes-sigs/aws-iam-authenticator#api-authorization-from-outside-a-cluster).
 */

/** Static AWS credentials. All three strings are secrets. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
  /** When temporary credentials stop working. */
  expiration?: Date | undefined;
}

export const EKS_TOKEN_PREFIX = 'k8s-aws-v1.';
/** How long after signing the API server accepts the token (aws-iam-authenticator). */
export const EKS_TOKEN_LIFETIME_MS = 15 * 60_000;
/** Renew a cached token once it is this old: a run starting with it has 5 minutes to finish. */
export const EKS_TOKEN_REUSE_MS = 10 * 60_000;

export interface EksTokenOptions {
  cluster: string;
  region: string;
  credentials: AwsCredentials;
  /** The signing time (`X-Amz-Date`). */
  signingDate: Date;
}

/**
 * The regional STS host, as botocore's endpoint rules give it: `sts.REGION.amazonaws.com`, and
 * `.amazonaws.com.cn` in the China partition (ISO partitions are not handled).
 */
export function stsHost(region: string): string {
  return `sts.${region}.${region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com'}`;
}

/** RFC 3986 percent-encoding, as botocore's `percent_encode` (unreserved characters kept). */
function encode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** Query parameters in the order botocore writes them: operation, then auth, then signature. */
const ORDER = [
  'Action',
  'Version',
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Date',
  'X-Amz-Expires',
  'X-Amz-SignedHeaders',
  'X-Amz-Security-Token',
  'X-Amz-Signature',
] as const;

/**
 * Makes an EKS token. Byte for byte what `aws eks get-token` prints for the same credentials,
 * cluster, region and second (checked against awscli in `test/credentials/eks-token.test.ts`).
 *
 * @example
 * const token = await makeEksToken({ cluster: 'prod', region: 'eu-west-1', credentials, signingDate: new Date() });
 * // 'k8s-aws-v1.aHR0cHM6Ly9zdHMuZXUtd2VzdC0xLmFtYXpvbmF3cy5jb20vP0FjdGlvbj1HZXRDYWxsZXJJZGVudGl0eSZ…'
 */
export async function makeEksToken(options: EksTokenOptions): Promise<string> {
  const [{ SignatureV4 }, { HttpRequest }, { Sha256 }] = await Promise.all([
    import('@smithy/signature-v4'),
    import('@smithy/protocol-http'),
    import('@aws-crypto/sha256-js'),
  ]);
  const host = stsHost(options.region);
  const { accessKeyId, secretAccessKey, sessionToken } = options.credentials;
  const signer = new SignatureV4({
    service: 'sts',
    region: options.region,
    sha256: Sha256,
    credentials: {
      accessKeyId,
      secretAccessKey,
      ...(sessionToken === undefined ? {} : { sessionToken }),
    },
  });
  const presigned = await signer.presign(
    new HttpRequest({
      method: 'GET',
      protocol: 'https:',
      hostname: host,
      path: '/',
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      headers: { host, 'x-k8s-aws-id': options.cluster },
    }),
    { expiresIn: 60, signingDate: options.signingDate },
  );
  const query = presigned.query ?? {};
  const pairs: string[] = [];
  for (const key of ORDER) {
    const value = query[key];
    if (typeof value === 'string') pairs.push(`${key}=${encode(value)}`);
  }
  const url = `https://${host}/?${pairs.join('&')}`;
  return EKS_TOKEN_PREFIX + Buffer.from(url, 'utf8').toString('base64url');
}
