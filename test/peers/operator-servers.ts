/**
 * The endpoints of the operator differential (operator-verdict.test.ts), each on the loopback
 * address discovery gives it in the kubeadm-like cluster (test/k8s/cluster-fixture.ts moved to
 * `127.<second>.x.y`) or in fixtures/differential/cluster.yaml, so both scrapers meet the same
 * servers: the control plane as kube-prometheus-stack's monitors find it (the API server with a
 * cluster-CA certificate for `kubernetes`, kubelets and kube-scheduler checking tokens with the
 * cluster and RBAC, one kubelet with webhook authentication off, kube-controller-manager bound
 * elsewhere, a kube-proxy answering 500), and the cases of the extra monitors (mutual TLS from the
 * cluster CA, a bearer token, basic auth, oauth2 access tokens, a rich exposition, params).
 */
import { createServer as createHttp, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttps, type ServerOptions } from 'node:https';
import type { Server, Socket } from 'node:net';
import { makeCa, makeLeaf } from '#lib/lab/certs.ts';
import type { K8sEmulator } from '../k8s/emulator.ts';
import type { Attributes } from '../k8s/emulator-rbac.ts';

const TEXT = 'text/plain; version=0.0.4; charset=utf-8';

/** What the servers check credentials against. */
export interface Credentials {
  bearer: string;
  username: string;
  password: string;
  /** Access tokens the oauth2 token endpoint handed out. */
  oauthIssued: ReadonlySet<string>;
}

/** The rich exposition: 7 samples, two of them `diff_debug_*`, some with `job` and `instance`. */
export const RICH = `# TYPE diff_requests_total counter
diff_requests_total{code="200",job="exported-job",instance="exported-instance"} 10
diff_requests_total{code="500",job="exported-job"} 2
# TYPE diff_temperature_celsius gauge
diff_temperature_celsius{room="a"} 21
diff_temperature_celsius{room="b"} 22
diff_temperature_celsius{room="c"} 23
# TYPE diff_debug_info gauge
diff_debug_info{build="abc"} 1
diff_debug_extra 1
`;

