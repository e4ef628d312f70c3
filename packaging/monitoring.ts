/**
 * Alarms and the dashboard. One aggregate alarm covers every check, including checks added to the
 * config after the deploy: it watches the run-level metrics the functions emit without per-target
 * dimensions (`ChecksFailed`, `RunsFailed`, functions/commons/metrics.ts), and missing data is
 * breaching, so a monitor that stops reporting alarms too. Per-target alarms (optional) sit beside
 * it, one per (Cluster, Job) the config names at package time. The dashboard's queries are Metrics
 * Insights and SEARCH expressions over the namespace, so a new check shows without a redeploy.
 */
import { createHash } from 'node:crypto';
import type { Config } from '#lib/config/index.ts';
import { selectChecks } from '#lib/runner/select.ts';
import { DEFAULT_EMF_NAMESPACE, dimensionValue } from '#lib/sinks/emf.ts';
import { sub } from './iam.ts';

/** The run-level metrics (no dimensions) the aggregate alarm watches. */
export const RUN_METRICS = {
  checksRun: 'ChecksRun',
  checksFailed: 'ChecksFailed',
  runsFailed: 'RunsFailed',
} as const;

/** CloudWatch's alarm name limit (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html). */
const MAX_ALARM_NAME = 255;

/** A short stable hash: names made from free text stay distinct (`a-b` and `a_b`). */
export function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}

/** A CloudFormation logical id (alphanumeric, at most 255) that no other (cluster, job) shares. */
export function alarmLogicalId(cluster: string, job: string): string {
  const readable = `${cluster} ${job}`
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('')
    .slice(0, 64);
  return `ScrapeAlarm${readable}${shortHash(`${cluster}\u0000${job}`)}`;
}

/** An alarm name within CloudWatch's limit; a cut one keeps a hash of the whole. */
export function alarmName(text: string): string {
  if (text.length <= MAX_ALARM_NAME) return text;
  return `${text.slice(0, MAX_ALARM_NAME - 10)}… ${shortHash(text)}`;
}

/**
 * The alarm period for a schedule: `rate(N unit)` (at least 5 minutes, CloudWatch's standard
 * resolution granularity for EMF metrics is a minute), else an hour for `cron(…)`.
 */
export function alarmPeriod(schedule: string): number {
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(schedule.trim());
  if (!rate) return 3600;
  const unit = rate[2]!.startsWith('minute') ? 60 : rate[2]!.startsWith('hour') ? 3600 : 86400;
  return Math.max(300, Number(rate[1]) * unit);
}

/** The (Cluster, Job) dimension values the config's checks report under. */
export function targetsOf(config: Config): [cluster: string, job: string][] {
  const selected = selectChecks(config);
  if (!selected.ok) return [];
  const targets: [string, string][] = selected.selection.jobs.map((j) => [
    'none',
    dimensionValue(j.job_name),
  ]);
  for (const { cluster, presets } of selected.selection.clusters)
    for (const preset of presets) targets.push([dimensionValue(cluster.name), preset]);
  return targets;
}

export interface MonitoringOptions {
  prefix: string;
  config: Config | null;
  period: number;
  targetAlarms: boolean;
}

