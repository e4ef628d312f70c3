/**
 * Trust as Go trusts (issue 13): without `ca_file` or `ca`, a target is verified against the
 * system trust store as Go's crypto/x509 loads it on Linux, not against Node's bundled Mozilla list.
 *
 * The corporate CA is installed the way a user installs one on Debian: a `.crt` in
 * /usr/local/share/ca-certificates, then `update-ca-certificates`. The real tool runs, but in a
 * temporary tree (its --certsconf, --certsdir, --localcertsdir, --etccertsdir and --hooksdir
 * options), so the machine's own store is never touched. Go's built-in paths are exercised through
 * `loadSystemRoots({ root })`, which reads them under a temporary directory; `SSL_CERT_FILE` and
 * `SSL_CERT_DIR` are exercised in-process and through the real CLI in a child process.
 */
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { X509Certificate } from 'node:crypto';
import { parseConfig } from '#lib/config/index.ts';
import { callApi, type ClusterConnection } from '#lib/credentials/index.ts';
import { makeCa, makeLeaf, type Issued } from '#lib/lab/certs.ts';
import type { RunReport } from '#lib/result/types.ts';
import { runChecks } from '#lib/runner/index.ts';
import { GO_CERT_FILES, loadSystemRoots } from '#lib/trust/index.ts';
import { METRICS, startHttps, TEXT, type Running } from '../helpers/servers.ts';

const run = promisify(execFile);
const hasTool =
  spawnSync('sh', ['-c', 'command -v update-ca-certificates && command -v openssl']).status === 0;

let dir: string;
let corp: Issued;
let publicRoot: Issued;
let other: Issued;
let server: Running;
/** The Debian tree: dir/debian/etc/ssl/certs and friends. */
let debian: string;

const subjects = (pems: readonly string[]): string[] =>
  pems.map((p) => new X509Certificate(p).subject).sort();

/** Installs `local` as a user would on Debian, with the distribution's `publicCa` beside it. */
async function debianTree(root: string, publicCa: Issued, local: Issued | null): Promise<void> {
  const certs = join(root, 'etc/ssl/certs');
  await mkdir(certs, { recursive: true });
  await mkdir(join(root, 'usr/share/ca-certificates/mozilla'), { recursive: true });
  await mkdir(join(root, 'usr/local/share/ca-certificates'), { recursive: true });
  await writeFile(
    join(root, 'usr/share/ca-certificates/mozilla/Public_Root.crt'),
    publicCa.certPem,
  );
  await writeFile(join(root, 'etc/ca-certificates.conf'), 'mozilla/Public_Root.crt\n');
  if (local) await writeFile(join(root, 'usr/local/share/ca-certificates/corp.crt'), local.certPem);
  await run('update-ca-certificates', [
    '--certsconf',
    join(root, 'etc/ca-certificates.conf'),
    '--certsdir',
    join(root, 'usr/share/ca-certificates'),
    '--localcertsdir',
    join(root, 'usr/local/share/ca-certificates'),
    '--etccertsdir',
    certs,
    '--hooksdir',
    join(root, 'etc/ca-certificates/update.d'),
  ]);
}

