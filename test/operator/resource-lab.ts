/**
 * A small cluster for the entry-point tests of `clusters[].prometheus.resource`: the emulator with
 * a Prometheus resource `monitoring/k8s` (ServiceAccount `prometheus-k8s`, interval 15s, timeout
 * 5s, selecting monitors labelled `team: obs`), its ServiceMonitors (a bearer token and a
 * basic-auth pair from Secrets, the pod's own ServiceAccount token, and one monitor it does not
 * select), and the generated Secret `prometheus-k8s` written for the selected ones; the same for
 * a PrometheusAgent `monitoring/edge` and for `monitoring/limited` (`enforcedSampleLimit: 1`, in
 * its Secret's `global`); and `monitoring/unreconciled`, whose Secret the operator never wrote.
 * One loopback /metrics server checks every credential for real; a second endpoint address has
 * nothing listening. Config files for each way in, and every secret value placed in the cluster,
 * for the tests to grep their outputs with.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { AssetStore } from '#lib/operator/store.ts';
import { endpointsFor, service, sliceFor } from '../k8s/cluster-builders.ts';
import {
  loopbackAddresses,
  startClusterEmulator,
  writeAdminKubeconfig,
} from '../k8s/cluster-fixture.ts';
import { putGeneratedSecret, putSecret } from '../k8s/emulator-operator.ts';
import type { K8sEmulator } from '../k8s/emulator.ts';
import { operatorConfigText } from './cluster-helpers.ts';

/** The generated jobs, as the Secret names them. */
export const JOBS = {
  app: 'serviceMonitor/monitoring/app/0',
  secure: 'serviceMonitor/monitoring/secure/0',
  pod: 'serviceMonitor/monitoring/pod-token/0',
} as const;

export const METRICS =
  '# TYPE lab_up gauge\nlab_up 1\n# TYPE lab_requests counter\nlab_requests_total 3\n';

const PROMETHEUS = `apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata: {name: k8s, namespace: monitoring}
spec:
  serviceAccountName: prometheus-k8s
  serviceMonitorSelector: {matchLabels: {team: obs}}
  scrapeInterval: 15s
  scrapeTimeout: 5s
`;

/** The same, with the limit the operator writes into `global` (appendScrapeLimits). */
const LIMITED = PROMETHEUS.replace('name: k8s', 'name: limited').concat(
  '  enforcedSampleLimit: 1\n',
);

const SELECTED = `apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: app, namespace: monitoring, labels: {team: obs}}
spec:
  selector: {matchLabels: {app: app}}
  endpoints: [{port: web, authorization: {credentials: {name: app-token, key: token}}}]
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: secure, namespace: monitoring, labels: {team: obs}}
spec:
  selector: {matchLabels: {app: secure}}
  endpoints:
    - port: web
      path: /basic
      basicAuth:
        username: {name: basic-auth, key: username}
        password: {name: basic-auth, key: password}
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: pod-token, namespace: monitoring, labels: {team: obs}}
spec:
  selector: {matchLabels: {app: pod-token}}
  endpoints:
    - {port: web, path: /pod, bearerTokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token}
`;

/** In the cluster, not selected: `team: obs` is missing. */
const FORGOTTEN = `apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: forgotten, namespace: monitoring}
spec: {selector: {matchLabels: {app: app}}, endpoints: [{port: web}]}
`;

export interface ResourceLab {
  emu: K8sEmulator;
  dir: string;
  /** The live endpoint (every job has it) and the one nothing listens on (job `app` only). */
  live: string;
  dead: string;
  /**
   * Config files: the resource; the resource and `operator: { cluster }`; the unreconciled one;
   * the PrometheusAgent `monitoring/edge`; the limited one, alone and with `operator: { cluster }`.
   */
  configs: {
    resource: string;
    monitors: string;
    missing: string;
    agent: string;
    limited: string;
    limitedMonitors: string;
  };
  /** Every secret a test must not find in an output (read at the end: tokens are issued late). */
  secrets(): string[];
  /** The `sub` of each bearer token the /pod path accepted (the TokenRequest token's identity). */
  podSubjects: string[];
  stop(): Promise<void>;
}

