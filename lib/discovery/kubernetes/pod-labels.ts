/**
 * The pod labels the pod role puts on its groups and the endpoints roles on every target backed by
 * a pod (prometheus/prometheus `discovery/kubernetes/pod.go`, `podLabels`, `GetControllerOf`,
 * `podReady`), and the container labels both build.
 */
import type { LabelSet } from '../types.ts';
import { addObjectMetaLabels, META } from './meta-labels.ts';
import type { Container, KubeObject, OwnerReference, Pod } from './objects.ts';
import type { RoleContext } from './role-context.ts';

/** `GetControllerOf`: the first owner reference with `controller: true`. */
export function controllerOf(object: KubeObject): OwnerReference | undefined {
  return (object.metadata?.ownerReferences ?? []).find((ref) => ref.controller === true);
}

/** `podReady`: the PodReady condition's status lowercased, `unknown` without one. */
function podReady(pod: Pod): string {
  const ready = (pod.status?.conditions ?? []).find((c) => c.type === 'Ready');
  return (ready?.status ?? 'Unknown').toLowerCase();
}

/**
 * The deployment, job and cronjob labels (Prometheus 3.11, attach_metadata.deployment, job,
 * cronjob): the deployment and the cronjob are the controllers of the pod's ReplicaSet and Job,
 * found only when those were listed.
 */
function addWorkloadLabels(
  labels: LabelSet,
  pod: Pod,
  owner: OwnerReference,
  context: RoleContext,
): void {
  const key = `${pod.metadata?.namespace ?? ''}/${owner.name ?? ''}`;
  if (owner.kind === 'ReplicaSet' && context.attach.deployment) {
    const rsOwner = controllerOf(context.replicaSets.get(key) ?? {});
    if (rsOwner?.kind === 'Deployment') labels[`${META}pod_deployment_name`] = rsOwner.name ?? '';
  }
  if (owner.kind === 'Job') {
    if (context.attach.job) labels[`${META}pod_job_name`] = owner.name ?? '';
    if (context.attach.cronjob) {
      const jobOwner = controllerOf(context.jobs.get(key) ?? {});
      if (jobOwner?.kind === 'CronJob') labels[`${META}pod_cronjob_name`] = jobOwner.name ?? '';
    }
  }
}

/**
 * `podLabels`: the pod's name, IP, readiness, phase, node, host IP, UID, controller, labels and
 * annotations, and the workload labels attach_metadata asks for.
 */
export function podLabels(pod: Pod, context: RoleContext): LabelSet {
  const labels: LabelSet = {
    [`${META}pod_ip`]: pod.status?.podIP ?? '',
    [`${META}pod_ready`]: podReady(pod),
    [`${META}pod_phase`]: pod.status?.phase ?? '',
    [`${META}pod_node_name`]: pod.spec?.nodeName ?? '',
    [`${META}pod_host_ip`]: pod.status?.hostIP ?? '',
    [`${META}pod_uid`]: pod.metadata?.uid ?? '',
  };
  addObjectMetaLabels(labels, pod.metadata, 'pod');
  const owner = controllerOf(pod);
  if (owner !== undefined) {
    if (owner.kind) labels[`${META}pod_controller_kind`] = owner.kind;
    if (owner.name) labels[`${META}pod_controller_name`] = owner.name;
    addWorkloadLabels(labels, pod, owner, context);
  }
  return labels;
}

/** A container with whether it is an init container (`spec.initContainers`). */
export interface PodContainer {
  container: Container;
  init: boolean;
}

/**
 * The containers Prometheus walks: `spec.containers` then `spec.initContainers`. The endpoints
 * roles walked only `spec.containers` before Prometheus 3.0 (prometheus/prometheus#14929), so
 * they pass `withInit: false` for version 2; the pod role always included init containers.
 */
export function podContainers(pod: Pod, withInit: boolean): PodContainer[] {
  const main = (pod.spec?.containers ?? []).map((container) => ({ container, init: false }));
  if (!withInit) return main;
  const init = (pod.spec?.initContainers ?? []).map((container) => ({ container, init: true }));
  return [...main, ...init];
}
