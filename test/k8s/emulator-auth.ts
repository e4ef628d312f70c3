/**
 * The emulator's token authenticators: ServiceAccount JWTs it signs itself (bound TokenRequest
 * tokens with a real expiry and audience; legacy Secret tokens without one), and EKS
 * `k8s-aws-v1.` tokens, accepted only after botocore recomputes the presigned URL's SigV4
 * signature for the signer's credentials, as aws-iam-authenticator's STS round trip would prove.
 */
import {
  createSign,
  createVerify,
  generateKeyPairSync,
  randomUUID,
  type KeyObject,
} from 'node:crypto';
import type { Botocore } from '../aws/botocore.ts';
import type { AwsWorld, Principal } from '../aws/world.ts';

export const API_AUDIENCE = 'https://kubernetes.default.svc';
export const ISSUER = 'https://kubernetes.default.svc.cluster.local';
export const LEGACY_ISSUER = 'kubernetes/serviceaccount';

export interface JwtClaims {
  iss: string;
  sub: string;
  aud?: string[];
  exp?: number;
  iat?: number;
  nbf?: number;
  jti?: string;
  'kubernetes.io'?: { namespace: string; serviceaccount: { name: string; uid: string } };
  'kubernetes.io/serviceaccount/namespace'?: string;
  'kubernetes.io/serviceaccount/secret.name'?: string;
  'kubernetes.io/serviceaccount/service-account.name'?: string;
  'kubernetes.io/serviceaccount/service-account.uid'?: string;
}

/** Signs and checks ServiceAccount JWTs (ES256, as a real cluster's key may be). */
export class JwtSigner {
  readonly #privateKey: KeyObject;
  readonly #publicKey: KeyObject;
  readonly kid = randomUUID();

  constructor() {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.#privateKey = privateKey;
    this.#publicKey = publicKey;
  }

  sign(claims: JwtClaims): string {
    const header = Buffer.from(JSON.stringify({ alg: 'ES256', kid: this.kid })).toString(
      'base64url',
    );
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
    const signature = createSign('SHA256')
      .update(`${header}.${payload}`)
      .sign({ key: this.#privateKey, dsaEncoding: 'ieee-p1363' });
    return `${header}.${payload}.${signature.toString('base64url')}`;
  }

  /** The claims when the signature is this signer's, else null (expiry is the caller's to check). */
  verify(token: string): JwtClaims | null {
    const [header, payload, signature] = token.split('.');
    if (header === undefined || payload === undefined || signature === undefined) return null;
    const ok = createVerify('SHA256')
      .update(`${header}.${payload}`)
      .verify(
        { key: this.#publicKey, dsaEncoding: 'ieee-p1363' },
        Buffer.from(signature, 'base64url'),
      );
    if (!ok) return null;
    try {
      return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as JwtClaims;
    } catch {
      return null;
    }
  }
}

export interface EksAuthContext {
  clusterName: string;
  region: string;
  world: AwsWorld;
  botocore: Botocore;
  now: number;
}

/** Who signed an EKS token, or why it is refused. */
export type EksVerdict = { ok: true; principal: Principal } | { ok: false; why: string };

function amzDateMs(value: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (m === null) return Number.NaN;
  return Date.UTC(
    Number(m[1]),
    Number(m[2]) - 1,
    Number(m[3]),
    Number(m[4]),
    Number(m[5]),
    Number(m[6]),
  );
}

/**
 * Checks a `k8s-aws-v1.` token the way aws-iam-authenticator does (pkg/token/token.go, Verify):
 * the URL's host is the regional STS endpoint, the action GetCallerIdentity, `x-k8s-aws-id` is
 * signed and names this cluster, X-Amz-Date is within 15 minutes; then, instead of calling STS,
 * botocore recomputes the signature with the signer's credentials.
 */
export async function verifyEksToken(token: string, ctx: EksAuthContext): Promise<EksVerdict> {
  let url: URL;
  try {
    url = new URL(Buffer.from(token.slice('k8s-aws-v1.'.length), 'base64url').toString('utf8'));
  } catch {
    return { ok: false, why: 'not a URL' };
  }
  const q = url.searchParams;
  if (
    url.protocol !== 'https:' ||
    url.host !== `sts.${ctx.region}.amazonaws.com` ||
    url.pathname !== '/'
  )
    return { ok: false, why: `unexpected host ${url.host}` };
  if (q.get('Action') !== 'GetCallerIdentity' || q.get('Version') !== '2011-06-15')
    return { ok: false, why: 'not GetCallerIdentity' };
  if (q.get('X-Amz-Expires') !== '60') return { ok: false, why: 'X-Amz-Expires is not 60' };
  const signed = (q.get('X-Amz-SignedHeaders') ?? '').split(';');
  if (!signed.includes('x-k8s-aws-id') || !signed.includes('host'))
    return { ok: false, why: 'x-k8s-aws-id not signed' };
  const date = amzDateMs(q.get('X-Amz-Date') ?? '');
  if (!(Math.abs(ctx.now - date) <= 15 * 60_000))
    return { ok: false, why: 'X-Amz-Date is not within 15 minutes' };
  const keyId = (q.get('X-Amz-Credential') ?? '').split('/')[0] ?? '';
  const principal = ctx.world.lookup(keyId);
  if (principal === undefined) return { ok: false, why: 'unknown access key' };
  if (principal.expiresAt !== undefined && principal.expiresAt <= ctx.now)
    return { ok: false, why: 'session expired' };
  const signature = q.get('X-Amz-Signature') ?? '';
  const unsigned = url.href.replace(/&X-Amz-Signature=[0-9a-f]+$/, '');
  if (unsigned === url.href) return { ok: false, why: 'X-Amz-Signature is not last' };
  // The API server signs x-k8s-aws-id with its own cluster name: a token for another cluster fails here.
  const expected = await ctx.botocore.presignSignature(
    unsigned,
    { 'x-k8s-aws-id': ctx.clusterName },
    'sts',
    ctx.region,
    principal,
  );
  if (expected !== signature) return { ok: false, why: 'signature mismatch' };
  return { ok: true, principal };
}
