/**
 * Checks a document against the CloudWatch Embedded Metric Format specification
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html):
 * returns the list of violations, empty when the document is valid.
 */
const UNITS = new Set([
  'Seconds',
  'Microseconds',
  'Milliseconds',
  'Bytes',
  'Kilobytes',
  'Megabytes',
  'Gigabytes',
  'Terabytes',
  'Bits',
  'Kilobits',
  'Megabits',
  'Gigabits',
  'Terabits',
  'Percent',
  'Count',
  'Bytes/Second',
  'Kilobytes/Second',
  'Megabytes/Second',
  'Gigabytes/Second',
  'Terabytes/Second',
  'Bits/Second',
  'Kilobits/Second',
  'Megabits/Second',
  'Gigabits/Second',
  'Terabits/Second',
  'Count/Second',
  'None',
]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function emfViolations(doc: unknown): string[] {
  const problems: string[] = [];
  if (!isRecord(doc)) return ['the root is not an object'];
  const aws = doc._aws;
  if (!isRecord(aws)) return ['_aws is missing or not an object'];
  if (typeof aws.Timestamp !== 'number' || !Number.isInteger(aws.Timestamp) || aws.Timestamp < 0) {
    problems.push('_aws.Timestamp must be a non-negative integer (ms since the epoch)');
  }
  const directives = aws.CloudWatchMetrics;
  if (!Array.isArray(directives)) return [...problems, '_aws.CloudWatchMetrics must be an array'];
  for (const [i, directive] of directives.entries()) {
    const at = `CloudWatchMetrics[${i}]`;
    if (!isRecord(directive)) {
      problems.push(`${at} is not an object`);
      continue;
    }
    const ns = directive.Namespace;
    if (typeof ns !== 'string' || ns.length < 1 || ns.length > 255)
      problems.push(`${at}.Namespace must be 1-255 characters`);
    if (!Array.isArray(directive.Dimensions)) problems.push(`${at}.Dimensions must be an array`);
    else {
      for (const set of directive.Dimensions as unknown[]) {
        if (!Array.isArray(set)) {
          problems.push(`${at}: a DimensionSet is not an array`);
          continue;
        }
        if (set.length > 30) problems.push(`${at}: a DimensionSet has more than 30 dimensions`);
        for (const name of set as unknown[]) {
          if (typeof name !== 'string') {
            problems.push(`${at}: a dimension name is not a string`);
            continue;
          }
          const value = doc[name];
          if (typeof value !== 'string')
            problems.push(`dimension ${name} has no string member at the root`);
          else if (value.length < 1 || value.length > 1024)
            problems.push(`dimension ${name} value must be 1-1024 characters`);
          else if (!/^[\x20-\x7e]+$/.test(value) || value.trim() === '')
            problems.push(`dimension ${name} value must be printable ASCII, not blank`);
        }
      }
    }
    const metrics = directive.Metrics;
    if (!Array.isArray(metrics)) {
      problems.push(`${at}.Metrics must be an array`);
      continue;
    }
    if (metrics.length > 100) problems.push(`${at}.Metrics has more than 100 metrics`);
    for (const metric of metrics as unknown[]) {
      if (
        !isRecord(metric) ||
        typeof metric.Name !== 'string' ||
        metric.Name.length < 1 ||
        metric.Name.length > 1024
      ) {
        problems.push(`${at}: a MetricDefinition needs a Name of 1-1024 characters`);
        continue;
      }
      if (metric.Unit !== undefined && (typeof metric.Unit !== 'string' || !UNITS.has(metric.Unit)))
        problems.push(`metric ${metric.Name}: unknown Unit ${JSON.stringify(metric.Unit)}`);
      if (
        metric.StorageResolution !== undefined &&
        metric.StorageResolution !== 1 &&
        metric.StorageResolution !== 60
      )
        problems.push(`metric ${metric.Name}: StorageResolution must be 1 or 60`);
      const value = doc[metric.Name];
      const values = Array.isArray(value) ? (value as unknown[]) : [value];
      if (values.length > 100 || values.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
        problems.push(
          `metric ${metric.Name}: the root member must be a finite number (or at most 100 of them)`,
        );
      }
    }
  }
  return problems;
}
