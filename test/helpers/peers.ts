/**
 * Real peers from Debian, started by the tests on 127.0.0.1 and stopped after them: Prometheus,
 * etcd, node_exporter. Under CI=true a missing binary fails loudly; elsewhere the test skips and
 * says why (`.ci/run` installs them all).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BINARIES = {
  prometheus: process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus',
  promtool: '/usr/bin/promtool',
  etcd: '/usr/bin/etcd',
  nodeExporter: '/usr/bin/prometheus-node-exporter',
  blackboxExporter: '/usr/bin/prometheus-blackbox-exporter',
} as const;

/** Why a peer cannot run here, or null when it can. Throws under CI=true: CI must have it. */
export function peerMissing(binary: string): string | null {
  if (existsSync(binary)) return null;
  const why = `${binary} is not installed (.ci/run installs it with apt-get)`;
  if (process.env.CI === 'true') throw new Error(`CI=true and ${why}`);
  return why;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
  return port;
}

export interface Peer {
  port: number;
  dir: string;
  stop(): Promise<void>;
}

async function waitFor(
  ready: () => Promise<boolean>,
  child: ChildProcess,
  name: string,
  log: () => string,
): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`${name} exited (${child.exitCode}): ${log().slice(-2000)}`);
    if (await ready().catch(() => false)) return;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} was not ready after 20 s: ${log().slice(-2000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function tcpOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      resolve(false);
    });
  });
}

async function startPeer(
  name: string,
  binary: string,
  args: (dir: string, port: number) => string[],
  files: Record<string, string>,
  ready?: (port: number) => Promise<boolean>,
): Promise<Peer> {
  const dir = await mkdtemp(join(tmpdir(), `scrape-check-${name}-`));
  for (const [file, content] of Object.entries(files)) await writeFile(join(dir, file), content);
  const port = await freePort();
  const child = spawn(binary, args(dir, port), { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir });
  let log = '';
  child.stdout.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr.on('data', (d: Buffer) => (log += d.toString()));
  await waitFor(
    () => (ready ?? tcpOpen)(port),
    child,
    name,
    () => log,
  );
  return {
    port,
    dir,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface PrometheusTarget {
  labels: Record<string, string>;
  scrapePool: string;
  health: string;
  lastError: string;
  lastScrape: string;
}

export interface RunningPrometheus extends Peer {
  url: string;
  /**
   * Waits until at least `count` targets are listed and every one has been scraped, then
   * `settleMs` more (a scrape round, so its series describe the current state); fails after
   * `deadlineMs`.
   */
  waitForScrapes(count: number, settleMs?: number, deadlineMs?: number): Promise<void>;
  query(expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  targets(): Promise<PrometheusTarget[]>;
}

/** Debian's Prometheus with `config` (YAML; files it names are written into its folder first). */
export async function startPrometheus(
  config = 'global: {}\n',
  files: Record<string, string> = {},
  extraArgs: string[] = [],
): Promise<RunningPrometheus> {
  const peer = await startPeer(
    'prometheus',
    BINARIES.prometheus,
    (dir, port) => [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
      ...extraArgs,
    ],
    { ...files, 'prometheus.yml': config },
    async (port) => (await fetch(`http://127.0.0.1:${port}/-/ready`)).ok,
  );
  const url = `http://127.0.0.1:${peer.port}`;
  const targets = async (): Promise<PrometheusTarget[]> => {
    const body = (await (await fetch(`${url}/api/v1/targets`)).json()) as {
      data: { activeTargets: PrometheusTarget[] };
    };
    return body.data.activeTargets;
  };
  return {
    ...peer,
    url,
    async query(expr) {
      const body = (await (
        await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`)
      ).json()) as {
        status: string;
        data: { result: { metric: Record<string, string>; value: [number, string] }[] };
      };
      if (body.status !== 'success') throw new Error(JSON.stringify(body));
      return body.data.result;
    },
    async waitForScrapes(count, settleMs = 1200, deadlineMs = 20_000) {
      const deadline = Date.now() + deadlineMs;
      for (;;) {
        const list = await targets();
        if (list.length >= count && list.every((t) => !t.lastScrape.startsWith('0001'))) {
          await new Promise((resolve) => setTimeout(resolve, settleMs));
          return;
        }
        if (Date.now() > deadline) {
          throw new Error(`Prometheus did not scrape every target: ${JSON.stringify(list)}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
    targets,
  };
}

/** Debian's etcd 3.4 serving clients over mTLS (`--client-cert-auth`), as kube-prometheus scrapes it. */
export async function startEtcd(pems: { ca: string; cert: string; key: string }): Promise<Peer> {
  const peerUrl = `http://127.0.0.1:${await freePort()}`;
  return startPeer(
    'etcd',
    BINARIES.etcd,
    (dir, port) => [
      '--name=scrape-check-test',
      `--data-dir=${join(dir, 'data')}`,
      `--listen-client-urls=https://127.0.0.1:${port}`,
      `--advertise-client-urls=https://127.0.0.1:${port}`,
      `--listen-peer-urls=${peerUrl}`,
      `--initial-advertise-peer-urls=${peerUrl}`,
      `--initial-cluster=scrape-check-test=${peerUrl}`,
      '--client-cert-auth',
      `--trusted-ca-file=${join(dir, 'ca.pem')}`,
      `--cert-file=${join(dir, 'server.pem')}`,
      `--key-file=${join(dir, 'server-key.pem')}`,
      '--log-level=error',
    ],
    { 'ca.pem': pems.ca, 'server.pem': pems.cert, 'server-key.pem': pems.key },
  );
}

/** Debian's node_exporter with a web config: TLS, and basic auth for `users` (bcrypt hashes). */
export function startNodeExporter(
  pems: { cert: string; key: string },
  users: Record<string, string>,
): Promise<Peer> {
  const webConfig = `tls_server_config:\n  cert_file: server.pem\n  key_file: server-key.pem\nbasic_auth_users:\n${Object.entries(
    users,
  )
    .map(([user, hash]) => `  ${user}: '${hash}'`)
    .join('\n')}\n`;
  return startPeer(
    'node-exporter',
    BINARIES.nodeExporter,
    (dir, port) => [
      `--web.listen-address=127.0.0.1:${port}`,
      `--web.config.file=${join(dir, 'web.yml')}`,
      '--collector.disable-defaults',
      '--collector.loadavg',
      '--collector.meminfo',
      '--collector.time',
    ],
    { 'web.yml': webConfig, 'server.pem': pems.cert, 'server-key.pem': pems.key },
  );
}

/** Debian's node_exporter over plain HTTP, with its default collectors: a real exposition. */
export function startPlainNodeExporter(): Promise<Peer> {
  return startPeer(
    'node-exporter',
    BINARIES.nodeExporter,
    (_dir, port) => [`--web.listen-address=127.0.0.1:${port}`],
    {},
  );
}

/** Debian's blackbox_exporter with `config` (YAML modules). */
export async function startBlackbox(
  config: string,
): Promise<Peer & { probe(module: string, target: string): Promise<string> }> {
  const peer = await startPeer(
    'blackbox',
    BINARIES.blackboxExporter,
    (dir, port) => [
      `--config.file=${join(dir, 'blackbox.yml')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { 'blackbox.yml': config },
  );
  return {
    ...peer,
    async probe(module, target) {
      const response = await fetch(
        `http://127.0.0.1:${peer.port}/probe?module=${module}&target=${encodeURIComponent(target)}`,
      );
      return response.text();
    },
  };
}
