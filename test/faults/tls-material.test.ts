/**
 * Issue 13: a broken client certificate, key or CA file is that check's verdict, never the end of
 * the run. Each broken job runs beside a healthy one through the real CLI; the JSON document is
 * whole, every job has its result, and the message names the file and what is wrong with it.
 */
import assert from 'node:assert/strict';
import { createPrivateKey } from 'node:crypto';
import { after, before, test } from 'node:test';
import { main } from '#lib/cli/main.ts';
import { daysFromNow, makeCa, makeLeaf, type Issued } from '#lib/lab/certs.ts';
import type { RunReport } from '#lib/result/types.ts';
import { assertNoSecrets, captureIo } from '../helpers/io.ts';
import { METRICS, startHttps, tempFiles, TEXT, type Running } from '../helpers/servers.ts';

let ca: Issued;
let client: Issued;
let other: Issued;
let expired: Issued;
let server: Running;
let files: Awaited<ReturnType<typeof tempFiles>>;

before(async () => {
  ca = await makeCa({ commonName: 'material-ca' });
  const leaf = await makeLeaf(ca, { commonName: 'localhost', ips: ['127.0.0.1'] });
  client = await makeLeaf(ca, { commonName: 'prometheus', client: true });
  other = await makeLeaf(ca, { commonName: 'someone-else', client: true });
  expired = await makeLeaf(ca, {
    commonName: 'prometheus-old',
    client: true,
    notBefore: daysFromNow(-30),
    notAfter: daysFromNow(-1),
  });
  // A server that asks for a client certificate but, like many exporters, does not insist.
  server = await startHttps(
    {
      key: leaf.keyPem,
      cert: leaf.certPem,
      ca: [ca.certPem],
      requestCert: true,
      rejectUnauthorized: false,
    },
    (_req, res) => res.writeHead(200, { 'content-type': TEXT }).end(METRICS),
  );
  const encrypted = createPrivateKey(client.keyPem).export({
    format: 'pem',
    type: 'pkcs8',
    cipher: 'aes-256-cbc',
    passphrase: 'hunter2-material',
  }) as string;
  files = await tempFiles({
    'ca.pem': ca.certPem,
    'client.pem': client.certPem,
    'client-key.pem': client.keyPem,
    'other-key.pem': other.keyPem,
    'encrypted-key.pem': encrypted,
    'not-pem.pem': Buffer.from(client.certPem).toString('base64'),
    'empty.pem': '',
    'key-as-ca.pem': client.keyPem.replace('PRIVATE KEY', 'RSA NOTHING'),
    'expired.pem': expired.certPem,
    'expired-key.pem': expired.keyPem,
  });
});

after(async () => {
  await server.close();
  await files.cleanup();
});

function job(name: string, tls: string): string {
  return `  - job_name: ${name}
    scheme: https
    tls_config: {ca_file: ca.pem, ${tls}}
    static_configs: [{targets: ['127.0.0.1:${server.port}']}]
`;
}

test('broken TLS material is a verdict per check; the run, its JSON and the healthy check survive', async () => {
  const config = `scrape_configs:
${job('healthy', 'cert_file: client.pem, key_file: client-key.pem')}${job('mismatched', 'cert_file: client.pem, key_file: other-key.pem')}${job('encrypted', 'cert_file: client.pem, key_file: encrypted-key.pem')}${job('not-pem', 'cert_file: not-pem.pem, key_file: client-key.pem')}${job('empty-cert', 'cert_file: empty.pem, key_file: client-key.pem')}${job('empty-key', 'cert_file: client.pem, key_file: empty.pem')}${job('expired-client', 'cert_file: expired.pem, key_file: expired-key.pem')}  - job_name: ca-without-cert
    scheme: https
    tls_config: {ca_file: key-as-ca.pem}
    static_configs: [{targets: ['127.0.0.1:${server.port}']}]
`;
  const { writeFile } = await import('node:fs/promises');
  await writeFile(files.path('scrape-check.yaml'), config);
  const io = captureIo();
  const code = await main(
    ['run', '--config', files.path('scrape-check.yaml'), '--json', '--no-sinks'],
    {},
    io,
  );
  assert.equal(code, 1, io.err());
  const report = JSON.parse(io.out()) as RunReport;
  const by = new Map(report.results.map((r) => [r.job, r]));
  assert.equal(report.results.length, 8);
  assert.equal(by.get('healthy')?.reason, 'ok');
  const expect: [string, RegExp][] = [
    [
      'mismatched',
      /other-key\.pem\) does not belong to the certificate in tls_config\.cert_file \(.*client\.pem\)/,
    ],
    ['encrypted', /encrypted-key\.pem\) is encrypted with a passphrase/],
    ['not-pem', /not-pem\.pem\) holds no PEM block/],
    ['empty-cert', /empty\.pem\) holds nothing \(the file is empty\)/],
    ['empty-key', /empty\.pem\) is empty/],
    ['ca-without-cert', /key-as-ca\.pem\) holds no PEM certificate/],
  ];
  for (const [name, diagnosis] of expect) {
    const r = by.get(name);
    assert.equal(r?.reason, 'config_invalid', name);
    assert.match(r.diagnosis, diagnosis, name);
  }
  // Go sends an expired client certificate as it is; the server decides. This one does not check.
  const old = by.get('expired-client');
  assert.equal(old?.reason, 'ok');
  assert.ok(
    old.warnings.some((w) => /expired\.pem\) expired on/.test(w)),
    old.warnings.join('\n'),
  );
  assertNoSecrets(
    [io.out(), io.err()],
    [client.keyPem, other.keyPem, expired.keyPem, 'hunter2-material'],
  );
});
