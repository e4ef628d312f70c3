/**
 * Shared by the credentials tests: the real scrape engine over a planned request, plan defaults,
 * and the leak check every test runs over what it produced.
 */
import { DEFAULT_NAME_SCHEMES } from '#lib/config/name-schemes.ts';
import type { CheckResult } from '#lib/result/types.ts';
import { scrape as scrapeTarget } from '#lib/scrape/scrape.ts';
import type { ScrapeRequest } from '#lib/scrape/types.ts';
import type { ClusterPlan, PlanDefaults } from '#lib/targets/cluster.ts';

export const DEFAULTS: PlanDefaults = {
  timeoutMs: 5_000,
  limits: {
    bodySizeLimit: 0,
    sampleLimit: 0,
    labelLimit: 0,
    labelNameLengthLimit: 0,
    labelValueLengthLimit: 0,
  },
  scrapeProtocols: ['PrometheusText0.0.4'],
  names: DEFAULT_NAME_SCHEMES,
};

export interface Scraped {
  status: number | null;
  /** The first bytes of a non-200 body (what the diagnosis reads); empty for a 200. */
  body: string;
  result: CheckResult;
}

/** Scrapes the request with the real engine, as `scrape-check run` does. */
export async function scrape(request: ScrapeRequest): Promise<Scraped> {
  const { result, errorBody } = await scrapeTarget(request, { prometheusVersion: '3' });
  return { status: result.httpStatus, body: errorBody ?? '', result };
}

/** Scrapes a request and, when it failed, asks the plan why. */
export async function scrapeAndDiagnose(
  plan: ClusterPlan,
  request: ScrapeRequest,
): Promise<Scraped & { diagnosis: string | null }> {
  const scraped = await scrape(request);
  const diagnosis =
    scraped.status === 200 ? null : await plan.diagnose(request, scraped.status, scraped.body);
  return { ...scraped, diagnosis };
}

/** Everything a plan shows a person or a machine (never the token in `auth`). */
export function planOutputs(plan: ClusterPlan): unknown[] {
  return [
    plan.failures,
    plan.requests.map((r) => ({
      job: r.job,
      cluster: r.cluster,
      instance: r.instance,
      url: r.url.href,
      token: r.token,
      warnings: r.warnings,
      tls: { ...r.tls, key: undefined },
    })),
  ];
}

export { assertNoSecrets } from '../helpers/io.ts';
