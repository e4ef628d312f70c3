/**
 * Into an EKS cluster: credentials (default chain, optionally sts:AssumeRole), DescribeCluster
 * for the endpoint, CA, version and status, and the EKS token for the checker's API calls. All
 * three are cached across warm invocations; the token is renewed well before its 15 minutes.
 */
import {
  awsCallDiagnosis,
  awsIdentity,
  type AwsDeps,
  type AwsIdentity,
} from './aws-credentials.ts';
import { awsErrorInfo } from './aws-errors.ts';
import { moduleCache } from './cache.ts';
import { EKS_TOKEN_REUSE_MS, makeEksToken } from './eks-token.ts';
import { failure, success, type Outcome } from './outcome.ts';
import type { ClusterConnection } from './types.ts';

/** The `clusters[].eks` entry, normalised (empty strings are absent). */
export interface EksRef {
  cluster: string;
  region: string;
  roleArn: string | null;
  externalId: string | null;
}

/** What DescribeCluster says that scrape-check uses. */
export interface EksClusterInfo {
  endpoint: string;
  caPem: string;
  version: string | null;
  status: string | null;
  arn: string | null;
  publicAccess: boolean | null;
}

const DESCRIBE_TTL_MS = 10 * 60_000;
const descriptions = moduleCache<EksClusterInfo>();
const tokens = moduleCache<string>();

async function describe(
  name: string,
  ref: EksRef,
  identity: AwsIdentity,
  deps: AwsDeps,
): Promise<Outcome<EksClusterInfo>> {
  const key = `${ref.region}|${ref.cluster}|${ref.roleArn ?? ''}`;
  const cached = descriptions.get(key, deps.now());
  if (cached !== undefined) return success(cached);
  const { EKSClient, DescribeClusterCommand } = await import('@aws-sdk/client-eks');
  const { accessKeyId, secretAccessKey, sessionToken, expiration } = identity.credentials;
  const client = new EKSClient({
    region: ref.region,
    credentials: {
      accessKeyId,
      secretAccessKey,
      ...(sessionToken === undefined ? {} : { sessionToken }),
      ...(expiration === undefined ? {} : { expiration }),
    },
    ...(deps.maxAttempts === undefined ? {} : { maxAttempts: deps.maxAttempts }),
  });
  const where = `clusters[${name}].eks`;
  try {
    const { cluster } = await client.send(new DescribeClusterCommand({ name: ref.cluster }));
    const endpoint = cluster?.endpoint;
    const ca = cluster?.certificateAuthority?.data;
    const status = cluster?.status ?? null;
    if (endpoint === undefined || ca === undefined) {
      return failure(
        'credentials_failed',
        `EKS DescribeCluster for "${ref.cluster}" in ${ref.region} returned no ${endpoint === undefined ? 'endpoint' : 'certificate authority'} (cluster status ${status ?? 'unknown'}): a cluster that is still CREATING has neither yet. Wait for it to become ACTIVE.`,
      );
    }
    const info: EksClusterInfo = {
      endpoint,
      caPem: Buffer.from(ca, 'base64').toString('utf8'),
      version: cluster?.version ?? null,
      status,
      arn: cluster?.arn ?? null,
      publicAccess: cluster?.resourcesVpcConfig?.endpointPublicAccess ?? null,
    };
    descriptions.set(key, info, deps.now() + DESCRIBE_TTL_MS);
    return success(info);
  } catch (error) {
    const info = awsErrorInfo(error, identity.secrets);
    const call = 'EKS DescribeCluster';
    const what = `for cluster "${ref.cluster}" in ${ref.region} as ${identity.description}`;
    let diagnosis = awsCallDiagnosis(call, info, what);
    if (info.code === 'ResourceNotFoundException') {
      diagnosis = `EKS cluster "${ref.cluster}" not found in ${ref.region} (DescribeCluster: ResourceNotFoundException) as ${identity.description}. Check ${where}.cluster and ${where}.region against \`aws eks list-clusters --region ${ref.region}\`; a cluster in another account needs ${where}.role_arn for a role in that account.`;
    } else if (info.code === 'AccessDeniedException') {
      diagnosis += ` Grant eks:DescribeCluster on arn:aws:eks:${ref.region}:<account>:cluster/${ref.cluster} to ${identity.description} (deploy/aws/iam-policy.json).`;
    }
    return failure('credentials_failed', diagnosis, identity.secrets);
  } finally {
    client.destroy();
  }
}