/** Starts the lab on 127.<second>.x.y. */
export async function startResourceLab(second: number): Promise<ResourceLab> {
  const addresses = loopbackAddresses(second);
  const emu = await startClusterEmulator(addresses);
  const dir = mkdtempSync(join(tmpdir(), 'scrape-check-resource-'));
  writeAdminKubeconfig(emu, join(dir, 'kubeconfig'));
  const appToken = `app-${randomBytes(16).toString('hex')}`;
  const username = `user-${randomBytes(6).toString('hex')}`;
  const password = `pw-${randomBytes(16).toString('hex')}`;
  const podSubjects: string[] = [];

  // The pod's ServiceAccount may discover what the chart's Prometheus may.
  emu.applyYaml(`apiVersion: v1
kind: ServiceAccount
metadata: {name: prometheus-k8s, namespace: monitoring}
---
kind: ClusterRole
metadata: {name: prometheus-k8s}
rules:
  - apiGroups: [""]
    resources: [services, endpoints, pods, nodes]
    verbs: [get, list, watch]
  - apiGroups: [discovery.k8s.io]
    resources: [endpointslices]
    verbs: [get, list, watch]
---
kind: ClusterRoleBinding
metadata: {name: prometheus-k8s}
roleRef: {kind: ClusterRole, name: prometheus-k8s}
subjects: [{kind: ServiceAccount, name: prometheus-k8s, namespace: monitoring}]
`);
  putSecret(emu, 'monitoring', 'app-token', { token: appToken });
  putSecret(emu, 'monitoring', 'basic-auth', { username, password });

  const basic = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  const server: Server = createServer((req, res) => {
    void (async () => {
      const auth = req.headers.authorization ?? '';
      let ok = false;
      if (req.url === '/metrics') ok = auth === `Bearer ${appToken}`;
      else if (req.url === '/basic') ok = auth === basic;
      else if (req.url === '/pod' && auth.startsWith('Bearer ')) {
        // The emulator's own authenticator: a real TokenRequest token of the pod's identity.
        const user = await emu.authenticateToken(auth.slice('Bearer '.length));
        if (user !== null) podSubjects.push(user.username);
        ok = user !== null;
      }
      if (!ok) res.writeHead(401, { 'content-type': 'text/plain' }).end('Unauthorized\n');
      else res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(METRICS);
    })();
  });
  const host = `127.${second}.9.1`;
  const deadHost = `127.${second}.9.2`;
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as AddressInfo).port;

  for (const name of ['app', 'secure', 'pod-token']) {
    const svc = service(
      'monitoring',
      name,
      { ports: [{ name: 'web', port }] },
      { labels: { app: name } },
    );
    const backends = [
      { node: 'cp-1' as const, ip: host, ready: true },
      ...(name === 'app' ? [{ node: 'cp-1' as const, ip: deadHost, ready: true }] : []),
    ];
    emu.objects.put(svc);
    emu.objects.put(endpointsFor(svc, backends, [{ name: 'web', port }]));
    emu.objects.put(sliceFor(svc, backends, [{ name: 'web', port }]));
  }

  emu.applyYaml(PROMETHEUS);
  emu.applyYaml(SELECTED);
  emu.applyYaml(FORGOTTEN);
  emu.applyYaml(PROMETHEUS.replace('name: k8s', 'name: unreconciled'));
  // What the operator writes for the monitors it selects, their Secrets' values inlined.
  const store = new AssetStore(null, {
    secrets: {
      'monitoring/app-token': { token: appToken },
      'monitoring/basic-auth': { username, password },
    },
  });
  // buildGlobalConfig writes the interval and timeout (and limits) into `global`, not the jobs.
  const generated = (prometheus: string, global: Record<string, unknown>): string => {
    const doc = parse(operatorConfigText(prometheus, SELECTED, store)) as {
      global: Record<string, unknown>;
    };
    doc.global = { scrape_interval: '15s', scrape_timeout: '5s', ...doc.global, ...global };
    return stringify(doc);
  };
  emu.applyYaml(LIMITED);
  const ref = (name: string) => ({ kind: 'Prometheus', namespace: 'monitoring', name }) as const;
  putGeneratedSecret(emu, ref('k8s'), generated(PROMETHEUS, {}));
  putGeneratedSecret(emu, ref('limited'), generated(LIMITED, { sample_limit: 1 }));
  // A PrometheusAgent with the same monitors: its Secret is prom-agent-<name>.
  emu.applyYaml(
    PROMETHEUS.replace('kind: Prometheus', 'kind: PrometheusAgent').replace(
      'name: k8s',
      'name: edge',
    ),
  );
  putGeneratedSecret(
    emu,
    { kind: 'PrometheusAgent', namespace: 'monitoring', name: 'edge' },
    generated(PROMETHEUS, {}),
  );

  const write = (name: string, text: string): string => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  const entry = (name: string, resource: string, key = 'resource') => `clusters:
  - name: ${name}
    kubeconfig: {path: kubeconfig}
    targets: []
    prometheus: {${key}: ${resource}}
`;
  return {
    emu,
    dir,
    live: `${host}:${port}`,
    dead: `${deadHost}:${port}`,
    configs: {
      resource: write('resource.yaml', entry('lab', 'monitoring/k8s')),
      monitors: write(
        'monitors.yaml',
        `${entry('lab', 'monitoring/k8s')}operator: {cluster: lab}\n`,
      ),
      missing: write('missing.yaml', entry('pending', 'monitoring/unreconciled')),
      agent: write('agent.yaml', entry('edge', 'monitoring/edge', 'agent')),
      limited: write('limited.yaml', entry('lab', 'monitoring/limited')),
      limitedMonitors: write(
        'limited-monitors.yaml',
        `${entry('lab', 'monitoring/limited')}operator: {cluster: lab}\n`,
      ),
    },
    secrets: () => [appToken, username, password, emu.adminToken, ...emu.secretValues()],
    podSubjects,
    async stop() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await emu.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
