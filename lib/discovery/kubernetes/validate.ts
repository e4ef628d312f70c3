/**
 * Validates one `kubernetes_sd_configs[]` entry as Prometheus does when it loads the config
 * (prometheus/prometheus `discovery/kubernetes/kubernetes.go`, `SDConfig.UnmarshalYAML`, v2.42.0
 * and HEAD), with its messages. The HTTP client keys are accepted and left to the caller, which
 * validates them as prometheus/common does; only the two rules tying them to `api_server` and
 * `kubeconfig_file` are checked here.
 */
import type { PromVersion } from '../types.ts';
import {
  ALLOWED_SELECTORS,
  ATTACH_METADATA_KEYS,
  KUBERNETES_ROLES,
  NO_ATTACH_METADATA,
  type AttachMetadata,
  type KubernetesRole,
  type KubernetesSdConfig,
  type KubernetesSelector,
} from './config.ts';
import { isCustomHttpConfig, isHttpClientKey } from './http-keys.ts';
import { fieldSelectorError } from './field-selector.ts';
import { labelSelectorError } from './selector-syntax.ts';
import { Decoder, type ValidationError } from './yaml-decode.ts';

export type { ValidationError } from './yaml-decode.ts';

/** The validator's answer. */
export type KubernetesSdValidation =
  { ok: true; config: KubernetesSdConfig } | { ok: false; errors: ValidationError[] };

function isRole(value: string): value is KubernetesRole {
  return (KUBERNETES_ROLES as readonly string[]).includes(value);
}

/** `Role.UnmarshalYAML`: an unknown role stops decoding. */
function decodeRole(decoder: Decoder, path: (string | number)[], value: unknown): string {
  const role = decoder.string(path, value, 'kubernetes.Role') ?? '';
  if (role !== '' && !isRole(role) && decoder.fatal === null) {
    decoder.fatal = { path, message: `unknown Kubernetes SD role ${JSON.stringify(role)}` };
  }
  return role;
}

function decodeNamespaces(decoder: Decoder, value: unknown): KubernetesSdConfig['namespaces'] {
  const result = { ownNamespace: false, names: [] as string[] };
  // NamespaceDiscovery has its own UnmarshalYAML over a `plain` type, hence the type's name.
  const mapping = decoder.mapping(['namespaces'], value, 'kubernetes.plain') ?? {};
  for (const [key, item] of Object.entries(mapping)) {
    if (key === 'own_namespace') result.ownNamespace = decoder.bool(['namespaces', key], item);
    else if (key === 'names') {
      const names = decoder.sequence(['namespaces', key], item, '[]string') ?? [];
      names.forEach((name, i) => {
        result.names.push(decoder.string(['namespaces', key, i], name) ?? '');
      });
    } else decoder.unknownField(['namespaces', key], key, 'kubernetes.plain');
  }
  return result;
}

interface RawSelector {
  role: string;
  label: string;
  field: string;
}

function decodeSelectors(decoder: Decoder, value: unknown): RawSelector[] {
  const items = decoder.sequence(['selectors'], value, '[]kubernetes.SelectorConfig') ?? [];
  return items.map((item, i) => {
    const selector = { role: '', label: '', field: '' };
    const path = ['selectors', i];
    for (const [key, v] of Object.entries(
      decoder.mapping(path, item, 'kubernetes.SelectorConfig') ?? {},
    )) {
      if (key === 'role') selector.role = decodeRole(decoder, [...path, key], v);
      else if (key === 'label' || key === 'field')
        selector[key] = decoder.string([...path, key], v) ?? '';
      else decoder.unknownField([...path, key], key, 'kubernetes.SelectorConfig');
    }
    return selector;
  });
}

function decodeAttachMetadata(
  decoder: Decoder,
  value: unknown,
  version: PromVersion,
): AttachMetadata {
  const result = { ...NO_ATTACH_METADATA };
  const known: readonly string[] = ATTACH_METADATA_KEYS[version];
  const mapping = decoder.mapping(['attach_metadata'], value, 'kubernetes.AttachMetadataConfig');
  for (const [key, item] of Object.entries(mapping ?? {})) {
    const path = ['attach_metadata', key];
    if (known.includes(key)) result[key as keyof AttachMetadata] = decoder.bool(path, item);
    else decoder.unknownField(path, key, 'kubernetes.AttachMetadataConfig');
  }
  return result;
}

