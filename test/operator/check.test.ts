/**
 * The operator's rejections (prometheus-operator `resource_selector.go` check functions, the CRD
 * types' `Validate`, `assets/store.go`), one table: each monitor and the exact reason the operator
 * gives in its `InvalidConfiguration` event.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { makeCa, makeLeaf } from '#lib/lab/certs.ts';
import { checkMonitor } from '#lib/operator/check.ts';
import { ConfigGenerator } from '#lib/operator/generator.ts';
import { AssetStore } from '#lib/operator/store.ts';
import { objectsFrom } from './helpers.ts';

const PROM = `apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata: {name: k8s, namespace: monitoring}
spec:
  scrapeInterval: 30s
  arbitraryFSAccessThroughSMs: {deny: DENY}
  scrapeClasses: [{name: known}]
`;

const SM = (endpoint: string, extra = '') => `---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: m, namespace: apps}
spec:
  selector: {}
${extra}  endpoints:
  - port: web
    ${endpoint}
`;

const cases: { name: string; monitor: string; deny?: boolean; error: string | null }[] = [
  { name: 'a plain endpoint is accepted', monitor: SM('path: /metrics'), error: null },
  {
    name: 'authorization and basicAuth',
    monitor: SM(
      'authorization: {credentials: {name: s, key: token}}\n    basicAuth: {username: {name: s, key: u}, password: {name: s, key: p}}',
    ),
    error: 'endpoints[0]: authorization and basicAuth cannot be configured at the same time',
  },
  {
    name: 'authorization of type Basic',
    monitor: SM('authorization: {type: Basic, credentials: {name: s, key: token}}'),
    error: `endpoints[0]: authorization: 'authorization' type cannot be set to "basic", use "basicAuth" instead`,
  },
  {
    name: 'authorization without credentials',
    monitor: SM('authorization: {type: Bearer}'),
    error: "endpoints[0]: authorization: 'authorization' credentials are required",
  },
  {
    name: 'a CA from a Secret and from a file',
    monitor: SM('tlsConfig: {ca: {secret: {name: s, key: ca}}, caFile: /ca.crt}'),
    error: "endpoints[0]: cannot specify both 'caFile' and 'ca'",
  },
  {
    name: 'a client certificate without its key',
    monitor: SM('tlsConfig: {certFile: /tls.crt}'),
    error: 'endpoints[0]: cannot specify client cert without client key',
  },
  {
    name: 'noProxy without proxyUrl',
    monitor: SM('noProxy: internal'),
    error: 'endpoints[0]: if noProxy is configured, proxyUrl must also be configured',
  },
  {
    name: 'a bearer token file where the resource denies file access',
    deny: true,
    monitor: SM('bearerTokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token'),
    error:
      'endpoints[0]: it accesses file system via bearer token file which Prometheus specification prohibits',
  },
  {
    name: 'a scrape class the resource does not have',
    monitor: SM('path: /metrics', '  scrapeClass: gold\n'),
    error: 'scrapeClassName: scrapeClass "gold" not found in Prometheus scrapeClasses',
  },
  {
    name: 'a timeout longer than the interval it inherits',
    monitor: SM('scrapeTimeout: 1m'),
    error: 'endpoints[0]: scrapeTimeout "1m" greater than scrapeInterval "30s"',
  },
  {
    name: 'a Secret without the key',
    monitor: SM('bearerTokenSecret: {name: s, key: nope}'),
    error: 'endpoints[0]: bearerTokenSecret: key "nope" in secret "s" not found',
  },
  {
    name: 'a ConfigMap that is not there',
    monitor: SM(
      'oauth2: {clientId: {configMap: {name: oauth, key: id}}, clientSecret: {name: s, key: token}, tokenUrl: "https://idp/token"}',
    ),
    error:
      'endpoints[0]: oauth2: failed to get oauth2 client id: unable to get configmap "oauth": configmaps "oauth" not found',
  },
  {
    name: 'a CA that is not PEM',
    monitor: SM('tlsConfig: {ca: {secret: {name: s, key: token}}}'),
    error: 'endpoints[0]: tlsConfig: ca <secret=s,key=token>: failed to decode PEM block',
  },
  {
    name: 'a client key that is not the certificate’s',
    monitor: SM(
      'tlsConfig: {ca: {secret: {name: s, key: ca}}, cert: {secret: {name: s, key: cert}}, keySecret: {name: s, key: other-key}}',
    ),
    error:
      'endpoints[0]: tlsConfig: cert <secret=s,key=cert>, key <s/other-key>: keySecret does not belong to the certificate in <secret=s,key=cert> (Go: "tls: private key does not match public key"); the pair was probably rotated one file at a time',
  },
  {
    name: 'a complete client TLS pair is accepted',
    monitor: SM(
      'tlsConfig: {ca: {secret: {name: s, key: ca}}, cert: {secret: {name: s, key: cert}}, keySecret: {name: s, key: key}}',
    ),
    error: null,
  },
  {
    name: 'a PodMonitor names its endpoint as the operator does',
    monitor: `---
apiVersion: monitoring.coreos.com/v1
kind: PodMonitor
metadata: {name: m, namespace: apps}
spec:
  selector: {}
  podMetricsEndpoints: [{port: web, interval: 10s, scrapeTimeout: 20s}]
`,
    error: 'endpoint[0]: scrapeTimeout "20s" greater than scrapeInterval "10s"',
  },
  {
    name: 'a Probe without targets',
    monitor: `---
apiVersion: monitoring.coreos.com/v1
kind: Probe
metadata: {name: m, namespace: apps}
spec: {prober: {url: blackbox:9115}}
`,
    error: 'at least one of .spec.targets.staticConfig and .spec.targets.ingress is required',
  },
  {
    name: 'a Probe whose prober URL has a scheme',
    monitor: `---
apiVersion: monitoring.coreos.com/v1
kind: Probe
metadata: {name: m, namespace: apps}
spec: {prober: {url: "http://blackbox:9115"}, targets: {staticConfig: {static: [a]}}}
`,
    error:
      '"http://blackbox:9115" url specified in proberSpec is invalid, it should be of the format `hostname` or `hostname:port`',
  },
];

describe('the operator rejects invalid monitors', () => {
  let secrets: Record<string, string> = {};

  before(async () => {
    const ca = await makeCa({ commonName: 'ca' });
    const leaf = await makeLeaf(ca, { commonName: 'client', client: true });
    const other = await makeLeaf(ca, { commonName: 'other', client: true });
    secrets = {
      token: 'tok-1234',
      u: 'user',
      p: 'pass-1234',
      ca: ca.certPem,
      cert: leaf.certPem,
      key: leaf.keyPem,
      'other-key': other.keyPem,
    };
  });

  for (const c of cases) {
    it(c.name, async () => {
      const { monitors, prometheus } = objectsFrom(
        PROM.replace('DENY', String(c.deny ?? false)) + c.monitor,
      );
      const store = new AssetStore(null, { secrets: { 'apps/s': secrets } });
      const cg = new ConfigGenerator(prometheus, { store });
      assert.equal(await checkMonitor(cg, store, monitors[0]!, Date.now()), c.error);
      // What the store read is known, for redaction.
      assert.ok(store.values().includes('pass-1234'));
    });
  }
});
