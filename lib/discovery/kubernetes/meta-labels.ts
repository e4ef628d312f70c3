/**
 * The label mechanics every role shares (prometheus/prometheus `discovery/kubernetes/kubernetes.go`,
 * `addObjectMetaLabels`; `util/strutil/strconv.go`, `SanitizeLabelName`): object names, labels
 * and annotations as `__meta_kubernetes_<kind>_…` labels, and Go's `net.JoinHostPort`.
 */
import type { LabelSet, PromVersion } from '../types.ts';
import type { ObjectMeta } from './objects.ts';

/** `metaLabelPrefix`: every label this discovery makes starts with it. */
export const META = '__meta_kubernetes_';

/** `__meta_kubernetes_namespace`, on every namespaced role's groups. */
export const NAMESPACE_LABEL = `${META}namespace`;

/**
 * Replaces every character outside `[a-zA-Z0-9_]` with `_`, one per code point, as Go's
 * `regexp.ReplaceAllString` does over runes: `app.kubernetes.io/name` → `app_kubernetes_io_name`.
 */
export function sanitizeLabelName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_]/gu, '_');
}

/**
 * Go's `net.JoinHostPort`: brackets a host holding a colon (`[fd00::1]:9000`).
 */
export function joinHostPort(host: string, port: string | number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * Adds `<kind>_label_<name>`, `<kind>_labelpresent_<name>` and, when `annotations` is set, the
 * annotation pair for every label and annotation (`addObjectAnnotationsAndLabels`). Two keys that
 * sanitise alike overwrite each other: Go's map order picks the winner at random, here the later
 * key in the object wins.
 */
export function addLabelsAndAnnotations(
  labels: LabelSet,
  meta: ObjectMeta | undefined,
  kind: string,
  options: { annotations: boolean },
): void {
  for (const [key, value] of Object.entries(meta?.labels ?? {})) {
    const name = sanitizeLabelName(key);
    labels[`${META}${kind}_label_${name}`] = value;
    labels[`${META}${kind}_labelpresent_${name}`] = 'true';
  }
  if (!options.annotations) return;
  for (const [key, value] of Object.entries(meta?.annotations ?? {})) {
    const name = sanitizeLabelName(key);
    labels[`${META}${kind}_annotation_${name}`] = value;
    labels[`${META}${kind}_annotationpresent_${name}`] = 'true';
  }
}

/**
 * `addObjectMetaLabels`: `<kind>_name` plus every label and annotation. Prometheus 2.42 built
 * these per role, and some roles left annotations out; the callers say so through `annotations`.
 */
export function addObjectMetaLabels(
  labels: LabelSet,
  meta: ObjectMeta | undefined,
  kind: string,
  options: { annotations: boolean } = { annotations: true },
): void {
  labels[`${META}${kind}_name`] = meta?.name ?? '';
  addLabelsAndAnnotations(labels, meta, kind, options);
}

/**
 * The node labels that `attach_metadata.node` copies onto a target (`addNodeLabels`): the name,
 * labels and, since 2.46 (`addObjectMetaLabels`), annotations.
 */
export function nodeMetaLabels(meta: ObjectMeta | undefined, version: PromVersion): LabelSet {
  const labels: LabelSet = {};
  addObjectMetaLabels(labels, meta, 'node', { annotations: version !== '2' });
  return labels;
}

/** The `namespace_label_*` and `namespace_annotation_*` labels (3.6, `addNamespaceMetaLabels`). */
export function namespaceMetaLabels(meta: ObjectMeta | undefined): LabelSet {
  const labels: LabelSet = {};
  addLabelsAndAnnotations(labels, meta, 'namespace', { annotations: true });
  return labels;
}