/** The aggregate alarm, the per-target alarms and the dashboard. */
export function monitoringResources(options: MonitoringOptions): Record<string, unknown> {
  const { prefix, config, period } = options;
  const namespace = config?.sinks.emf?.namespace ?? DEFAULT_EMF_NAMESPACE;
  const actions = { AlarmActions: [{ Ref: 'AlarmTopic' }], OKActions: [{ Ref: 'AlarmTopic' }] };
  const runMetric = (id: string, name: string): Record<string, unknown> => ({
    Id: id,
    ReturnData: false,
    MetricStat: { Metric: { Namespace: namespace, MetricName: name }, Period: period, Stat: 'Sum' },
  });
  const resources: Record<string, unknown> = {
    ChecksAlarm: {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        AlarmName: alarmName(`${prefix} a check failed or stopped reporting`),
        AlarmDescription: `A check failed (ChecksFailed), a run could not happen (RunsFailed), or no run reported at all (missing data counts as failing). Covers every check in the config, also those added after the deploy; the dashboard ${prefix} and the per-result log lines say which.`,
        Metrics: [
          runMetric('failed', RUN_METRICS.checksFailed),
          runMetric('crashed', RUN_METRICS.runsFailed),
          { Id: 'problems', Expression: 'failed + crashed', Label: 'problems', ReturnData: true },
        ],
        EvaluationPeriods: 2,
        DatapointsToAlarm: 2,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'breaching',
        ...actions,
      },
    },
  };
  if (options.targetAlarms && config !== null) {
    for (const [cluster, job] of targetsOf(config)) {
      resources[alarmLogicalId(cluster, job)] = {
        Type: 'AWS::CloudWatch::Alarm',
        Properties: {
          AlarmName: alarmName(`${prefix} ${cluster}/${job} cannot be scraped`),
          AlarmDescription: `Prometheus could not scrape ${job} in ${cluster === 'none' ? 'the plain jobs' : `cluster ${cluster}`} (see the Reason dimension and the log lines for the diagnosis). Missing data counts as failing: the check itself stopped.`,
          Namespace: namespace,
          MetricName: 'ScrapeSuccess',
          Dimensions: [
            { Name: 'Cluster', Value: cluster },
            { Name: 'Job', Value: job },
          ],
          Statistic: 'Minimum',
          Period: period,
          EvaluationPeriods: 2,
          DatapointsToAlarm: 2,
          Threshold: 1,
          ComparisonOperator: 'LessThanThreshold',
          TreatMissingData: 'breaching',
          ...actions,
        },
      };
    }
  }
  resources.Dashboard = {
    Type: 'AWS::CloudWatch::Dashboard',
    Properties: { DashboardName: prefix, DashboardBody: sub(dashboardBody(namespace, period)) },
  };
  return resources;
}

/** The dashboard's JSON (a `Fn::Sub` template: `${AWS::Region}` is the only variable). */
function dashboardBody(namespace: string, period: number): string {
  // CloudWatch namespaces hold no quote (letters, digits, . - _ / # : and space).
  const ns = namespace;
  const widget = (
    title: string,
    metrics: unknown[][],
    extra: Record<string, unknown> = {},
  ): Record<string, unknown> => ({
    type: 'metric',
    width: 12,
    height: 6,
    properties: { title, region: '${AWS::Region}', view: 'timeSeries', period, metrics, ...extra },
  });
  const search = (expression: string): unknown[][] => [[{ expression, id: 'e1', label: '' }]];
  const body = {
    widgets: [
      widget(
        'Every check: scrape success (1 = ok), Metrics Insights',
        [
          [
            {
              expression: `SELECT MIN(ScrapeSuccess) FROM SCHEMA("${ns}", Cluster, Job) GROUP BY Cluster, Job`,
              id: 'q1',
              label: '',
            },
          ],
        ],
        { yAxis: { left: { min: 0, max: 1 } } },
      ),
      widget(
        'Checks run, failed, and runs that could not happen',
        [
          [ns, RUN_METRICS.checksRun, { stat: 'Sum' }],
          [ns, RUN_METRICS.checksFailed, { stat: 'Sum' }],
          [ns, RUN_METRICS.runsFailed, { stat: 'Sum' }],
        ],
        { stacked: false },
      ),
      widget(
        'Results by reason over time',
        search(
          `SEARCH('{"${ns}",Cluster,Job,Reason} MetricName="ScrapeSuccess"', 'SampleCount', ${period})`,
        ),
        { stacked: true },
      ),
      widget(
        'Scrape duration, ms (max)',
        search(`SEARCH('{"${ns}",Cluster,Job} MetricName="ScrapeDuration"', 'Maximum', ${period})`),
      ),
      widget(
        'Days until the certificate expires',
        search(`SEARCH('{"${ns}",Cluster,Job} MetricName="CertDaysLeft"', 'Minimum', 3600)`),
        { period: 3600 },
      ),
    ],
  };
  // Fn::Sub reads `${…}` as a variable: only the region is one; anything else is kept literal.
  return JSON.stringify(body).replace(/\$\{(?!AWS::Region\})/g, '${!');
}
