/**
 * validateKubernetesSdConfig against Prometheus's own config tests: the `kubernetes_*` files of
 * prometheus/prometheus `config/testdata/` and the messages `config/config_test.go` expects, at
 * v2.42.0 and HEAD, plus the per-version keys and the HTTP client rules.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { validateKubernetesSdConfig } from '#lib/discovery/kubernetes/index.ts';
import type { PromVersion } from '#lib/discovery/types.ts';

/** The `kubernetes_sd_configs` entries of a prometheus.yml. */
function entries(yaml: string): unknown[] {
  const doc = parse(yaml) as { scrape_configs: { kubernetes_sd_configs: unknown[] }[] };
  return doc.scrape_configs[0]!.kubernetes_sd_configs;
}

const sd = (body: string): string =>
  `scrape_configs:\n  - job_name: prometheus\n    kubernetes_sd_configs:\n${body}`;

const selectors = (role: string, ...roles: string[]): string =>
  sd(
    `      - role: ${role}\n        selectors:\n` +
      roles
        .map(
          (r) =>
            `          - role: "${r}"\n            label: "foo=bar"\n            field: "metadata.status=Running"\n`,
        )
        .join(''),
  );

/** `testdata/*.good.yml`: every entry is valid. */
const GOOD: Record<string, string> = {
  'kubernetes_empty_apiserver.good.yml': sd('      - role: endpoints\n'),
  'kubernetes_kubeconfig_without_apiserver.good.yml': sd(
    '      - role: endpoints\n        kubeconfig_file: /user1/.kube/config\n',
  ),
  'kubernetes_selectors_endpoints.good.yml': selectors('endpoints', 'pod', 'service', 'endpoints'),
  'kubernetes_selectors_node.good.yml': selectors('node', 'node'),
  'kubernetes_selectors_ingress.good.yml': selectors('ingress', 'ingress'),
  'kubernetes_selectors_service.good.yml': selectors('service', 'service'),
  'kubernetes_selectors_pod.good.yml': sd(
    `      - role: pod
        selectors:
          - role: "pod"
            label: "foo=bar"
            field: "metadata.status=Running"
      - role: pod
        selectors:
          - role: "pod"
            label: "foo in (bar,baz)"
            field: "metadata.status=Running"
`,
  ),
};

/** `testdata/*.bad.yml` and the message `config_test.go` expects (the same at both versions). */
const BAD: [string, string, string][] = [
  [
    'kubernetes_http_config_without_api_server.bad.yml',
    sd('      - role: pod\n        authorization:\n          credentials: 1234\n'),
    "to use custom HTTP client configuration please provide the 'api_server' URL explicitly",
  ],
  [
    'kubernetes_kubeconfig_with_own_namespace.bad.yml',
    sd(
      '      - role: endpoints\n        kubeconfig_file: /home/User1/.kubeconfig\n        namespaces:\n          own_namespace: true\n',
    ),
    "cannot use 'kubeconfig_file' and 'namespaces.own_namespace' simultaneously",
  ],
  [
    'kubernetes_api_server_with_own_namespace.bad.yml',
    sd(
      "      - role: endpoints\n        api_server: 'https://localhost:1234'\n        namespaces:\n          own_namespace: true\n",
    ),
    "cannot use 'api_server' and 'namespaces.own_namespace' simultaneously",
  ],
  [
    'kubernetes_kubeconfig_with_apiserver.bad.yml',
    sd(
      "      - role: endpoints\n        api_server: 'https://localhost:1234'\n        kubeconfig_file: /user1/.kube/config\n",
    ),
    "cannot use 'kubeconfig_file' and 'api_server' simultaneously",
  ],
  [
    'kubernetes_kubeconfig_with_http_config.bad.yml',
    sd(
      '      - role: endpoints\n        kubeconfig_file: /user1/.kube/config\n        basic_auth:\n          username: user\n          password: password\n',
    ),
    "cannot use a custom HTTP client configuration together with 'kubeconfig_file'",
  ],
  [
    'kubernetes_role.bad.yml',
    'scrape_configs:\n  - kubernetes_sd_configs:\n      - api_server: kubernetes:443\n        role: vacation\n',
    'unknown Kubernetes SD role "vacation"',
  ],
  [
    'kubernetes_selectors_endpoints.bad.yml',
    selectors('endpoints', 'node', 'service', 'endpoints'),
    'endpoints role supports only pod, service, endpoints selectors',
  ],
  [
    'kubernetes_selectors_ingress.bad.yml',
    selectors('ingress', 'node'),
    'ingress role supports only ingress selectors',
  ],
  [
    'kubernetes_selectors_node.bad.yml',
    selectors('node', 'pod'),
    'node role supports only node selectors',
  ],
  [
    'kubernetes_selectors_service.bad.yml',
    selectors('service', 'pod'),
    'service role supports only service selectors',
  ],
  [
    'kubernetes_namespace_discovery.bad.yml',
    'scrape_configs:\n  - kubernetes_sd_configs:\n      - api_server: kubernetes:443\n        role: endpoints\n        namespaces:\n          foo: bar\n',
    'field foo not found in type kubernetes.plain',
  ],
  [
    'kubernetes_selectors_duplicated_role.bad.yml',
    selectors('endpoints', 'pod', 'pod'),
    'duplicated selector role: pod',
  ],
  [
    'kubernetes_selectors_incorrect_selector.bad.yml',
    sd(
      '      - role: endpoints\n        selectors:\n          - role: "pod"\n            field: "metadata.status-Running"\n',
    ),
    "invalid selector: 'metadata.status-Running'; can't understand 'metadata.status-Running'",
  ],
];