/** A small exposition whose size depends on where it is served, so series counts mean something. */
function metricsFor(host: string, path: string): string {
  const n = 1 + ((Number(host.split('.').at(-1)) + path.length) % 4);
  const lines = ['# TYPE diff_up_total counter'];
  for (let i = 0; i < n; i++) lines.push(`diff_up_total{path="${path}",i="${i}"} ${i}`);
  return `${lines.join('\n')}\n`;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

function reply(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': TEXT }).end(body);
}

/** The running endpoints; `close()` stops them all. */
export interface DifferentialServers {
  close(): Promise<void>;
}

/** Starts every endpoint; `net` is the cluster's `127.<second>` prefix. */
export async function startDifferentialServers(
  emu: K8sEmulator,
  net: string,
  creds: Credentials,
  clientCa: { certPem: string },
): Promise<DifferentialServers> {
  const servers: Server[] = [];
  const sockets = new Set<Socket>();
  const listen = async (
    host: string,
    port: number,
    handler: Handler,
    tls?: ServerOptions,
  ): Promise<void> => {
    const wrapped = (req: IncomingMessage, res: ServerResponse): void => {
      Promise.resolve(handler(req, res)).catch((error: unknown) => {
        res.writeHead(500).end(String(error));
      });
    };
    const server = tls === undefined ? createHttp(wrapped) : createHttps(tls, wrapped);
    server.on('tlsClientError', () => undefined);
    server.on('connection', (s: Socket) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, resolve);
    });
    servers.push(server);
  };

  /** 401 without a token the cluster accepts, 403 when RBAC refuses `attrs`. */
  const clusterAuth =
    (attrs: (req: IncomingMessage) => Attributes, then: Handler): Handler =>
    async (req, res) => {
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const user = token === undefined ? null : await emu.authenticateToken(token);
      if (user === null) reply(res, 401, 'Unauthorized\n');
      else if (!emu.rbac.authorize(user, attrs(req)).allowed) reply(res, 403, 'Forbidden\n');
      else await then(req, res);
    };
  const nonResource = (req: IncomingMessage): Attributes => ({
    kind: 'nonResource',
    verb: 'get',
    path: new URL(req.url ?? '/', 'http://x').pathname,
  });
  const plain =
    (host: string): Handler =>
    (req, res) => {
      reply(res, 200, metricsFor(host, new URL(req.url ?? '/', 'http://x').pathname));
    };
  /** Serves `host`'s metrics when `allowed(req)`, else answers `status`. */
  const only =
    (host: string, allowed: (req: IncomingMessage) => boolean, status = 401): Handler =>
    (req, res) => {
      if (allowed(req))
        reply(res, 200, metricsFor(host, new URL(req.url ?? '/', 'http://x').pathname));
      else reply(res, status, status === 404 ? '404 page not found\n' : 'Unauthorized\n');
    };
  const fixed =
    (status: number, body: string): Handler =>
    (_req, res) => {
      reply(res, status, body);
    };

  // The control plane on cp-1 (.0.10), worker-1 (.0.11), worker-2 (.0.12).
  const node = (i: number) => `${net}.0.${10 + i}`;
  const apiserverLeaf = await makeLeaf(emu.ca, {
    commonName: 'kube-apiserver',
    dns: ['kubernetes', 'kubernetes.default.svc'],
    ips: [node(0)],
  });
  await listen(node(0), 6443, clusterAuth(nonResource, plain(node(0))), {
    cert: apiserverLeaf.certPem,
    key: apiserverLeaf.keyPem,
  });
  // kubelets and kube-scheduler serve self-signed certificates (the monitors skip verification).
  const selfSigned = await makeCa({ commonName: 'kubelet-self-signed', ips: [node(0), node(1)] });
  const kubeletTls = { cert: selfSigned.certPem, key: selfSigned.keyPem };
  for (const i of [0, 1]) {
    const name = ['cp-1', 'worker-1'][i]!;
    // The kubelet's authorizer: nodes/metrics for every /metrics path.
    const attrs = (): Attributes => ({
      kind: 'resource',
      verb: 'get',
      group: '',
      resource: 'nodes',
      subresource: 'metrics',
      name,
    });
    await listen(node(i), 10250, clusterAuth(attrs, plain(node(i))), kubeletTls);
  }
  // worker-2's kubelet runs without webhook authentication: no token is ever accepted.
  await listen(node(2), 10250, fixed(401, 'Unauthorized\n'), kubeletTls);
  await listen(node(0), 10259, clusterAuth(nonResource, plain(node(0))), kubeletTls);
  // kube-controller-manager (10257) is not served: it binds 127.0.0.1 on a kubeadm node.
  await listen(node(0), 2381, plain(node(0)));
  for (const i of [0, 1]) await listen(node(i), 10249, plain(node(i)));
  await listen(node(2), 10249, fixed(500, 'iptables sync failed\n'));
  // CoreDNS pods, and the shop's checkout pods (one of them not ready, still scraped).
  for (const ip of [`${net}.1.2`, `${net}.2.2`]) await listen(ip, 9153, plain(ip));
  for (const ip of [`${net}.2.5`, `${net}.2.6`, `${net}.3.7`]) await listen(ip, 9090, plain(ip));

  // The apps namespace (fixtures/differential/cluster.yaml).
  const secureLeaf = await makeLeaf(emu.ca, { commonName: 'secure', dns: ['secure.apps.svc'] });
  await listen(`${net}.9.1`, 8443, plain(`${net}.9.1`), {
    cert: secureLeaf.certPem,
    key: secureLeaf.keyPem,
    ca: clientCa.certPem,
    requestCert: true,
    rejectUnauthorized: true,
  });
  await listen(
    `${net}.9.2`,
    8080,
    only(`${net}.9.2`, (req) => req.headers.authorization === `Bearer ${creds.bearer}`),
  );
  const basic = `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
  for (const [ip, port] of [
    [`${net}.9.3`, 8080],
    [`${net}.9.30`, 9100],
  ] as const)
    await listen(
      ip,
      port,
      only(ip, (req) => req.headers.authorization === basic),
    );
  const oauthToken = (req: IncomingMessage) =>
    /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
  await listen(
    `${net}.9.4`,
    8080,
    only(`${net}.9.4`, (req) => creds.oauthIssued.has(oauthToken(req))),
  );
  for (const last of [5, 6, 7, 10])
    await listen(`${net}.9.${last}`, 8080, plain(`${net}.9.${last}`));
  await listen(`${net}.9.8`, 8080, fixed(200, RICH));
  const params = (req: IncomingMessage): boolean => {
    const url = new URL(req.url ?? '/', 'http://x');
    const q = url.searchParams;
    return (
      url.pathname === '/custom/metrics' &&
      q.get('module') === 'cpu' &&
      q.get('format') === 'prometheus'
    );
  };
  await listen(`${net}.9.9`, 8080, only(`${net}.9.9`, params, 404));
  // What the Probe's blackbox_exporter probes: .9.20 answers, .9.21 refuses.
  await listen(`${net}.9.20`, 8080, fixed(200, 'ok\n'));

  return {
    async close() {
      for (const s of sockets) s.destroy();
      await Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((resolve) => {
              s.close(() => {
                resolve();
              });
            }),
        ),
      );
    },
  };
}
