/**
 * The run-level metrics behind the stack's aggregate alarm (packaging/monitoring.ts): one CloudWatch
 * Embedded Metric Format document per run with no dimensions, so one alarm sees every check,
 * including checks added to the config after the deploy. `ChecksFailed` counts failed verdicts;
 * `RunsFailed` is 1 when the run could not happen (an unusable config, a crash). Both are written
 * in every document, so the alarm's `failed + crashed` always has both series.
 */
import type { RunSummary } from '#lib/result/types.ts';
import { DEFAULT_EMF_NAMESPACE } from '#lib/sinks/emf.ts';

/** Writes the run's document to stdout (CloudWatch Logs turns it into metrics). */
export function reportRun(summary: RunSummary | null, namespace = DEFAULT_EMF_NAMESPACE): void {
  const document = {
    _aws: {
      Timestamp: Date.now(),
      CloudWatchMetrics: [
        {
          Namespace: namespace,
          // One empty dimension set: the metrics are published without dimensions.
          Dimensions: [[]],
          Metrics: [
            { Name: 'ChecksRun', Unit: 'Count' },
            { Name: 'ChecksFailed', Unit: 'Count' },
            { Name: 'RunsFailed', Unit: 'Count' },
          ],
        },
      ],
    },
    ChecksRun: summary?.total ?? 0,
    ChecksFailed: summary?.failed ?? 0,
    RunsFailed: summary === null ? 1 : 0,
  };
  process.stdout.write(`${JSON.stringify(document)}\n`);
}