/**
 * Connects to an EKS cluster as the checker.
 *
 * @example
 * const conn = await connectEks('prod', { cluster: 'prod-eks', region: 'eu-west-1', roleArn: null, externalId: null }, { now: Date.now });
 */
export async function connectEks(
  name: string,
  ref: EksRef,
  deps: AwsDeps,
): Promise<Outcome<ClusterConnection>> {
  const identity = await awsIdentity(
    {
      region: ref.region,
      roleArn: ref.roleArn,
      externalId: ref.externalId,
      where: `clusters[${name}].eks`,
    },
    deps,
  );
  if (!identity.ok) return identity;
  const described = await describe(name, ref, identity.value, deps);
  if (!described.ok) return described;
  const info = described.value;

  const { credentials } = identity.value;
  const now = deps.now();
  const tokenKey = `${ref.region}|${ref.cluster}|${ref.roleArn ?? ''}|${credentials.accessKeyId}`;
  let token = tokens.get(tokenKey, now);
  if (token === undefined) {
    try {
      token = await makeEksToken({
        cluster: ref.cluster,
        region: ref.region,
        credentials,
        signingDate: new Date(now),
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return failure(
        'credentials_failed',
        `Signing the EKS token for "${ref.cluster}" failed: ${message}.`,
        identity.value.secrets,
      );
    }
    // Reuse for 10 of its 15 minutes, and never past the credentials that signed it.
    const credentialsEnd = credentials.expiration?.getTime() ?? Number.POSITIVE_INFINITY;
    tokens.set(tokenKey, token, Math.min(now + EKS_TOKEN_REUSE_MS, credentialsEnd - 60_000));
  }

  const warnings: string[] = [];
  if (info.status !== null && info.status !== 'ACTIVE') {
    warnings.push(
      `EKS reports cluster "${ref.cluster}" as ${info.status}, not ACTIVE: results may reflect the change in progress.`,
    );
  }
  if (info.publicAccess === false) {
    warnings.push(
      `The API endpoint of "${ref.cluster}" is private: scrape-check must run inside its VPC (or a peered network) to reach it.`,
    );
  }
  const principal = ref.roleArn ?? '<the execution role ARN>';
  const server = URL.parse(info.endpoint);
  if (server === null) {
    return failure(
      'credentials_failed',
      `EKS DescribeCluster for "${ref.cluster}" returned an endpoint that is not a URL; retry, and report it to AWS if it persists.`,
    );
  }
  return success({
    name,
    server,
    caPem: info.caPem,
    tls: {},
    authorization: `Bearer ${token}`,
    flavor: 'eks',
    version: info.version,
    identity: identity.value.description,
    identityHint: `Its Kubernetes groups come from the cluster's EKS access entry (aws eks describe-access-entry --cluster-name ${ref.cluster} --principal-arn ${principal}); deploy/kubernetes/checker-rbac.yaml binds the group scrape-check-checkers.`,
    rejectedHint: `EKS maps no Kubernetes identity to that IAM principal: give it an access entry (aws eks create-access-entry --cluster-name ${ref.cluster} --principal-arn ${principal} --kubernetes-groups scrape-check-checkers; the cluster's authentication mode must include API) or an aws-auth mapping. A clock more than 15 minutes off also makes EKS refuse the token.`,
    warnings,
    secrets: [...identity.value.secrets, token],
  });
}