describe(
  'the system trust store, as Go reads it',
  // Under CI the tools must be there (.ci/run installs them): a missing one fails loudly.
  { skip: !hasTool && process.env.CI !== 'true' && 'needs update-ca-certificates and openssl' },
  () => {
    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'scrape-check-trust-'));
      corp = await makeCa({ commonName: 'Corp Internal Root' });
      publicRoot = await makeCa({ commonName: 'Public Root' });
      other = await makeCa({ commonName: 'Someone Else' });
      debian = join(dir, 'debian');
      await debianTree(debian, publicRoot, corp);
      const leaf = await makeLeaf(corp, { commonName: 'metrics', ips: ['127.0.0.1'] });
      server = await startHttps({ cert: leaf.certPem, key: leaf.keyPem }, (_req, res) => {
        res.writeHead(200, { 'content-type': TEXT }).end(METRICS);
      });
      // This process's store, for the in-process checks below: the Debian tree, as Go would read it
      // on that machine. Set before anything loads it (it is loaded once per process).
      process.env.SSL_CERT_FILE = join(debian, 'etc/ssl/certs/ca-certificates.crt');
      process.env.SSL_CERT_DIR = join(debian, 'etc/ssl/certs');
    });
    after(async () => {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    });

    test("update-ca-certificates' layout: the bundle, the .pem links, the hash links", async () => {
      const certs = join(debian, 'etc/ssl/certs');
      const names = (await readdir(certs)).sort();
      assert.ok(
        names.includes('ca-certificates.crt') && names.includes('corp.pem'),
        names.join(' '),
      );
      const hashLinks = names.filter((n) => /^[0-9a-f]{8}\.\d$/.test(n));
      assert.equal(hashLinks.length, 2, 'openssl rehash made one hash link per CA');
      assert.equal(await readlink(join(certs, hashLinks[0]!)).then((t) => t.includes('/')), false);
    });

    test("Go's paths under a root: Debian's bundle is read, its directory adds nothing new", async () => {
      const roots = await loadSystemRoots({ root: debian });
      assert.deepEqual(subjects(roots.certificates), ['CN=Corp Internal Root', 'CN=Public Root']);
      assert.equal(
        roots.source,
        `the system trust store (${debian}/etc/ssl/certs/ca-certificates.crt)`,
      );
      assert.equal(roots.error, null);
    });

    test('SSL_CERT_DIR alone: the hashed directory, hash links skipped as Go skips them', async () => {
      const empty = join(dir, 'empty-root');
      await mkdir(empty, { recursive: true });
      const certs = join(debian, 'etc/ssl/certs');
      // The bundle is a file in that directory too: leave it out to see the .pem links alone.
      const linksOnly = join(dir, 'links-only');
      await mkdir(linksOnly, { recursive: true });
      for (const name of await readdir(certs)) {
        if (name === 'ca-certificates.crt') continue;
        await symlink(await readlink(join(certs, name)), join(linksOnly, name));
      }
      const roots = await loadSystemRoots({
        certFile: join(dir, 'none.pem'),
        certDir: `${join(dir, 'missing')}:${linksOnly}`,
        root: empty,
      });
      assert.deepEqual(subjects(roots.certificates), ['CN=Corp Internal Root', 'CN=Public Root']);
      assert.equal(roots.source, `the system trust store (${linksOnly} from SSL_CERT_DIR)`);
    });

    test('Amazon Linux 2023 (Lambda): /etc/pki/tls/certs/ca-bundle.crt; TRUSTED CERTIFICATE blocks skipped', async () => {
      const al = join(dir, 'al2023');
      await mkdir(join(al, 'etc/pki/tls/certs'), { recursive: true });
      await writeFile(join(al, 'etc/pki/tls/certs/ca-bundle.crt'), publicRoot.certPem);
      // OpenSSL's own format: Go's AppendCertsFromPEM takes only CERTIFICATE blocks.
      const trusted = spawnSync('openssl', ['x509', '-addtrust', 'serverAuth'], {
        input: other.certPem,
      }).stdout.toString();
      await writeFile(join(al, 'etc/pki/tls/certs/ca-bundle.trust.crt'), trusted);
      assert.match(trusted, /BEGIN TRUSTED CERTIFICATE/);
      const roots = await loadSystemRoots({ root: al });
      assert.deepEqual(subjects(roots.certificates), ['CN=Public Root']);
      assert.equal(roots.source, `the system trust store (${al}/etc/pki/tls/certs/ca-bundle.crt)`);
    });

    test('the first readable file wins: a later one in the list is not read', async () => {
      const both = join(dir, 'both');
      await mkdir(join(both, 'etc/ssl/certs'), { recursive: true });
      await writeFile(join(both, GO_CERT_FILES[0]!), corp.certPem);
      await writeFile(join(both, '/etc/ssl/ca-bundle.pem'), other.certPem); // openSUSE's, third
      const roots = await loadSystemRoots({ root: both });
      assert.deepEqual(subjects(roots.certificates), ['CN=Corp Internal Root']);
    });

    test('what Go skips: blocks with headers, bad base64, other block types, duplicates', async () => {
      const odd = join(dir, 'odd');
      await mkdir(join(odd, 'etc/ssl/certs'), { recursive: true });
      const body = corp.certPem.replace(/-----[A-Z ]+-----/g, '').trim();
      await writeFile(
        join(odd, GO_CERT_FILES[0]!),
        [
          `-----BEGIN CERTIFICATE-----\nProc-Type: 4,ENCRYPTED\n\n${body}\n-----END CERTIFICATE-----`,
          '-----BEGIN CERTIFICATE-----\n!!!not base64!!!\n-----END CERTIFICATE-----',
          '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----',
          other.keyPem,
          publicRoot.certPem,
          publicRoot.certPem,
        ].join('\n'),
      );
      const roots = await loadSystemRoots({ root: odd });
      assert.deepEqual(subjects(roots.certificates), ['CN=Public Root']);
    });

    test("nothing there, or nothing readable: an empty store, or Go's load error", async () => {
      const nothing = join(dir, 'nothing');
      await mkdir(nothing, { recursive: true });
      const empty = await loadSystemRoots({ root: nothing });
      assert.equal(empty.certificates.length, 0);
      assert.equal(empty.error, null);
      assert.match(empty.source, /which is empty \(none of the certificate files and directories/);
      const broken = await loadSystemRoots({ certFile: nothing, root: nothing });
      assert.equal(broken.certificates.length, 0);
      assert.equal(
        broken.error,
        `x509: failed to load system roots and no roots provided; open ${nothing}: is a directory`,
      );
    });

    test('a scrape without ca_file trusts the installed CA, and the API client does too', async () => {
      const parsed = await parseConfig(
        `scrape_configs:\n  - job_name: corp\n    scheme: https\n    static_configs: [{targets: ["${server.address}"]}]\n`,
        'trust.yaml',
        dir,
      );
      if (!parsed.ok) throw new Error(parsed.message);
      const report = await runChecks(parsed.config);
      assert.equal(report.results[0]!.reason, 'ok', report.results[0]!.diagnosis);
      assert.equal(report.results[0]!.tls?.verified, true);
      // A cluster whose kubeconfig names no CA: client-go verifies against the same store.
      const conn: ClusterConnection = {
        name: 'corp',
        server: new URL(`https://${server.address}`),
        caPem: null,
        tls: {},
        authorization: null,
        flavor: 'unknown',
        version: null,
        identity: 'test',
        identityHint: '',
        rejectedHint: '',
        warnings: [],
        secrets: [],
      };
      const answer = await callApi(conn, '/version');
      assert.equal(answer.ok, true, answer.ok ? '' : answer.message);
    });

    test('through the CLI, a store without the CA: tls_unknown_ca naming the store and the way out', async () => {
      const bare = join(dir, 'bare');
      await debianTree(bare, publicRoot, null);
      const config = join(dir, 'cli.yaml');
      await writeFile(
        config,
        `scrape_configs:\n  - job_name: corp\n    scheme: https\n    static_configs: [{targets: ["${server.address}"]}]\n`,
      );
      const cli = async (root: string): Promise<RunReport> => {
        const child = await run(
          process.execPath,
          ['bin/scrape-check.js', 'run', '--json', '--config', config],
          {
            env: {
              ...process.env,
              SSL_CERT_FILE: join(root, 'etc/ssl/certs/ca-certificates.crt'),
              SSL_CERT_DIR: join(root, 'etc/ssl/certs'),
            },
          },
        ).catch((error: unknown) => error as { stdout: string });
        return JSON.parse(child.stdout) as RunReport;
      };
      const untrusted = (await cli(bare)).results[0]!;
      assert.equal(untrusted.reason, 'tls_unknown_ca');
      assert.match(
        untrusted.diagnosis,
        new RegExp(
          `does not lead to a CA in the system trust store \\(SSL_CERT_FILE=${bare}/etc/ssl/certs/ca-certificates\\.crt\\)`,
        ),
      );
      assert.match(untrusted.diagnosis, /update-ca-certificates/);
      const trusted = (await cli(debian)).results[0]!;
      assert.equal(trusted.reason, 'ok', trusted.diagnosis);
    });
  },
);
