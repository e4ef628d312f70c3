/**
 * The parts of the operator's relabel chain and discovery block that ServiceMonitors, PodMonitors,
 * Probes and ScrapeConfigs share (prometheus-operator `pkg/prometheus/promcfg.go`:
 * `initRelabelings`, `generateRunningFilter`, the selector keep/drop rules,
 * `appendShardingRelabelingWithLabel`, `generateK8SSDConfig`, `generateRoleSelectorConfig`,
 * `getNamespacesFromNamespaceSelector`) and the enforced namespace label
 * (`pkg/namespacelabeler`).
 */
import type { LabelSelector, NamespaceSelector, RelabelConfig } from './crd-common.ts';
import type { ApiServerConfig } from './crd-prometheus.ts';
import type { ConfigGenerator } from './generator.ts';
import { addAuthorization, addBasicAuth, addProxyConfig, addTls } from './http-config.ts';
import { selectorString } from './label-selector.ts';
import { MapSlice } from './map-slice.ts';
import type { AssetGetter } from './store.ts';

/** `sanitizeLabelName`: every character outside [a-zA-Z0-9_] becomes `_`. */
export function sanitizeLabelName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_]/g, '_');
}

/** `initRelabelings`: the job name kept in `__tmp_prometheus_job_name`. */
export function initRelabelings(): MapSlice[] {
  return [
    new MapSlice([
      ['source_labels', ['job']],
      ['target_label', '__tmp_prometheus_job_name'],
    ]),
  ];
}

/** `generateRunningFilter`: pods that have finished are not scraped. */
export function runningFilter(): MapSlice {
  return new MapSlice([
    ['action', 'drop'],
    ['source_labels', ['__meta_kubernetes_pod_phase']],
    ['regex', '(Failed|Succeeded)'],
  ]);
}

/** A selector's rule, with the requirement it stands for (`app=x`, `tier in (a,b)`, `!legacy`). */
export interface SelectorRule {
  rule: MapSlice;
  requirement: string;
}

/**
 * The keep/drop rules that emulate a label selector on `__meta_kubernetes_<object>_label_*`:
 * matchLabels sorted by key, then each expression; values go into the regex unescaped, as the
 * operator writes them.
 */
export function selectorRelabelings(object: string, selector: LabelSelector): SelectorRule[] {
  const label = (k: string) => `__meta_kubernetes_${object}_label_${sanitizeLabelName(k)}`;
  const present = (k: string) => `__meta_kubernetes_${object}_labelpresent_${sanitizeLabelName(k)}`;
  const out: SelectorRule[] = [];
  const labels = selector.matchLabels ?? {};
  for (const k of Object.keys(labels).sort()) {
    const rule = new MapSlice([
      ['action', 'keep'],
      ['source_labels', [label(k), present(k)]],
      ['regex', `(${labels[k]!});true`],
    ]);
    out.push({ rule, requirement: `${k}=${labels[k]!}` });
  }
  for (const e of selector.matchExpressions ?? []) {
    const values = e.values ?? [];
    if (e.operator === 'In' || e.operator === 'NotIn') {
      const rule = new MapSlice([
        ['action', e.operator === 'In' ? 'keep' : 'drop'],
        ['source_labels', [label(e.key), present(e.key)]],
        ['regex', `(${values.join('|')});true`],
      ]);
      const op = e.operator === 'In' ? 'in' : 'notin';
      out.push({ rule, requirement: `${e.key} ${op} (${values.join(',')})` });
    } else {
      const rule = new MapSlice([
        ['action', e.operator === 'Exists' ? 'keep' : 'drop'],
        ['source_labels', [present(e.key)]],
        ['regex', 'true'],
      ]);
      out.push({ rule, requirement: e.operator === 'Exists' ? e.key : `!${e.key}` });
    }
  }
  return out;
}

/**
 * `appendShardingRelabelingWithLabel` (no retention policies, no topology sharding: both are
 * feature-gated off by default): hash `shardLabel` into `__tmp_hash` and keep this shard's part.
 * `$(SHARD)` is the config reloader's to substitute.
 */
