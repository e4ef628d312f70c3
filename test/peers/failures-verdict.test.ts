/**
 * The failures users meet, seen by Debian's Prometheus 2.42, by blackbox_exporter 0.23 and by
 * `scrape-check run --prometheus-version 2` on one prometheus.yml: TLS servers made to fail (unknown
 * CA, expired, name mismatch), 401, 403, slow, oversized, malformed and empty bodies, and the
 * Kubernetes API emulator's /metrics with a bearer token. For every target scrape-check's `ok` is
 * Prometheus's `up` (one difference, written down below), its series Prometheus's
 * scrape_samples_scraped, its reason the one Prometheus's error names, and its certificate expiry
 * blackbox_exporter's probe_ssl_earliest_cert_expiry.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parseExposition } from '#lib/exposition/index.ts';
import { daysFromNow, makeCa, makeLeaf } from '#lib/lab/certs.ts';
import { assertNoSecrets } from '../helpers/io.ts';
import {
  BINARIES,
  peerMissing,
  startBlackbox,
  startPrometheus,
  type Peer,
  type RunningPrometheus,
} from '../helpers/peers.ts';
import { METRICS, startHttps, TEXT, type Running } from '../helpers/servers.ts';
import { runBesidePrometheus } from './differential.ts';
import { K8sEmulator } from '../k8s/emulator.ts';

const TOKEN = 'failures-differential-token-0d9c8b7a';
const missing = peerMissing(BINARIES.prometheus) ?? peerMissing(BINARIES.blackboxExporter);

/** The reason scrape-check must give, and what Prometheus's lastError must say. */
const EXPECT: Record<string, { reason: string; lastError: RegExp; up?: boolean }> = {
  healthy: { reason: 'ok', lastError: /^$/ },
  'unknown-ca': {
    reason: 'tls_unknown_ca',
    lastError: /x509: certificate signed by unknown authority/,
  },
  'expired-cert': {
    reason: 'tls_cert_expired',
    lastError: /x509: certificate has expired or is not yet valid/,
  },
  'name-mismatch': {
    reason: 'tls_hostname_mismatch',
    lastError: /x509: certificate is valid for other\.example\.internal, not localhost/,
  },
  unauthorized: {
    reason: 'http_unauthorized',
    lastError: /server returned HTTP status 401 Unauthorized/,
  },
  forbidden: { reason: 'http_forbidden', lastError: /server returned HTTP status 403 Forbidden/ },
  slow: { reason: 'scrape_timeout', lastError: /context deadline exceeded/ },
  oversized: { reason: 'body_too_large', lastError: /body size limit exceeded/ },
  malformed: { reason: 'parse_failed', lastError: /expected label name|unexpected|invalid/ },
  // The one designed difference: Prometheus calls a valid body without samples up (its dashboards
  // then go blank); scrape-check fails it as no_samples, because that is what it exists to catch.
  empty: { reason: 'no_samples', lastError: /^$/, up: true },
  'kube-apiserver': { reason: 'ok', lastError: /^$/ },
};

