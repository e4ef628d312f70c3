/**
 * The seam between the runner and the cluster machinery: EKS, kubeconfig and TokenRequest load only
 * when a run includes a cluster, so `scrape-check parse` and plain scrape jobs never pay for the AWS
 * SDK or client-node.
 */
import type { ClusterConfig, Config } from '#lib/config/index.ts';
import { DEFAULT_NAME_SCHEMES, globalNameSchemes } from '#lib/config/name-schemes.ts';
import type { Reason } from '#lib/result/reasons.ts';
import type { CheckResult, TokenInfo } from '#lib/result/types.ts';
import { DEFAULT_SCRAPE_PROTOCOLS } from '#lib/scrape/protocol.ts';
import type { ScrapeRequest } from '#lib/scrape/types.ts';

/** A target that could not even be attempted (no credentials, no token): still a verdict. */
export interface PlannedFailure {
  job: string;
  cluster: string | null;
  instance: string | null;
  url: string | null;
  reason: Exclude<Reason, 'ok'>;
  diagnosis: string;
  token: TokenInfo | null;
}

export interface ClusterPlans {
  requests: ScrapeRequest[];
  failures: PlannedFailure[];
  /**
   * Asks the cluster why a request failed (SubjectAccessReview) and adds it to the diagnosis;
   * true when it added something.
   */
  diagnose(request: ScrapeRequest, result: CheckResult, errorBody: string | null): Promise<boolean>;
  /** Looks at a passing check for what should still worry someone (an over-privileged account). */
  review(request: ScrapeRequest, result: CheckResult): Promise<void>;
}

const NONE: ClusterPlans = {
  requests: [],
  failures: [],
  diagnose: () => Promise.resolve(false),
  review: () => Promise.resolve(),
};

export async function planClusters(
  config: Config,
  selected: readonly { cluster: ClusterConfig; presets: ClusterConfig['targets'] }[],
): Promise<ClusterPlans> {
  if (selected.length === 0) return NONE;
  const { planCluster } = await import('./cluster.ts');
  const g = config.global;
  // The loader refused global schemes Prometheus 3 refuses; Prometheus 2's presets ignore them.
  const resolved = globalNameSchemes(g);
  const globalSchemes = 'message' in resolved ? DEFAULT_NAME_SCHEMES : resolved;
  const plans = await Promise.all(
    selected.map(({ cluster, presets }) =>
      planCluster(
        { ...cluster, targets: presets },
        {
          timeoutMs: cluster.scrape_timeout ?? g.scrape_timeout,
          limits: {
            bodySizeLimit: g.body_size_limit,
            sampleLimit: g.sample_limit,
            labelLimit: g.label_limit,
            labelNameLengthLimit: g.label_name_length_limit,
            labelValueLengthLimit: g.label_value_length_limit,
          },
          scrapeProtocols: g.scrape_protocols ?? DEFAULT_SCRAPE_PROTOCOLS,
          names: globalSchemes,
        },
      ),
    ),
  );
  const byRequest = new Map<ScrapeRequest, (typeof plans)[number]>();
  for (const plan of plans) for (const request of plan.requests) byRequest.set(request, plan);
  return {
    requests: plans.flatMap((p) => p.requests),
    failures: plans.flatMap((p) => p.failures),
    async diagnose(request, result, errorBody) {
      const plan = byRequest.get(request);
      if (!plan) return false;
      const extra = await plan.diagnose(request, result.httpStatus, errorBody);
      if (extra) result.diagnosis = `${result.diagnosis}. ${extra}`;
      return extra !== null;
    },
    async review(request, result) {
      const warning = await byRequest.get(request)?.review(request);
      if (warning) result.warnings.push(warning);
    },
  };
}