function firstError(raw: unknown, version: PromVersion): string | undefined {
  const result = validateKubernetesSdConfig(raw, version);
  return result.ok ? undefined : result.errors[0]?.message;
}

describe('validateKubernetesSdConfig', () => {
  for (const version of ['2', '3'] as PromVersion[]) {
    const at = version === '2' ? 'v2.42.0' : 'HEAD';
    for (const [file, yaml] of Object.entries(GOOD)) {
      it(`accepts ${file} (expectations from Prometheus's config_test.go at ${at})`, () => {
        for (const entry of entries(yaml)) {
          assert.deepEqual(validateKubernetesSdConfig(entry, version).ok, true);
        }
      });
    }
    for (const [file, yaml, message] of BAD) {
      it(`refuses ${file} (expectations from Prometheus's config_test.go at ${at})`, () => {
        assert.equal(firstError(entries(yaml)[0], version), message);
      });
    }
  }

  it('refuses kubernetes_selectors_pod.bad.yml per version (config_test.go at v2.42.0 and HEAD)', () => {
    // v2.42's file holds a node selector; HEAD's a node and a service selector.
    assert.equal(
      firstError(entries(selectors('pod', 'node'))[0], '2'),
      'pod role supports only pod selectors',
    );
    assert.equal(
      firstError(entries(selectors('pod', 'node', 'service'))[0], '3'),
      'pod role supports only pod, node selectors',
    );
  });

  it('accepts the node selector of the pod role from Prometheus 3.11 on', () => {
    const [, , third] = entries(
      sd(
        '      - role: pod\n      - role: pod\n      - role: pod\n        selectors:\n          - role: "node"\n            label: "foo=bar"\n            field: "metadata.status=Running"\n',
      ),
    );
    assert.equal(validateKubernetesSdConfig(third, '3').ok, true);
  });

  it('knows the attach_metadata keys of each version', () => {
    const raw = { role: 'pod', attach_metadata: { node: true, namespace: true, cronjob: true } };
    assert.deepEqual(validateKubernetesSdConfig(raw, '2'), {
      ok: false,
      errors: [
        {
          path: ['attach_metadata', 'namespace'],
          message: 'field namespace not found in type kubernetes.AttachMetadataConfig',
        },
        {
          path: ['attach_metadata', 'cronjob'],
          message: 'field cronjob not found in type kubernetes.AttachMetadataConfig',
        },
      ],
    });
    const ok = validateKubernetesSdConfig(raw, '3');
    assert.ok(ok.ok);
    assert.deepEqual(ok.config.attachMetadata, {
      node: true,
      namespace: true,
      deployment: false,
      job: false,
      cronjob: true,
    });
  });

  it('reports the missing role, unknown keys and wrong types', () => {
    assert.equal(
      firstError({ api_server: 'https://k' }, '3'),
      'role missing (one of: pod, service, endpoints, endpointslice, node, ingress)',
    );
    assert.deepEqual(validateKubernetesSdConfig({ role: 'pod', rol: 'x', http_headers: {} }, '2'), {
      ok: false,
      errors: [
        { path: ['rol'], message: 'field rol not found in type kubernetes.plain' },
        {
          path: ['http_headers'],
          message: 'field http_headers not found in type kubernetes.plain',
        },
      ],
    });
    assert.deepEqual(
      validateKubernetesSdConfig(
        { role: 'pod', namespaces: { own_namespace: 'yes', names: 'a' } },
        '3',
      ),
      {
        ok: false,
        errors: [
          {
            path: ['namespaces', 'own_namespace'],
            message: 'cannot unmarshal !!str `yes` into bool',
          },
          { path: ['namespaces', 'names'], message: 'cannot unmarshal !!str `a` into []string' },
        ],
      },
    );
    // An unknown selector role stops decoding, as Role.UnmarshalYAML fails.
    assert.deepEqual(
      validateKubernetesSdConfig({ role: 'pod', foo: 1, selectors: [{ role: 'pods' }] }, '3'),
      {
        ok: false,
        errors: [{ path: ['selectors', 0, 'role'], message: 'unknown Kubernetes SD role "pods"' }],
      },
    );
  });

  it('tells a custom HTTP client configuration from the defaults, as reflect.DeepEqual does', () => {
    const custom = (http: Record<string, unknown>): boolean => {
      const result = validateKubernetesSdConfig(
        { role: 'node', api_server: 'https://k', ...http },
        '3',
      );
      assert.ok(result.ok);
      return result.config.customHttpConfig;
    };
    assert.equal(custom({}), false);
    assert.equal(custom({ follow_redirects: true, enable_http2: true, tls_config: {} }), false);
    assert.equal(custom({ tls_config: { insecure_skip_verify: false }, bearer_token: '' }), false);
    assert.equal(custom({ follow_redirects: false }), true);
    assert.equal(custom({ enable_http2: null }), true);
    assert.equal(custom({ tls_config: { ca_file: '/ca.pem' } }), true);
    assert.equal(custom({ basic_auth: {} }), true);
    assert.equal(custom({ proxy_url: '' }), true);
    // In-cluster, default keys are fine and a custom one is refused.
    assert.equal(firstError({ role: 'node', follow_redirects: true }, '3'), undefined);
    assert.equal(
      firstError({ role: 'node', tls_config: { insecure_skip_verify: true } }, '2'),
      "to use custom HTTP client configuration please provide the 'api_server' URL explicitly",
    );
  });

  it('returns the config discovery needs', () => {
    const [entry] = entries(
      sd(`      - role: endpointslice
        api_server: https://10.0.0.1
        bearer_token_file: /var/run/token
        namespaces:
          names: [kube-system, monitoring]
        selectors:
          - role: service
            label: app.kubernetes.io/name in (kube-state-metrics)
`),
    );
    assert.deepEqual(validateKubernetesSdConfig(entry, '3'), {
      ok: true,
      config: {
        role: 'endpointslice',
        apiServer: 'https://10.0.0.1',
        kubeconfigFile: null,
        namespaces: { ownNamespace: false, names: ['kube-system', 'monitoring'] },
        selectors: [
          { role: 'service', label: 'app.kubernetes.io/name in (kube-state-metrics)', field: '' },
        ],
        attachMetadata: {
          node: false,
          namespace: false,
          deployment: false,
          job: false,
          cronjob: false,
        },
        customHttpConfig: true,
      },
    });
  });
});
