/**
 * prometheus-operator's own expectations (its golden files, `pkg/prometheus/testdata/` at HEAD):
 * for the inputs of the operator's tests (`pkg/prometheus/promcfg_test.go`), written here as the
 * YAML a user would apply, the scrape configs scrape-check generates equal the golden's
 * `scrape_configs`, key for key and rule for rule (key order aside).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kubernetesSdConfigs } from '#lib/operator/chain.ts';
import { ConfigGenerator } from '#lib/operator/generator.ts';
import { MapSlice, toPlain } from '#lib/operator/map-slice.ts';
import { AssetStore } from '#lib/operator/store.ts';
import { defaultPrometheus, generate, goldenScrapeConfigs, objectsFrom } from './helpers.ts';

const SM = 'apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor';
const PM = 'apiVersion: monitoring.coreos.com/v1\nkind: PodMonitor';
const PROBE = 'apiVersion: monitoring.coreos.com/v1\nkind: Probe';
const SC = 'apiVersion: monitoring.coreos.com/v1alpha1\nkind: ScrapeConfig';

/** TestEndpointOAuth2's store and OAuth2 settings. */
const OAUTH2_STORE = {
  configMaps: { 'default/oauth2': { client_id: 'test_client_id' } },
  secrets: {
    'default/oauth2': { client_secret: 'test_client_secret' },
    'default/secret': {
      'proxy-header': 'value',
      token: 'value',
      Username: 'kube-admin',
      Password: 'password',
    },
    'default/foo': { 'proxy-header': 'value', token: 'value' },
  },
};
const OAUTH2 = `oauth2:
      clientId: {configMap: {name: oauth2, key: client_id}}
      clientSecret: {name: oauth2, key: client_secret}
      tokenUrl: http://test.url
      scopes: [scope 1, scope 2]
      endpointParams: {param1: value1, param2: value2}
      tlsConfig:
        insecureSkipVerify: true
        ca: {secret: {name: tls, key: ca2}}
      proxyUrl: http://no-proxy.com
      noProxy: 0.0.0.0
      proxyFromEnvironment: false
      proxyConnectHeader:
        header: [{name: foo, key: proxy-header}]`;

const DEFAULT_SM = `${SM}
metadata: {name: defaultServiceMonitor, namespace: default, labels: {group: group1}}
spec:
  selector: {matchLabels: {group: group1}}
  endpoints: [{port: web, interval: 30s}]`;

