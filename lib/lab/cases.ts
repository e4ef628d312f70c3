/**
 * The lab's cases: each one a breakage users meet, the endpoint that reproduces it, and the reason
 * scrape-check must give. Endpoints are described here; lib/lab/servers.ts brings them up.
 */
import type { Reason } from '#lib/result/reasons.ts';

/** The certificate an endpoint serves. */
export type LabCert =
  'good' | 'expired' | 'rogue-ca' | 'wrong-name' | 'cn-only' | 'leaf-only' | 'dns-only' | 'none';

/** What an endpoint does with a request. */
export type LabBehaviour =
  | 'metrics'
  | 'unauthorized'
  | 'forbidden-rbac'
  | 'forbidden-anonymous'
  | 'forbidden-kubelet'
  | 'slow'
  | 'huge'
  | 'malformed'
  | 'html'
  | 'empty'
  | 'many-samples';

/** One case of the lab: a breakage, how an endpoint reproduces it, and the verdict it must get. */
export interface LabCase {
  /** The job name in the lab's config, and the row's name in the table. */
  job: string;
  title: string;
  expect: Reason;
  /** What Prometheus 2 would give instead, where it decides differently. */
  prometheus2?: Reason;
  server:
    { cert: LabCert; mtls?: boolean; plain?: boolean; behaviour: LabBehaviour } | { refused: true };
  /** Extra keys for this job's scrape_config (YAML flow text). */
  config?: Record<string, unknown>;
  /** Which token file the job sends. */
  token?: 'good' | 'expired' | 'legacy' | 'none';
  /** Use `localhost` instead of 127.0.0.1 as the target's host. */
  byName?: boolean;
  /** A fixed port instead of the server's (a port nothing listens on). */
  port?: number;
}

/** Every case, in the order the lab shows them. */
export const LAB_CASES: LabCase[] = [
  {
    job: 'healthy',
    title: 'a healthy TLS endpoint with a bearer token',
    expect: 'ok',
    server: { cert: 'good', behaviour: 'metrics' },
    token: 'good',
  },
  {
    job: 'expired-cert',
    title: 'a server certificate that expired yesterday',
    expect: 'tls_cert_expired',
    server: { cert: 'expired', behaviour: 'metrics' },
    token: 'good',
  },
  {
    job: 'unknown-ca',
    title: 'a certificate from a CA that is not in ca_file (a rotated CA)',
    expect: 'tls_unknown_ca',
    server: { cert: 'rogue-ca', behaviour: 'metrics' },
    token: 'good',
  },
  {
    job: 'name-mismatch',
    title: 'a certificate for another host name',
    expect: 'tls_hostname_mismatch',
    server: { cert: 'wrong-name', behaviour: 'metrics' },
    token: 'good',
    byName: true,
  },
  {
    job: 'cn-only-cert',
    title:
      'a certificate that names its host only in the Common Name (Node accepts it, Prometheus does not)',
    expect: 'tls_hostname_mismatch',
    server: { cert: 'cn-only', behaviour: 'metrics' },
    token: 'good',
    byName: true,
  },
  {
    job: 'mtls-no-client-cert',
    title: 'etcd-style mTLS, scraped without a client certificate',
    expect: 'tls_client_cert_rejected',
    server: { cert: 'good', mtls: true, behaviour: 'metrics' },
  },
  {
    job: 'expired-token',
    title: 'a bound ServiceAccount token that has expired',
    expect: 'http_unauthorized',
    server: { cert: 'good', behaviour: 'metrics' },
    token: 'expired',
  },
  {
    job: 'rbac-forbidden',
    title: 'a ClusterRole without nonResourceURLs: ["/metrics"]',
    expect: 'http_forbidden',
    server: { cert: 'good', behaviour: 'forbidden-rbac' },
    token: 'good',
  },
  {
    job: 'anonymous',
    title: 'kube-scheduler without --authentication-kubeconfig (sees system:anonymous)',
    expect: 'http_forbidden',
    server: { cert: 'good', behaviour: 'forbidden-anonymous' },
    token: 'good',
  },
  {
    job: 'slow',
    title: 'a server slower than scrape_timeout',
    expect: 'scrape_timeout',
    server: { cert: 'good', behaviour: 'slow' },
    token: 'good',
    config: { scrape_timeout: '500ms' },
  },
  {
    job: 'too-large',
    title: 'a body over body_size_limit',
    expect: 'body_too_large',
    server: { cert: 'good', behaviour: 'huge' },
    token: 'good',
    config: { body_size_limit: '64KiB' },
  },
  {
    job: 'malformed',
    title: 'a malformed exposition',
    expect: 'parse_failed',
    server: { cert: 'good', behaviour: 'malformed' },
    token: 'good',
  },
  {
    job: 'html-content-type',
    title: 'a text/html Content-Type, refused by Prometheus 3',
    expect: 'unsupported_content_type',
    prometheus2: 'ok',
    server: { cert: 'good', behaviour: 'html' },
    token: 'good',
  },
  {
    job: 'empty',
    title: 'a valid but empty exposition',
    expect: 'no_samples',
    server: { cert: 'good', behaviour: 'empty' },
    token: 'good',
  },
  {
    job: 'sample-limit',
    title: 'more samples than sample_limit',
    expect: 'sample_limit_exceeded',
    server: { cert: 'good', behaviour: 'many-samples' },
    token: 'good',
    config: { sample_limit: 100 },
  },
  {
    job: 'insecure-skip-verify',
    title: 'insecure_skip_verify hiding an expired certificate',
    expect: 'ok',
    server: { cert: 'expired', behaviour: 'metrics' },
    token: 'good',
    config: { tls_config: { insecure_skip_verify: true } },
  },
  {
    job: 'kubelet-forbidden',
    title: 'a kubelet refusing a ServiceAccount without nodes/metrics',
    expect: 'http_forbidden',
    server: { cert: 'good', behaviour: 'forbidden-kubelet' },
    token: 'good',
  },
  {
    job: 'missing-intermediate',
    title: 'a server that does not send its intermediate certificate',
    expect: 'tls_unknown_ca',
    server: { cert: 'leaf-only', behaviour: 'metrics' },
    token: 'good',
  },
  {
    job: 'ip-without-ip-san',
    title: 'an IP target whose certificate has only DNS names',
    expect: 'tls_hostname_mismatch',
    server: { cert: 'dns-only', behaviour: 'metrics' },
    token: 'good',
  },
  {
    job: 'tls-to-plain-port',
    title: 'scheme: https against a plain HTTP port',
    expect: 'tls_handshake_failed',
    server: { cert: 'good', plain: true, behaviour: 'metrics' },
    token: 'good',
  },
  {
    job: 'label-limit',
    title: 'a histogram with more labels than label_limit',
    expect: 'label_limit_exceeded',
    server: { cert: 'good', behaviour: 'metrics' },
    token: 'good',
    config: { label_limit: 10 },
  },
  {
    job: 'legacy-token',
    title: 'a legacy Secret token: it works today, and never expires',
    expect: 'ok',
    server: { cert: 'good', behaviour: 'metrics' },
    token: 'legacy',
  },
  {
    job: 'removed-port',
    title: 'the removed insecure kube-scheduler port 10251',
    expect: 'connect_refused',
    server: { refused: true },
    port: 10251,
    config: { scheme: 'http' },
  },
];
