/**
 * Loopback HTTPS /metrics endpoints for the function tests (certificates made on the spot), a
 * config that checks them, and capture of everything the functions print.
 */
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeCa, makeLeaf } from '#lib/lab/certs.ts';
import { LAB_METRICS } from '#lib/lab/exposition.ts';

/** Secrets the tests put in configs and requests; no output may contain any of them. */
export const SECRETS = {
  bearer: 'bearer-SECRET-a1b2c3',
  password: 'password-SECRET-d4e5f6',
  remoteWrite: 'rw-SECRET-g7h8i9',
  signing: 'slack-signing-SECRET-j0k1l2',
} as const;

export interface Targets {
  dir: string;
  instance: string;
  configPath: string;
  close(): Promise<void>;
}

export interface ConfigExtras {
  fanout?: 'inline' | 'sqs';
  remoteWriteUrl?: string;
  chatops?: string;
  /** `chatops.response_url_hosts` (host:port of a local receiver), beside the default allow-lists. */
  responseUrlHosts?: string[];
}

/**
 * Starts one HTTPS server: `/metrics` wants the bearer token, `/basic` the password, `/forbidden`
 * always answers 403. Writes `scrape-check.yaml` with three jobs against it and a cluster whose
 * kubeconfig does not exist (a `credentials_failed` verdict, without any network).
 */
export async function startTargets(extras: ConfigExtras = {}): Promise<Targets> {
  const dir = await mkdtemp(join(tmpdir(), 'scrape-check-fn-'));
  const ca = await makeCa({ commonName: 'test-ca' });
  const leaf = await makeLeaf(ca, { commonName: 'etcd', ips: ['127.0.0.1'] });
  await writeFile(join(dir, 'ca.pem'), ca.certPem);
  await writeFile(join(dir, 'token'), `${SECRETS.bearer}\n`);
  const basic = `Basic ${Buffer.from(`u:${SECRETS.password}`).toString('base64')}`;
  const server = createHttpsServer({ cert: leaf.certPem, key: leaf.keyPem }, (req, res) => {
    const ok =
      (req.url === '/metrics' && req.headers.authorization === `Bearer ${SECRETS.bearer}`) ||
      (req.url === '/basic' && req.headers.authorization === basic);
    if (!ok) {
      res.writeHead(req.url === '/forbidden' ? 403 : 401, { 'content-type': 'text/plain' });
      res.end('forbidden: User "system:anonymous" cannot get path "/metrics"\n');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
    res.end(LAB_METRICS);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const instance = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  const lines = [
    'global: { scrape_timeout: 5s }',
    'scrape_configs:',
    '  - job_name: etcd',
    '    scheme: https',
    '    tls_config: { ca_file: ca.pem }',
    '    authorization: { credentials_file: token }',
    `    static_configs: [{ targets: ["${instance}"] }]`,
    '  - job_name: node',
    '    scheme: https',
    '    metrics_path: /basic',
    '    tls_config: { ca_file: ca.pem }',
    `    basic_auth: { username: u, password: "${SECRETS.password}" }`,
    `    static_configs: [{ targets: ["${instance}"] }]`,
    '  - job_name: locked',
    '    scheme: https',
    '    metrics_path: /forbidden',
    '    tls_config: { ca_file: ca.pem }',
    `    static_configs: [{ targets: ["${instance}"] }]`,
    'clusters:',
    '  - name: prod',
    `    kubeconfig: { path: ${join(dir, 'missing-kubeconfig')} }`,
    '    token: { file: token }',
    '    targets: [apiserver, kubelet]',
    '  - name: staging',
    `    kubeconfig: { path: ${join(dir, 'missing-kubeconfig')} }`,
    '    token: { file: token }',
    '    targets: [apiserver]',
    `fanout: ${extras.fanout ?? 'inline'}`,
    extras.chatops ??
      `chatops: { allow_users: [U012AB3CD], allow_channels: [C024BE91L]${extras.responseUrlHosts ? `, response_url_hosts: ${JSON.stringify(extras.responseUrlHosts)}` : ''} }`,
  ];
  if (extras.remoteWriteUrl) {
    lines.push(
      'sinks:',
      '  emf: { namespace: ScrapeCheckTest }',
      `  remote_write: { url: "${extras.remoteWriteUrl}", authorization: { credentials: "${SECRETS.remoteWrite}" }, forward: ["^apiserver_request_total$"] }`,
    );
  }
  const configPath = join(dir, 'scrape-check.yaml');
  await writeFile(configPath, `${lines.join('\n')}\n`);
  return {
    dir,
    instance,
    configPath,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

/**
 * Everything written as text to stdout and stderr while `fn` runs. Binary writes pass through: they
 * are the test runner's own reports from this child process, which must reach the parent.
 */
export async function captureOutput<T>(
  fn: () => Promise<T>,
): Promise<{ value: T; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const originalOut = process.stdout.write.bind(process.stdout);
  const originalErr = process.stderr.write.bind(process.stderr);
  const tap =
    (sink: string[], original: typeof process.stdout.write): typeof process.stdout.write =>
    (chunk: string | Uint8Array, ...rest: unknown[]) => {
      if (typeof chunk === 'string') {
        sink.push(chunk);
        return true;
      }
      return (original as (c: Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
    };
  process.stdout.write = tap(out, originalOut);
  process.stderr.write = tap(err, originalErr);
  try {
    const value = await fn();
    return { value, stdout: out.join(''), stderr: err.join('') };
  } finally {
    process.stdout.write = originalOut;
    process.stderr.write = originalErr;
  }
}

/** JSON lines of an output, parsed. */
export function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line.trim().startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Fails when any of the test's secrets appears in `text`. */
export function secretsIn(text: string): string[] {
  return Object.values(SECRETS).filter((secret) => text.includes(secret));
}