export function shardingRelabelings(shards: number, shardLabel: string): MapSlice[] {
  return [
    new MapSlice([
      ['source_labels', [shardLabel, '__tmp_hash']],
      ['target_label', '__tmp_hash'],
      ['regex', '(.+);'],
      ['replacement', '$1'],
      ['action', 'replace'],
    ]),
    new MapSlice([
      ['source_labels', ['__tmp_hash']],
      ['target_label', '__tmp_hash'],
      ['modulus', shards],
      ['action', 'hashmod'],
    ]),
    new MapSlice([
      ['source_labels', ['__tmp_hash', '__tmp_disable_sharding']],
      ['regex', '$(SHARD);|.+;.+'],
      ['action', 'keep'],
    ]),
  ];
}

/** `getNamespacesFromNamespaceSelector`: [] means every namespace. */
export function namespacesOf(
  cg: ConfigGenerator,
  selector: NamespaceSelector | undefined,
  namespace: string,
): string[] {
  if (cg.cpf.ignoreNamespaceSelectors === true) return [namespace];
  if (selector?.any === true) return [];
  if ((selector?.matchNames ?? []).length === 0) return [namespace];
  return [...selector!.matchNames!];
}

export interface SdOptions {
  namespaceSelector: NamespaceSelector | undefined;
  namespace: string;
  store: AssetGetter;
  role: string;
  /** attach_metadata with the version it needs, or null. */
  attachMetadata: { min: string; node: boolean } | null;
  /** RoleSelector mechanism: the roles to put the monitor's selector on; null for relabeling. */
  roleSelector: { roles: string[]; selector: LabelSelector } | null;
}

/** `generateK8SSDConfig`: the `kubernetes_sd_configs` value (one block). */
export function kubernetesSdConfigs(cg: ConfigGenerator, o: SdOptions): MapSlice[] {
  const sd = new MapSlice([['role', o.role]]);
  const names = namespacesOf(cg, o.namespaceSelector, o.namespace);
  if (names.length > 0) sd.push('namespaces', new MapSlice([['names', names]]));
  const api: ApiServerConfig | undefined = cg.cpf.apiserverConfig;
  if (api !== undefined) {
    sd.push('api_server', api.host);
    addBasicAuth(cg, sd, o.store, api.basicAuth);
    if ((api.bearerToken ?? '') !== '') sd.push('bearer_token', api.bearerToken!);
    if ((api.bearerTokenFile ?? '') !== '') sd.push('bearer_token_file', api.bearerTokenFile!);
    addAuthorization(cg, sd, o.store, api.authorization);
    addTls(cg, sd, o.store, api.tlsConfig);
    addProxyConfig(cg, sd, o.store, api);
  }
  if (o.attachMetadata !== null)
    cg.append(
      sd,
      'attach_metadata',
      new MapSlice([['node', o.attachMetadata.node]]),
      o.attachMetadata.min,
    );
  if (o.roleSelector !== null) {
    const label = selectorString(o.roleSelector.selector);
    const selectors = o.roleSelector.roles.map(
      (role) =>
        new MapSlice([
          ['role', role],
          ['label', label],
        ]),
    );
    cg.append(sd, 'selectors', selectors);
  }
  return [sd];
}

/**
 * `Labeler.GetRelabelingConfigs`: with `enforcedNamespaceLabel`, a last rule that sets it to the
 * monitor's namespace, unless the monitor is excluded from enforcement.
 */
export function enforceNamespace(
  cg: ConfigGenerator,
  monitor: { resource: string; namespace: string; name: string },
  rules: readonly RelabelConfig[] | undefined,
): RelabelConfig[] {
  const label = cg.cpf.enforcedNamespaceLabel ?? '';
  const out = [...(rules ?? [])];
  if (label === '') return out;
  const excluded = (cg.cpf.excludedFromEnforcement ?? []).some(
    (r) =>
      (r.group ?? 'monitoring.coreos.com') === 'monitoring.coreos.com' &&
      r.resource === monitor.resource &&
      r.namespace === monitor.namespace &&
      ((r.name ?? '') === '' || r.name === monitor.name),
  );
  if (!excluded) out.push({ targetLabel: label, replacement: monitor.namespace });
  return out;
}

/** `mergeAttachMetadataWithScrapeClass`. */
export function attachMetadataOf(
  own: { node?: boolean | undefined } | undefined,
  fromClass: { node?: boolean | undefined } | undefined,
  min: string,
): { min: string; node: boolean } | null {
  const chosen = own ?? fromClass;
  return chosen === undefined ? null : { min, node: chosen.node ?? false };
}
