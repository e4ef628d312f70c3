/**
 * What every service discovery produces, as Prometheus's `targetgroup.Group` has it: a source that
 * names the group, the targets (each a label set holding at least `__address__`), and the labels
 * every target of the group shares. A target's own labels win over the group's.
 */

/** A label set: name → value. As in Prometheus, an empty value is the same as an absent label. */
export type LabelSet = Record<string, string>;

/** One target group (`discovery/targetgroup/targetgroup.go`). */
export interface TargetGroup {
  /** Names the group within its discovery: `pod/<ns>/<name>`, `<file>:<index>`, `<url>:<index>`. */
  source: string;
  targets: LabelSet[];
  labels: LabelSet;
}

/** The Prometheus major version whose behaviour is reproduced. */
export type PromVersion = '2' | '3';

/** Why a discovery produced nothing usable: a value, never a throw. */
export interface DiscoveryFailure {
  /** What failed, in words a person can act on, naming the file, URL or API call. No secret. */
  message: string;
  /** The HTTP status of the failing call, when there was one (403 for an RBAC refusal). */
  status: number | null;
  /** For a Kubernetes API refusal: the request that was refused, for a SubjectAccessReview. */
  refused?: {
    verb: 'list' | 'get';
    group: string;
    resource: string;
    namespace?: string;
  };
}

/** A discovery's answer: its groups, or why it failed. */
export type DiscoveryOutcome =
  | { ok: true; groups: TargetGroup[]; warnings: string[] }
  | { ok: false; failure: DiscoveryFailure };
