/**
 * `remote error: tls: internal error`, as a kubelet sends it while its serving certificate request
 * waits for approval: Go's TLS server sends that alert when it has no certificate to serve. Debian's
 * node_exporter (Go, exporter-toolkit) re-reads its certificate at every handshake, so breaking the
 * file after it started makes a real Go server send the real alert.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeCa, makeLeaf } from '#lib/lab/certs.ts';
import { scrape } from '#lib/scrape/scrape.ts';
import { BINARIES, peerMissing, startNodeExporter } from '../helpers/peers.ts';
import { scrapeRequest } from '../scrape/request.ts';

const missing = peerMissing(BINARIES.nodeExporter);

test(
  'a Go server with no certificate to serve: tls_handshake_failed, naming the pending CSR',
  { skip: missing ?? false },
  async () => {
    const ca = await makeCa({ commonName: 'kubelet-ca' });
    const leaf = await makeLeaf(ca, { commonName: 'kubelet', ips: ['127.0.0.1'] });
    const node = await startNodeExporter({ cert: leaf.certPem, key: leaf.keyPem }, {});
    try {
      const request = scrapeRequest(`https://127.0.0.1:${node.port}/metrics`, {
        tls: { ca: ca.certPem },
      });
      assert.equal((await scrape(request, { prometheusVersion: '3' })).result.reason, 'ok');
      await writeFile(join(node.dir, 'server.pem'), 'not a certificate\n');
      const { result } = await scrape(request, { prometheusVersion: '3' });
      assert.equal(result.reason, 'tls_handshake_failed');
      assert.match(
        result.diagnosis,
        /remote error: tls: internal error.*serving certificate request is pending/,
      );
    } finally {
      await node.stop();
    }
  },
);