describe(
  'failures: the same verdicts as Prometheus 2.42 and blackbox_exporter',
  { skip: missing ?? false },
  () => {
    const servers: Running[] = [];
    let prometheus: RunningPrometheus;
    let blackbox: Peer & { probe(module: string, target: string): Promise<string> };
    let emulator: K8sEmulator;
    let secrets: string[];
    const tlsTargets: Record<string, string> = {};

    before(async () => {
      const ca = await makeCa({ commonName: 'differential-ca' });
      const rogueCa = await makeCa({ commonName: 'rogue-ca' });
      const local = { dns: ['localhost'], ips: ['127.0.0.1'] };
      const good = await makeLeaf(ca, { commonName: 'good', ...local });
      const certs = {
        'unknown-ca': await makeLeaf(rogueCa, { commonName: 'rogue', ...local }),
        'expired-cert': await makeLeaf(ca, {
          commonName: 'expired',
          ...local,
          notBefore: daysFromNow(-90),
          notAfter: daysFromNow(-3),
        }),
        'name-mismatch': await makeLeaf(ca, {
          commonName: 'other',
          dns: ['other.example.internal'],
        }),
      };
      secrets = [TOKEN, good.keyPem, ca.keyPem, ...Object.values(certs).map((c) => c.keyPem)];
      const serve = async (
        name: string,
        cert = good,
        handler: Parameters<typeof startHttps>[1] = (_q, r) => {
          r.writeHead(200, { 'content-type': TEXT });
          r.end(METRICS);
        },
      ): Promise<Running> => {
        const server = await startHttps({ cert: cert.certPem, key: cert.keyPem }, handler);
        servers.push(server);
        tlsTargets[name] = server.address;
        return server;
      };
      await serve('healthy');
      for (const [name, cert] of Object.entries(certs)) await serve(name, cert);
      await serve('unauthorized', good, (_q, r) => {
        r.writeHead(401);
        r.end('Unauthorized');
      });
      await serve('forbidden', good, (_q, r) => {
        r.writeHead(403);
        r.end('forbidden');
      });
      await serve('slow', good, (_q, r) => {
        const timer = setTimeout(() => r.end(METRICS), 3000);
        r.on('close', () => {
          clearTimeout(timer);
        });
      });
      await serve('oversized', good, (_q, r) => {
        r.writeHead(200, { 'content-type': TEXT });
        r.end(
          `# TYPE big gauge\n${'big{pad="xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"} 1\n'.repeat(200)}`,
        );
      });
      await serve('malformed', good, (_q, r) => {
        r.writeHead(200, { 'content-type': TEXT });
        r.end('# TYPE a counter\na_total{code="200" 1\n');
      });
      await serve('empty', good, (_q, r) => {
        r.writeHead(200, { 'content-type': TEXT });
        r.end('# HELP nothing Nothing here.\n');
      });
      emulator = await K8sEmulator.start({ flavor: 'self-managed' });
      secrets.push(emulator.adminToken);
      const job = (name: string, extra = ''): string => {
        const host =
          name === 'name-mismatch'
            ? tlsTargets[name]!.replace('127.0.0.1', 'localhost')
            : tlsTargets[name]!;
        return `  - job_name: ${name}\n    scheme: https\n    tls_config: {ca_file: ca.pem}\n    authorization: {credentials_file: token}\n    static_configs: [{targets: ["${host}"]}]\n${extra}`;
      };
      const apiserver = new URL(emulator.url).host;
      const config = `global: {scrape_interval: 1s, scrape_timeout: 800ms}
scrape_configs:
${Object.keys(tlsTargets)
  .map((name) => job(name, name === 'oversized' ? '    body_size_limit: 1KiB\n' : ''))
  .join('')}  - job_name: kube-apiserver
    scheme: https
    tls_config: {ca_file: apiserver-ca.pem}
    bearer_token_file: admin-token
    static_configs: [{targets: ["${apiserver}"]}]
`;
      prometheus = await startPrometheus(config, {
        'ca.pem': ca.certPem,
        token: TOKEN,
        'apiserver-ca.pem': emulator.ca.certPem,
        'admin-token': emulator.adminToken,
      });
      blackbox = await startBlackbox(
        'modules:\n  tls:\n    prober: tcp\n    timeout: 2s\n    tcp:\n      tls: true\n      tls_config: {insecure_skip_verify: true}\n',
      );
      await prometheus.waitForScrapes(Object.keys(EXPECT).length, 1500);
    });

    after(async () => {
      await Promise.all([
        prometheus.stop(),
        blackbox.stop(),
        emulator.stop(),
        ...servers.map((s) => s.close()),
      ]);
    });

    test('ok is up, series is scrape_samples_scraped, reason matches the error, expiry matches blackbox', async () => {
      const { report, io, pairs } = await runBesidePrometheus(prometheus);
      assert.equal(report.results.length, Object.keys(EXPECT).length);
      let compared = 0;
      for (const { result, target, up, scrapedSamples } of pairs) {
        const expected = EXPECT[result.job]!;
        assert.equal(
          up,
          expected.up ?? result.ok,
          `${result.job}: Prometheus ${target.health} (${target.lastError}), scrape-check ${result.reason}: ${result.diagnosis}`,
        );
        assert.equal(result.reason, expected.reason, `${result.job}: ${result.diagnosis}`);
        assert.match(
          target.lastError,
          expected.lastError,
          `${result.job}: Prometheus said ${target.lastError}`,
        );
        if (up) {
          const samples = scrapedSamples;
          assert.equal(result.series, samples, `${result.job}: series vs scrape_samples_scraped`);
        }
        const address = tlsTargets[result.job];
        if (address && result.tls) {
          const probe = parseExposition(await blackbox.probe('tls', address), {
            format: 'prometheus',
            collect: 'families',
          });
          const expiry = probe.families?.find((f) => f.name === 'probe_ssl_earliest_cert_expiry')
            ?.samples[0]?.value;
          assert.equal(
            typeof expiry,
            'number',
            `${result.job}: blackbox reported probe_ssl_earliest_cert_expiry`,
          );
          assert.equal(
            Date.parse(result.tls.earliestNotAfter!) / 1000,
            expiry,
            `${result.job}: earliest expiry vs blackbox`,
          );
          compared++;
        }
      }
      // Every TLS server got a certificate to compare, whatever its verdict.
      assert.equal(compared, Object.keys(tlsTargets).length);
      assertNoSecrets([io.out(), io.err()], secrets);
    });
  },
);