const cases: { golden: string; input: string; store?: typeof OAUTH2_STORE }[] = [
  {
    golden: 'service_monitor_with_oauth2.golden',
    store: OAUTH2_STORE,
    input: `${defaultPrometheus()}---
${SM}
metadata: {name: testservicemonitor1, namespace: default, labels: {group: group1}}
spec:
  selector: {}
  endpoints:
  - port: web
    ${OAUTH2}
`,
  },
  {
    golden: 'pod_monitor_with_oauth2.golden',
    store: OAUTH2_STORE,
    input: `${defaultPrometheus()}---
${PM}
metadata: {name: testpodmonitor1, namespace: default, labels: {group: group1}}
spec:
  selector: {}
  podMetricsEndpoints:
  - port: web
    ${OAUTH2}
`,
  },
  {
    golden: 'probe_monitor_with_oauth2.golden',
    store: OAUTH2_STORE,
    input: `${defaultPrometheus()}---
${PROBE}
metadata: {name: testprobe1, namespace: default, labels: {group: group1}}
spec:
  targets: {staticConfig: {static: [127.0.0.1]}}
  ${OAUTH2.replace(/\n {4}/g, '\n  ')}
`,
  },
  {
    golden: 'TestServiceMonitorWithEndpointSliceEnable_Expected.golden',
    input: `${defaultPrometheus('  serviceDiscoveryRole: EndpointSlice')}
---
${SM}
metadata: {name: test, namespace: default}
spec:
  selector:
    matchLabels: {foo: bar}
    matchExpressions: [{key: alpha, operator: In, values: [beta, gamma]}]
  endpoints: [{port: web, interval: 30s}]
`,
  },
  {
    golden: 'EnforcedNamespaceLabelServiceMonitor_Expected.golden',
    input: `${defaultPrometheus('  enforcedNamespaceLabel: ns-key')}
---
${SM}
metadata: {name: test, namespace: default}
spec:
  selector:
    matchLabels: {foo: bar}
    matchExpressions: [{key: alpha, operator: In, values: [beta, gamma]}]
  endpoints:
  - port: web
    interval: 30s
    metricRelabelings:
    - {action: drop, regex: my-job-pod-.+, sourceLabels: [pod_name], targetLabel: ns-key}
    relabelings:
    - {action: replace, regex: (.*), replacement: $1, sourceLabels: [__meta_kubernetes_pod_ready], targetLabel: pod_ready}
`,
  },
  {
    golden: 'MatchExpressionsServiceMonitor.golden',
    input: `${defaultPrometheus()}---
${SM}
metadata: {name: test, namespace: default}
spec:
  selector: {matchExpressions: [{key: alpha, operator: In, values: [beta, gamma]}]}
  endpoints: [{port: web, interval: 30s}]
`,
  },
  {
    golden: 'ServiceMonitorObjectWithSelectorAndMatchExpressionSelector.golden',
    input: `${defaultPrometheus('  serviceDiscoveryRole: EndpointSlice')}
---
${SM}
metadata: {name: defaultServiceMonitor, namespace: default, labels: {group: group1}}
spec:
  selectorMechanism: RoleSelector
  selector:
    matchLabels: {group: group1}
    matchExpressions: [{key: group, operator: In, values: [group2]}]
  endpoints: [{port: web, interval: 30s}]
`,
  },
  {
    golden: 'serviceMonitorObjectWithNonDefaultScrapeClassAndExistingTLSConfig.golden',
    input: `${defaultPrometheus(`  scrapeClasses:
  - name: test-tls-scrape-class
    tlsConfig:
      caFile: /etc/prometheus/secrets/ca.crt
      certFile: /etc/prometheus/secrets/tls.crt
      keyFile: /etc/prometheus/secrets/tls.key`)}
---
${DEFAULT_SM.replace('spec:\n', `spec:\n  scrapeClass: test-tls-scrape-class\n`)}
    
`.replace(
      'endpoints: [{port: web, interval: 30s}]',
      `endpoints:
  - port: web
    interval: 30s
    tlsConfig:
      ca: {secret: {name: tls, key: ca}}
      cert: {secret: {name: tls, key: cert}}
      keySecret: {name: tls, key: private-key}`,
    ),
  },
  {
    golden: 'monitorObjectWithDefaultScrapeClassAndTLSConfig.golden',
    input: `${defaultPrometheus(`  scrapeClasses:
  - name: test-tls-scrape-class
    default: true
    tlsConfig:
      caFile: /etc/prometheus/secrets/default/ca.crt
      certFile: /etc/prometheus/secrets/default/tls.crt
      keyFile: /etc/prometheus/secrets/default/tls.key`)}
---
${DEFAULT_SM}
---
${PM}
metadata: {name: defaultPodMonitor, namespace: default, labels: {group: group1}}
spec:
  selector: {matchLabels: {group: group1}}
  podMetricsEndpoints: [{port: web, interval: 30s}]
---
${PROBE}
metadata: {name: defaultProbe, namespace: default, labels: {group: group1}}
spec:
  prober: {scheme: HTTP, url: blackbox.exporter.io, path: /probe}
  module: http_2xx
  targets:
    staticConfig:
      static: [prometheus.io, promcon.io]
      labels: {namespace: custom, static: label}
  metricRelabelings: [{regex: noisy_labels.*, action: labeldrop}]
---
${SC}
metadata: {name: defaultScrapeConfig, namespace: default, labels: {group: group1}}
spec:
  httpSDConfigs:
  - url: http://localhost:9100/sd.json
    refreshInterval: 5m
    proxyUrl: http://no-proxy.com
    noProxy: 0.0.0.0
    proxyFromEnvironment: false
`,
  },
  {
    golden: 'ProbeStaticTargetsConfigGenerationWithLabelEnforce.golden',
    input: `${defaultPrometheus('  enforcedNamespaceLabel: namespace')}
---
${PROBE}
metadata: {name: testprobe1, namespace: default, labels: {group: group1}}
spec:
  prober: {scheme: HTTP, url: blackbox.exporter.io, path: /probe}
  module: http_2xx
  targets:
    staticConfig:
      static: [prometheus.io, promcon.io]
      labels: {namespace: custom, static: label}
  metricRelabelings: [{regex: noisy_labels.*, action: labeldrop}]
`,
  },
  {
    golden: 'ProbeIngressSDConfigGenerationWithShards.golden',
    input: `${defaultPrometheus('  shards: 2')}
---
${PROBE}
metadata: {name: testprobe1, namespace: default, labels: {group: group1}}
spec:
  prober: {scheme: HTTP, url: blackbox.exporter.io, path: /probe}
  module: http_2xx
  targets:
    ingress:
      selector: {matchLabels: {prometheus.io/probe: 'true'}}
      namespaceSelector: {any: true}
      relabelingConfigs: [{targetLabel: foo, replacement: bar, action: replace}]
`,
  },
  {
    golden: 'podMonitorObjectWithTargetPortInt.golden',
    input: `${defaultPrometheus()}---
${PM}
metadata: {name: defaultPodMonitor, namespace: default, labels: {group: group1}}
spec:
  selector: {matchLabels: {group: group1}}
  podMetricsEndpoints: [{port: '', portNumber: 0, targetPort: 10240, interval: 30s}]
`,
  },
  {
    golden: 'PodTargetLabelsFromPodMonitorAndGlobal.golden',
    input: `${defaultPrometheus('  podTargetLabels: [global]')}
---
${PM}
metadata: {name: testpodmonitor1, namespace: default, labels: {group: group1}}
spec:
  selector: {}
  podTargetLabels: [local]
  podMetricsEndpoints: [{port: web, interval: 30s}]
`,
  },
  {
    golden: 'TargetLabels.golden',
    input: `${defaultPrometheus()}---
${SM}
metadata: {name: testservicemonitor1, namespace: default}
spec:
  selector: {}
  targetLabels: [example, env]
  endpoints: [{port: web, interval: 30s}]
`,
  },
  {
    golden: 'HonorLabelsOverriding.golden',
    input: `${defaultPrometheus('  overrideHonorLabels: true')}
---
${SM}
metadata: {name: testservicemonitor1, namespace: default, labels: {group: group1}}
spec:
  selector: {}
  targetLabels: [example, env]
  endpoints: [{honorLabels: true, port: web, interval: 30s}]
`,
  },
  {
    golden: 'ScrapeConfigSpecConfig_HTTPSD_with_BasicAuth.golden',
    store: OAUTH2_STORE,
    input: `${defaultPrometheus()}---
${SC}
metadata: {name: testscrapeconfig1, namespace: default}
spec:
  httpSDConfigs:
  - url: http://localhost:9100/sd.json
    basicAuth:
      username: {name: secret, key: Username}
      password: {name: secret, key: Password}
`,
  },
  {
    golden: 'ScrapeConfigSpecConfig_K8SSD_with_Selectors.golden',
    input: `${defaultPrometheus()}---
${SC}
metadata: {name: testscrapeconfig1, namespace: default}
spec:
  kubernetesSDConfigs:
  - role: Node
    selectors: [{role: Node, label: component=executor}]
`,
  },
  // Keys the Prometheus version lacks are left out (WithMinimumVersion).
  ...(['v2.25.0', 'v2.28.0'] as const).map((version) => ({
    golden: `ServiceMonitorEndpointFollowRedirects_FollowRedirectFalse_${version}.golden`,
    input: `${defaultPrometheus(`  version: ${version}`)}
---
${SM}
metadata: {name: testservicemonitor1, namespace: default, labels: {group: group1}}
spec:
  selector: {}
  endpoints: [{port: web, interval: 30s, followRedirects: false}]
`,
  })),
  ...(
    [
      ['v2.48.0', 'OldVersion'],
      ['v2.49.0', 'NewVersion'],
    ] as const
  ).map(([version, which]) => ({
    golden: `SettingScrapeProtocolsInServiceMonitor_${which}.golden`,
    input: `${defaultPrometheus(`  version: ${version}`)}
---
${SM}
metadata: {name: testservicemonitor1, namespace: default}
spec:
  selector: {}
  targetLabels: [example, env]
  scrapeProtocols: [OpenMetricsText1.0.0, OpenMetricsText0.0.1]
  endpoints: [{honorTimestamps: false, port: web, interval: 30s}]
`,
  })),
];

