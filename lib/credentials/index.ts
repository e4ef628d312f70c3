/**
 * Getting into a cluster and getting the scoped token: EKS (DescribeCluster, optional
 * sts:AssumeRole, the `aws eks get-token` token), kubeconfig (client-node's loader, any auth),
 * and TokenRequest / legacy Secret / token file. Failures are values with contract reason codes.
 * Heavy modules (AWS SDK, client-node) load on first use, through dynamic `import()`.
 */
export { apiFailure } from './api-failure.ts';
export type { ApiCallContext } from './api-failure.ts';
export { namespacedPath } from './api-path.ts';
export { apiServerTls } from './api-tls.ts';
export type { ApiServerTls } from './api-tls.ts';
export { resetCredentialCache } from './cache.ts';
export { connectEks } from './eks.ts';
export type { EksRef } from './eks.ts';
export {
  EKS_TOKEN_LIFETIME_MS,
  EKS_TOKEN_PREFIX,
  EKS_TOKEN_REUSE_MS,
  makeEksToken,
  stsHost,
} from './eks-token.ts';
export type { AwsCredentials, EksTokenOptions } from './eks-token.ts';
export { decodeClaims, tokenInfo } from './jwt.ts';
export type { TokenClaims } from './jwt.ts';
export { apiUrl, callApi, explainNetworkCode } from './kube-api.ts';
export type { ApiCallOptions, ApiResult } from './kube-api.ts';
export { connectKubeconfig, expandHome } from './kubeconfig.ts';
export type { KubeconfigRef } from './kubeconfig.ts';
export { failure, success } from './outcome.ts';
export type { Failure, Outcome } from './outcome.ts';
export { redact } from './redact.ts';
export { MIN_EXPIRATION_SECONDS, obtainScopedToken, subjectOf } from './service-account-token.ts';
export type { ScopedToken, Subject, TokenSource } from './service-account-token.ts';
export type { ClusterConnection, ConnectionTls } from './types.ts';
