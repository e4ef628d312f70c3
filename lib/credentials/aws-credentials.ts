/**
 * The AWS credentials scrape-check signs with: the SDK default credential chain (in Lambda, the
 * function's execution role), optionally exchanged through sts:AssumeRole for a role in the
 * cluster's account. Assumed-role credentials are cached per role across warm invocations and
 * renewed five minutes before they expire.
 */
import type { AwsCredentials } from './eks-token.ts';
import { awsErrorInfo, describeAwsError, type AwsErrorInfo } from './aws-errors.ts';
import { moduleCache } from './cache.ts';
import { failure, success, type Outcome } from './outcome.ts';

/** The credentials to sign with, and who they are, for diagnoses. */
export interface AwsIdentity {
  credentials: AwsCredentials;
  /** `IAM role arn:aws:iam::…:role/x (session arn:aws:sts::…)` or the default chain's description. */
  description: string;
  /** Secret values, for redaction. */
  secrets: string[];
}

export interface AwsIdentityRequest {
  region: string;
  roleArn: string | null;
  externalId: string | null;
  /** Where in the config this comes from, for diagnoses: `clusters[prod].eks`. */
  where: string;
}

export interface AwsDeps {
  now: () => number;
  /** SDK attempts per call (throttling and 5xx are retried with backoff). SDK default: 3. */
  maxAttempts?: number | undefined;
}

const RENEW_BEFORE_MS = 5 * 60_000;
const SESSION_NAME = 'scrape-check';
export const DEFAULT_CHAIN =
  "the default AWS credentials (in Lambda, the function's execution role)";

type Provider = () => Promise<AwsCredentials>;
const chains = moduleCache<Provider>();
const roles = moduleCache<AwsIdentity>();

async function defaultChain(now: number): Promise<Provider> {
  let provider = chains.get('default', now);
  if (provider === undefined) {
    const { fromNodeProviderChain } = await import('@aws-sdk/credential-providers');
    provider = fromNodeProviderChain();
    chains.set('default', provider, Number.POSITIVE_INFINITY);
  }
  return provider;
}

function secretsOf(credentials: AwsCredentials): string[] {
  return [credentials.secretAccessKey, credentials.sessionToken ?? ''].filter((s) => s !== '');
}

/** The diagnosis for a failed AWS call, shared by STS and EKS. */
export function awsCallDiagnosis(call: string, info: AwsErrorInfo, what: string): string {
  const head = `${call} ${what} failed ${describeAwsError(info)}: ${info.message}.`;
  if (info.code === 'CredentialsProviderError') {
    return `${call} could not be signed: the AWS SDK default credential chain found no credentials (environment variables, shared config or SSO profile, web identity, container or instance role). In Lambda this means the function has no execution role credentials; elsewhere, set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY.`;
  }
  if (info.throttled) {
    return `${call} ${what} was throttled ${describeAwsError(info)}: the SDK retried with backoff and gave up. Other callers in this account are using the API's rate: the next run will try again; if it persists, run less often or spread the schedule.`;
  }
  if (info.network) {
    return `${head} No answer from AWS: from a VPC without internet access, add an interface endpoint for the service; locally, check AWS_ENDPOINT_URL_EKS / AWS_ENDPOINT_URL_STS.`;
  }
  if (
    [
      'ExpiredToken',
      'ExpiredTokenException',
      'InvalidClientTokenId',
      'UnrecognizedClientException',
      'SignatureDoesNotMatch',
      'InvalidSignatureException',
    ].includes(info.code)
  ) {
    return `${head} AWS rejected the signing credentials themselves: they are expired, revoked or mistyped. Refresh them (a new SSO login, a rotated access key) and retry.`;
  }
  return head;
}

async function assumeRole(
  request: AwsIdentityRequest & { roleArn: string },
  deps: AwsDeps,
): Promise<Outcome<AwsIdentity>> {
  const key = `${request.region}|${request.roleArn}|${request.externalId ?? ''}`;
  const now = deps.now();
  const cached = roles.get(key, now);
  if (cached !== undefined) return success(cached);
  const { STSClient, AssumeRoleCommand } = await import('@aws-sdk/client-sts');
  const client = new STSClient({
    region: request.region,
    ...(deps.maxAttempts === undefined ? {} : { maxAttempts: deps.maxAttempts }),
  });
  try {
    const answer = await client.send(
      new AssumeRoleCommand({
        RoleArn: request.roleArn,
        RoleSessionName: SESSION_NAME,
        ...(request.externalId === null ? {} : { ExternalId: request.externalId }),
      }),
    );
    const c = answer.Credentials;
    if (
      c?.AccessKeyId === undefined ||
      c.SecretAccessKey === undefined ||
      c.SessionToken === undefined
    ) {
      return failure(
        'credentials_failed',
        `sts:AssumeRole into ${request.roleArn} answered without credentials (${request.where}.role_arn); this is an STS or endpoint fault, retry later.`,
      );
    }
    const credentials: AwsCredentials = {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      expiration: c.Expiration,
    };
    const session = answer.AssumedRoleUser?.Arn;
    const identity: AwsIdentity = {
      credentials,
      description: `IAM role ${request.roleArn}${session === undefined ? '' : ` (session ${session})`}`,
      secrets: secretsOf(credentials),
    };
    const expires = c.Expiration?.getTime() ?? now + 15 * 60_000;
    roles.set(key, identity, expires - RENEW_BEFORE_MS);
    return success(identity);
  } catch (error) {
    const info = awsErrorInfo(error);
    let diagnosis = awsCallDiagnosis(
      'sts:AssumeRole',
      info,
      `into ${request.roleArn} (${request.where}.role_arn)`,
    );
    if (info.code === 'AccessDenied') {
      diagnosis += ` Check that the role's trust policy lets the caller named above call sts:AssumeRole${
        request.externalId === null
          ? ''
          : `, with an sts:ExternalId condition equal to ${request.where}.external_id (a wrong external ID is also reported as AccessDenied)`
      }, and that the caller's own IAM policy allows sts:AssumeRole on ${request.roleArn}.`;
    }
    return failure('credentials_failed', diagnosis);
  } finally {
    client.destroy();
  }
}

/**
 * The credentials to call EKS and sign the EKS token with.
 *
 * @example
 * const id = await awsIdentity({ region: 'eu-west-1', roleArn: null, externalId: null, where: 'clusters[prod].eks' }, { now: Date.now });
 */
export async function awsIdentity(
  request: AwsIdentityRequest,
  deps: AwsDeps,
): Promise<Outcome<AwsIdentity>> {
  if (request.roleArn !== null) return assumeRole({ ...request, roleArn: request.roleArn }, deps);
  try {
    const provider = await defaultChain(deps.now());
    const credentials = await provider();
    return success({ credentials, description: DEFAULT_CHAIN, secrets: secretsOf(credentials) });
  } catch (error) {
    return failure(
      'credentials_failed',
      awsCallDiagnosis('Resolving AWS credentials', awsErrorInfo(error), `for ${request.where}`),
    );
  }
}
