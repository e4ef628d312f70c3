/**
 * One `clusters[]` entry of the config (`../shared/contract.md`, "Configuration file"), as the
 * planner reads it. The type comes from the config schema: this module only names its parts.
 */
import { CLUSTER_PRESETS, type ClusterInput } from '#lib/config/index.ts';

export { CLUSTER_PRESETS };

/** The preset targets a cluster can have; each is a job name in the results. */
export type ClusterPreset = (typeof CLUSTER_PRESETS)[number];

/** The targets when `targets` is absent (etcd needs client certificates, so it is opt-in). */
export const DEFAULT_PRESETS: readonly ClusterPreset[] = [
  'apiserver',
  'kube-scheduler',
  'kube-controller-manager',
  'kubelet',
];

/** A `clusters[]` entry, loaded or written by hand (defaults may be missing). */
export type ClusterConfigLike = ClusterInput;
