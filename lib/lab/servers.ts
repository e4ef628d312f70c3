/**
 * Brings the lab's endpoints up on 127.0.0.1: real HTTPS servers with certificates made at start,
 * each behaving as one breakage does, plus the files a Prometheus config points at (CA, tokens).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { stringify } from 'yaml';
import type { LabBehaviour, LabCase, LabCert } from './cases.ts';
import { daysFromNow, makeCa, makeLeaf, type Issued } from './certs.ts';
import { LAB_METRICS } from './exposition.ts';

/** A running lab: its folder, its config, and how to close it. */
export interface Lab {
  dir: string;
  /**
   * The lab's config: a prometheus.yml (Prometheus's keys only, so Prometheus loads it too) whose
   * CA and token files are absolute paths in `dir`.
   */
  configText: string;
  /** Where configText is written: `dir`/prometheus.yml. */
  configFile: string;
  /** Every secret the lab made (tokens, keys), so tests can check none leaked. */
  secrets: string[];
  close(): Promise<void>;
}

const TEXT_FORMAT = 'text/plain; version=0.0.4; charset=utf-8';

function status(res: ServerResponse, code: number, reason: string, message: string): void {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(
    JSON.stringify({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason,
      code,
    }),
  );
}

function handler(behaviour: LabBehaviour, accepted: readonly string[]) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const token = req.headers.authorization?.replace(/^Bearer /, '') ?? '';
    if (!accepted.includes(token) && !behaviour.startsWith('forbidden')) {
      status(res, 401, 'Unauthorized', 'Unauthorized');
      return;
    }
    switch (behaviour) {
      case 'metrics': {
        const gzip = /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
        res.writeHead(200, {
          'content-type': TEXT_FORMAT,
          ...(gzip ? { 'content-encoding': 'gzip' } : {}),
        });
        res.end(gzip ? gzipSync(LAB_METRICS) : LAB_METRICS);
        return;
      }
      case 'forbidden-rbac':
        status(
          res,
          403,
          'Forbidden',
          'forbidden: User "system:serviceaccount:monitoring:prometheus" cannot get path "/metrics"',
        );
        return;
      case 'forbidden-kubelet':
        // The kubelet's own authorizer answers in plain text, not a Status object.
        res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(
          'Forbidden (user=system:serviceaccount:monitoring:prometheus, verb=get, resource=nodes, subresource=metrics)',
        );
        return;
      case 'forbidden-anonymous':
        status(
          res,
          403,
          'Forbidden',
          'forbidden: User "system:anonymous" cannot get path "/metrics"',
        );
        return;
      case 'slow': {
        const timer = setTimeout(() => res.end(LAB_METRICS), 30_000);
        res.on('close', () => {
          clearTimeout(timer);
        });
        return;
      }
      case 'huge': {
        res.writeHead(200, { 'content-type': TEXT_FORMAT });
        const line = 'lab_filler_total{pad="' + 'x'.repeat(100) + '"} 1\n';
        res.end(`# TYPE lab_filler_total counter\n${line.repeat(10_000)}`);
        return;
      }
      case 'malformed':
        res.writeHead(200, { 'content-type': TEXT_FORMAT });
        res.end(
          '# TYPE apiserver_request_total counter\napiserver_request_total{code="200" 1523\n',
        );
        return;
      case 'html':
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(LAB_METRICS);
        return;
      case 'empty':
        res.writeHead(200, { 'content-type': TEXT_FORMAT });
        res.end('# HELP nothing_here Nothing.\n');
        return;
      case 'many-samples': {
        res.writeHead(200, { 'content-type': TEXT_FORMAT });
        let body = '# TYPE lab_items gauge\n';
        for (let i = 0; i < 150; i++) body += `lab_items{item="${i}"} ${i}\n`;
        res.end(body);
        return;
      }
    }
  };
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Starts every endpoint of `cases` and writes the config that scrapes them. */
export async function startLab(cases: readonly LabCase[]): Promise<Lab> {
  const dir = await mkdtemp(join(tmpdir(), 'scrape-check-lab-'));
  const servers: Server[] = [];
  const close = async (): Promise<void> => {
    for (const server of servers) {
      server.closeAllConnections();
      server.close();
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const ca = await makeCa({ commonName: 'scrape-check-lab-ca' });
    const rogue = await makeCa({ commonName: 'rogue-ca' });
    const intermediate = await makeCa({ commonName: 'scrape-check-lab-intermediate', issuer: ca });
    const local = { dns: ['localhost'], ips: ['127.0.0.1'] };
    const certs: Record<Exclude<LabCert, 'none'>, Issued> = {
      good: await makeLeaf(ca, { commonName: 'kube-apiserver', ...local }),
      expired: await makeLeaf(ca, {
        commonName: 'etcd',
        ...local,
        notBefore: daysFromNow(-365),
        notAfter: daysFromNow(-1),
      }),
      'rogue-ca': await makeLeaf(rogue, { commonName: 'kube-controller-manager', ...local }),
      'wrong-name': await makeLeaf(ca, {
        commonName: 'kube-scheduler',
        dns: ['kube-scheduler.kube-system.svc'],
      }),
      'cn-only': await makeLeaf(ca, { commonName: 'localhost', noSan: true }),
      // Issued by the intermediate, served without it: the chain breaks at the server.
      'leaf-only': await makeLeaf(intermediate, { commonName: 'kube-apiserver', ...local }),
      'dns-only': await makeLeaf(ca, { commonName: 'etcd', dns: ['etcd-0.etcd.kube-system.svc'] }),
    };
    const goodToken = `lab-${randomBytes(24).toString('base64url')}`;
    const expiredToken = `lab-expired-${randomBytes(24).toString('base64url')}`;
    await writeFile(join(dir, 'ca.pem'), ca.certPem);
    await writeFile(join(dir, 'token'), `${goodToken}\n`, { mode: 0o600 });
    await writeFile(join(dir, 'token-expired'), `${expiredToken}\n`, { mode: 0o600 });
    // A legacy ServiceAccount Secret token's shape (unsigned: the lab's servers compare values).
    const legacyToken = [
      { alg: 'RS256' },
      {
        iss: 'kubernetes/serviceaccount',
        sub: 'system:serviceaccount:monitoring:prometheus',
        'kubernetes.io/serviceaccount/secret.name': 'prometheus-token',
      },
      { signature: randomBytes(24).toString('hex') },
    ]
      .map((part) => Buffer.from(JSON.stringify(part)).toString('base64url'))
      .join('.');
    await writeFile(join(dir, 'token-legacy'), `${legacyToken}\n`, { mode: 0o600 });
    const tokenFiles = {
      good: join(dir, 'token'),
      expired: join(dir, 'token-expired'),
      legacy: join(dir, 'token-legacy'),
    } as const;
    const accepted = [goodToken, legacyToken];

    const jobs: Record<string, unknown>[] = [];
    for (const c of cases) {
      let port = c.port ?? 0;
      if (!('refused' in c.server)) {
        const cert = certs[c.server.cert === 'none' ? 'good' : c.server.cert];
        const server = c.server.plain
          ? createHttpServer(handler(c.server.behaviour, accepted))
          : createHttpsServer(
              {
                cert: cert.certPem,
                key: cert.keyPem,
                ...(c.server.mtls
                  ? { requestCert: true, rejectUnauthorized: true, ca: ca.certPem }
                  : {}),
              },
              handler(c.server.behaviour, accepted),
            );
        server.on('tlsClientError', () => undefined);
        servers.push(server);
        port = await listen(server);
      }
      const extra = { ...(c.config ?? {}) } as Record<string, unknown>;
      const tls = {
        ca_file: join(dir, 'ca.pem'),
        ...((extra.tls_config as Record<string, unknown> | undefined) ?? {}),
      };
      delete extra.tls_config;
      const scheme = (extra.scheme as string | undefined) ?? 'https';
      jobs.push({
        job_name: c.job,
        scheme,
        static_configs: [
          {
            targets: [`${c.byName ? 'localhost' : '127.0.0.1'}:${port}`],
            labels: { lab_case: c.title },
          },
        ],
        ...(scheme === 'https' ? { tls_config: tls } : {}),
        ...(c.token && c.token !== 'none'
          ? { authorization: { credentials_file: tokenFiles[c.token] } }
          : {}),
        ...extra,
      });
    }
    const configText = stringify({ global: { scrape_timeout: '3s' }, scrape_configs: jobs });
    const configFile = join(dir, 'prometheus.yml');
    await writeFile(configFile, configText);
    const keys = Object.values(certs).map((c) => c.keyPem);
    return {
      dir,
      configText,
      configFile,
      secrets: [
        goodToken,
        expiredToken,
        legacyToken,
        ...keys,
        ca.keyPem,
        rogue.keyPem,
        intermediate.keyPem,
      ],
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