/** The first selector problem, in Prometheus's order: duplicate, not allowed, field, label. */
function selectorError(
  role: KubernetesRole,
  selectors: RawSelector[],
  version: PromVersion,
): ValidationError | null {
  const allowed = ALLOWED_SELECTORS[version][role];
  const seen = new Set<string>();
  for (const [i, selector] of selectors.entries()) {
    const path = ['selectors', i];
    if (seen.has(selector.role)) {
      return { path: [...path, 'role'], message: `duplicated selector role: ${selector.role}` };
    }
    seen.add(selector.role);
    if (!(allowed as readonly string[]).includes(selector.role)) {
      return {
        path: [...path, 'role'],
        message: `${role} role supports only ${allowed.join(', ')} selectors`,
      };
    }
    const field = fieldSelectorError(selector.field);
    if (field !== null) return { path: [...path, 'field'], message: field };
    const label = labelSelectorError(selector.label, version);
    if (label !== null) return { path: [...path, 'label'], message: label };
  }
  return null;
}

/** The checks `UnmarshalYAML` runs once decoding succeeded, in its order; the first one fails. */
function semanticError(config: KubernetesSdConfig, selectors: RawSelector[], version: PromVersion) {
  const { apiServer, kubeconfigFile, customHttpConfig, namespaces } = config;
  const hasKubeconfig = kubeconfigFile !== null && kubeconfigFile !== '';
  const checks: [boolean, (string | number)[], string][] = [
    [
      apiServer !== null && hasKubeconfig,
      ['kubeconfig_file'],
      "cannot use 'kubeconfig_file' and 'api_server' simultaneously",
    ],
    [
      hasKubeconfig && customHttpConfig,
      ['kubeconfig_file'],
      "cannot use a custom HTTP client configuration together with 'kubeconfig_file'",
    ],
    [
      apiServer === null && customHttpConfig,
      [],
      "to use custom HTTP client configuration please provide the 'api_server' URL explicitly",
    ],
    [
      apiServer !== null && namespaces.ownNamespace,
      ['namespaces', 'own_namespace'],
      "cannot use 'api_server' and 'namespaces.own_namespace' simultaneously",
    ],
    [
      hasKubeconfig && namespaces.ownNamespace,
      ['namespaces', 'own_namespace'],
      "cannot use 'kubeconfig_file' and 'namespaces.own_namespace' simultaneously",
    ],
  ];
  for (const [failed, path, message] of checks) if (failed) return { path, message };
  return selectorError(config.role, selectors, version);
}

/**
 * Validates the discovery keys of one `kubernetes_sd_configs[]` entry for a Prometheus version.
 * Decoding problems (unknown keys, wrong types) come together, as yaml.v2 reports them; after
 * them only the first failing rule, as Prometheus stops there. HTTP client keys are "custom" when
 * they differ from Prometheus's defaults (see `isCustomHttpConfig`).
 *
 * @example
 * validateKubernetesSdConfig({ role: 'pod', attach_metadata: { namespace: true } }, '2');
 * // { ok: false, errors: [{ path: ['attach_metadata', 'namespace'],
 * //   message: 'field namespace not found in type kubernetes.AttachMetadataConfig' }] }
 */
export function validateKubernetesSdConfig(
  raw: unknown,
  version: PromVersion,
): KubernetesSdValidation {
  const decoder = new Decoder();
  const mapping = decoder.mapping([], raw, 'kubernetes.plain') ?? {};
  let role = '';
  let apiServer: string | null = null;
  let kubeconfigFile: string | null = null;
  let namespaces: KubernetesSdConfig['namespaces'] = { ownNamespace: false, names: [] };
  let selectors: RawSelector[] = [];
  let attachMetadata = { ...NO_ATTACH_METADATA };
  const http: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(mapping)) {
    if (key === 'role') role = decodeRole(decoder, [key], value);
    else if (key === 'api_server') apiServer = decoder.string([key], value);
    else if (key === 'kubeconfig_file') kubeconfigFile = decoder.string([key], value);
    else if (key === 'namespaces') namespaces = decodeNamespaces(decoder, value);
    else if (key === 'selectors') selectors = decodeSelectors(decoder, value);
    else if (key === 'attach_metadata')
      attachMetadata = decodeAttachMetadata(decoder, value, version);
    else if (isHttpClientKey(key, version)) http[key] = value;
    else decoder.unknownField([key], key, 'kubernetes.plain');
  }
  if (decoder.fatal !== null) return { ok: false, errors: [decoder.fatal] };
  if (decoder.errors.length > 0) return { ok: false, errors: decoder.errors };
  if (!isRole(role)) {
    const message = `role missing (one of: ${KUBERNETES_ROLES.join(', ')})`;
    return { ok: false, errors: [{ path: ['role'], message }] };
  }
  const config: KubernetesSdConfig = {
    role,
    apiServer,
    kubeconfigFile: kubeconfigFile === '' ? null : kubeconfigFile,
    namespaces,
    selectors: selectors as KubernetesSelector[],
    attachMetadata,
    customHttpConfig: isCustomHttpConfig(http),
  };
  const error = semanticError(config, selectors, version);
  return error === null ? { ok: true, config } : { ok: false, errors: [error] };
}
