/** A ScrapeRequest with Prometheus's defaults, for tests that build their own. */
import { DEFAULT_SCRAPE_PROTOCOLS } from '#lib/scrape/protocol.ts';
import type { ScrapeRequest } from '#lib/scrape/types.ts';

export function scrapeRequest(url: string, overrides: Partial<ScrapeRequest> = {}): ScrapeRequest {
  const parsed = new URL(url);
  return {
    job: 'test',
    cluster: null,
    instance: parsed.host,
    url: parsed,
    targetLabels: { job: 'test', instance: parsed.host },
    tls: {},
    auth: null,
    timeoutMs: 2000,
    limits: {
      bodySizeLimit: 0,
      sampleLimit: 0,
      labelLimit: 0,
      labelNameLengthLimit: 0,
      labelValueLengthLimit: 0,
    },
    scrapeProtocols: DEFAULT_SCRAPE_PROTOCOLS,
    fallbackScrapeProtocol: null,
    followRedirects: true,
    token: null,
    warnings: [],
    ...overrides,
  };
}