describe('generated scrape configs equal the operator golden files', () => {
  for (const c of cases) {
    it(`(expectations from prometheus-operator's ${c.golden})`, () => {
      const { configs } = generate(c.input, c.store ?? {});
      assert.deepStrictEqual(configs, goldenScrapeConfigs(c.golden));
    });
  }

  for (const [golden, apiserver, secrets] of [
    [
      'K8SSDConfigGenerationTwo.golden',
      `host: example.com
    basicAuth:
      username: {name: foo, key: username}
      password: {name: foo, key: password}`,
      { 'default/foo': { username: 'foo', password: 'bar' } },
    ],
    [
      'K8SSDConfigGenerationTLSConfig.golden',
      `host: example.com
    tlsConfig:
      ca: {secret: {name: tls, key: ca}}
      cert: {secret: {name: tls, key: cert}}
      keySecret: {name: tls, key: private-key}`,
      {},
    ],
  ] as const) {
    it(`(expectations from prometheus-operator's ${golden})`, () => {
      // TestK8SSDConfigGeneration calls generateK8SSDConfig alone, for a ServiceMonitor in
      // namespace default selecting namespace test.
      const { prometheus } = objectsFrom(`apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata: {name: p, namespace: default}
spec:
  apiserverConfig:
    ${apiserver}
`);
      const store = new AssetStore(null, { secrets });
      const cg = new ConfigGenerator(prometheus, { store });
      const sd = kubernetesSdConfigs(cg, {
        namespaceSelector: { matchNames: ['test'] },
        namespace: 'default',
        store: store.forNamespace('default'),
        role: 'endpoints',
        attachMetadata: null,
        roleSelector: null,
      });
      const job = new MapSlice([
        ['job_name', 'k8s-sd-test'],
        ['kubernetes_sd_configs', sd],
      ]);
      assert.deepStrictEqual([toPlain(job)], goldenScrapeConfigs(golden));
    });
  }
});
