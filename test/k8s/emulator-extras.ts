/**
 * What the emulator serves besides its API: metric expositions that look like the real
 * components', and the self-managed control-plane servers (kube-scheduler and
 * kube-controller-manager with a self-signed certificate and delegated authentication and
 * authorization, etcd with mutual TLS).
 */
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { makeCa, makeLeaf, type Issued } from '#lib/lab/certs.ts';
import type { Attributes, Decision, UserInfo } from './emulator-rbac.ts';
import { forbiddenMessage } from './emulator-rbac.ts';

export const EXPOSITION_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export const METRICS = {
  apiserver: `# HELP apiserver_request_total [STABLE] Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.
# TYPE apiserver_request_total counter
apiserver_request_total{code="200",component="apiserver",dry_run="",group="",resource="nodes",scope="cluster",subresource="",verb="LIST",version="v1"} 42
apiserver_request_total{code="201",component="apiserver",dry_run="",group="",resource="serviceaccounts",scope="resource",subresource="token",verb="POST",version="v1"} 7
# HELP apiserver_storage_objects [STABLE] Number of stored objects at the time of last check split by kind.
# TYPE apiserver_storage_objects gauge
apiserver_storage_objects{resource="nodes"} 3
`,
  scheduler: `# HELP scheduler_pending_pods [STABLE] Number of pending pods, by the queue type.
# TYPE scheduler_pending_pods gauge
scheduler_pending_pods{queue="active"} 0
scheduler_pending_pods{queue="backoff"} 0
scheduler_pending_pods{queue="gated"} 0
scheduler_pending_pods{queue="unschedulable"} 2
`,
  controllerManager: `# HELP workqueue_depth [ALPHA] Current depth of workqueue
# TYPE workqueue_depth gauge
workqueue_depth{name="replicaset"} 0
workqueue_depth{name="deployment"} 1
`,
  kubelet: (
    node: string,
  ) => `# HELP kubelet_running_pods [ALPHA] Number of pods that have a running pod sandbox
# TYPE kubelet_running_pods gauge
kubelet_running_pods 12
# HELP kubelet_node_name [ALPHA] The node's name. The count is always 1.
# TYPE kubelet_node_name gauge
kubelet_node_name{node="${node}"} 1
`,
  cadvisor: (
    node: string,
  ) => `# HELP container_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the container in core-seconds
# TYPE container_cpu_usage_seconds_total counter
container_cpu_usage_seconds_total{container="kube-proxy",namespace="kube-system",node="${node}",pod="kube-proxy-x"} 12.5
`,
  etcd: `# HELP etcd_server_has_leader Whether or not a leader exists. 1 is existence, 0 is not.
# TYPE etcd_server_has_leader gauge
etcd_server_has_leader 1
`,
};

/** A Kubernetes Status body. */
export function status(
  code: number,
  reason: string,
  message: string,
  details?: Record<string, unknown>,
): string {
  return JSON.stringify({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details === undefined ? {} : { details }),
    code,
  });
}

export interface ComponentServer {
  port: number;
  /** The component's self-signed serving certificate (as kubeadm's in-memory one). */
  ca: Issued;
  stop(): Promise<void>;
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function stopper(server: Server): () => Promise<void> {
  return async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) =>
      server.close(() => {
        resolve();
      }),
    );
  };
}

/**
 * A self-managed kube-scheduler or kube-controller-manager: a self-signed certificate, bearer
 * tokens checked with the API server (TokenReview) and /metrics with a SubjectAccessReview.
 */
export async function startComponent(
  name: 'kube-scheduler' | 'kube-controller-manager',
  authenticate: (token: string) => Promise<UserInfo | null>,
  authorize: (user: UserInfo, attrs: Attributes) => Decision,
): Promise<ComponentServer> {
  const ca = await makeCa({ commonName: `${name}-ca@1700000000` });
  const leaf = await makeLeaf(ca, {
    commonName: `${name}@1700000000`,
    ips: ['127.0.0.1'],
    dns: ['localhost'],
  });
  const server = createServer({ key: leaf.keyPem, cert: leaf.certPem }, (req, res) => {
    void (async () => {
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const user = token === undefined ? null : await authenticate(token);
      if (user === null) {
        res
          .writeHead(401, { 'content-type': 'application/json' })
          .end(status(401, 'Unauthorized', 'Unauthorized'));
        return;
      }
      const attrs: Attributes = {
        kind: 'nonResource',
        verb: 'get',
        path: new URL(req.url ?? '/', 'https://x').pathname,
      };
      if (!authorize(user, attrs).allowed) {
        res
          .writeHead(403, { 'content-type': 'application/json' })
          .end(status(403, 'Forbidden', forbiddenMessage(user.username, attrs), {}));
        return;
      }
      if (attrs.path !== '/metrics') {
        res.writeHead(404).end('404 page not found\n');
        return;
      }
      res
        .writeHead(200, { 'content-type': EXPOSITION_TYPE })
        .end(name === 'kube-scheduler' ? METRICS.scheduler : METRICS.controllerManager);
    })();
  });
  const port = await listen(server);
  return { port, ca, stop: stopper(server) };
}

export interface EtcdServer extends ComponentServer {
  /** A client certificate etcd accepts (as kubeadm's apiserver-etcd-client). */
  client: Issued;
}

/** etcd's client port: mutual TLS against the etcd CA, /metrics for any verified client. */
export async function startEtcd(): Promise<EtcdServer> {
  const ca = await makeCa({ commonName: 'etcd-ca' });
  const leaf = await makeLeaf(ca, { commonName: 'etcd', ips: ['127.0.0.1'], dns: ['localhost'] });
  const client = await makeLeaf(ca, { commonName: 'kube-apiserver-etcd-client', client: true });
  const server = createServer(
    {
      key: leaf.keyPem,
      cert: leaf.certPem,
      ca: [ca.certPem],
      requestCert: true,
      rejectUnauthorized: true,
    },
    (req, res) => {
      if (req.url !== '/metrics') {
        res.writeHead(404).end('404 page not found\n');
        return;
      }
      res.writeHead(200, { 'content-type': EXPOSITION_TYPE }).end(METRICS.etcd);
    },
  );
  const port = await listen(server);
  return { port, ca, client, stop: stopper(server) };
}
