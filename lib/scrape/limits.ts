/**
 * Prometheus's per-sample label limits, applied to each sample's final labels (after the target's
 * labels are attached and `metric_relabel_configs` ran: see sample-labels.ts), the way
 * scrape/scrape.go verifyLabelLimits sees them: sorted by name, `__name__` counted as a label,
 * lengths in UTF-8 bytes, and only the first violation reported.
 */
import type { LabelPairs } from './sample-labels.ts';
import type { ScrapeLimits } from './types.ts';

function clip(text: string): string {
  return text.length > 50 ? text.slice(0, 50) : text;
}

/** The first label limit `labels` breaks, in Prometheus's words, or null. */
export function labelLimitViolation(
  limits: ScrapeLimits,
  name: string,
  labels: LabelPairs,
): string | null {
  if (limits.labelLimit > 0 && labels.length > limits.labelLimit) {
    return `label_limit exceeded (metric: ${clip(name)}, number of labels: ${labels.length}, limit: ${limits.labelLimit})`;
  }
  for (const [labelName, value] of labels) {
    const nameLength = Buffer.byteLength(labelName);
    const valueLength = Buffer.byteLength(value);
    if (limits.labelNameLengthLimit > 0 && nameLength > limits.labelNameLengthLimit) {
      return `label_name_length_limit exceeded (metric: ${clip(name)}, label name: ${clip(labelName)}, length: ${nameLength}, limit: ${limits.labelNameLengthLimit})`;
    }
    if (limits.labelValueLengthLimit > 0 && valueLength > limits.labelValueLengthLimit) {
      return `label_value_length_limit exceeded (metric: ${clip(name)}, label name: ${clip(labelName)}, value: ${JSON.stringify(clip(value))}, length: ${valueLength}, limit: ${limits.labelValueLengthLimit})`;
    }
  }
  return null;
}

/** True when any label limit is set, so per-sample label checks are worth their cost. */
export function hasLabelLimits(limits: ScrapeLimits): boolean {
  return (
    limits.labelLimit > 0 || limits.labelNameLengthLimit > 0 || limits.labelValueLengthLimit > 0
  );
}
