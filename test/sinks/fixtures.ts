/** Results and servers shared by the sink, function and chatops tests. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CheckResult } from '#lib/result/types.ts';

/** A passing result for a plain job, with a certificate; override what a test needs. */
export function makeResult(overrides: Partial<CheckResult> = {}): CheckResult {
  return {
    job: 'etcd',
    cluster: null,
    instance: '127.0.0.1:2379',
    url: 'https://127.0.0.1:2379/metrics',
    ok: true,
    reason: 'ok',
    diagnosis: '',
    httpStatus: 200,
    durationMs: 14.2,
    phases: { dnsMs: 0, connectMs: 0.4, tlsMs: 3.1, firstByteMs: 5, bodyMs: 1 },
    bytes: 2048,
    series: 42,
    format: 'prometheus',
    tls: {
      version: 'TLSv1.3',
      verified: true,
      notAfter: '2027-01-01T00:00:00.000Z',
      daysLeft: 37,
      subject: 'CN=etcd',
      issuer: 'CN=etcd-ca',
      verificationSkipped: false,
      earliestNotAfter: '2027-01-01T00:00:00.000Z',
      chainNotAfter: '2027-01-01T00:00:00.000Z',
      sans: ['127.0.0.1'],
      fingerprintSha256: null,
    },
    token: null,
    limits: {
      bodyBytes: 2048,
      bodySizeLimit: 0,
      samples: 42,
      sampleLimit: 0,
      durationMs: 14.2,
      scrapeTimeoutMs: 10_000,
    },
    warnings: [],
    ...overrides,
  };
}

/** A failing cluster target without TLS. */
export function makeFailedClusterResult(overrides: Partial<CheckResult> = {}): CheckResult {
  return makeResult({
    job: 'apiserver',
    cluster: 'prod',
    instance: '10.0.0.1:443',
    url: 'https://10.0.0.1:443/metrics',
    ok: false,
    reason: 'http_forbidden',
    diagnosis: 'the ServiceAccount monitoring/prometheus may not get /metrics (RBAC)',
    httpStatus: 403,
    series: 0,
    tls: null,
    ...overrides,
  });
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

export interface TestServer {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/**
 * An HTTP server on 127.0.0.1, port 0, that records every request and answers with `respond`.
 */
export async function startServer(
  respond: (request: RecordedRequest, response: ServerResponse) => void | Promise<void>,
): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      requests.push(recorded);
      void Promise.resolve(respond(recorded, res)).catch((error: unknown) => {
        res.statusCode = 500;
        res.end(String(error));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
