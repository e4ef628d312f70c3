/**
 * Prometheus's per-sample label limits, applied to each sample's final labels (after the target's
 * labels are attached and `metric_relabel_configs` ran: see sample-labels.ts), the way
 * scrape/scrape.go verifyLabelLimits sees them: sorted by name, `__name__` counted as a label,
 * lengths in UTF-8 bytes, and only the first violation reported.
 */
import { goQuote } from '#lib/discovery/go-strings.ts';
import type { LabelPairs } from './sample-labels.ts';
import type { ScrapeLimits } from './types.ts';

/** Go's `%.50s`: the first 50 runes (not bytes, not UTF-16 units). */
function clip(text: string): string {
  if (text.length <= 50) return text;
  let out = '';
  let runes = 0;
  for (const ch of text) {
    if (runes++ === 50) break;
    out += ch;
  }
  return out;
}

/**
 * The first label limit `labels` breaks, in Prometheus's words, or null. `name` is the final
 * `__name__` (after metric_relabel_configs), which Prometheus's message names.
 */
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
      return `label_value_length_limit exceeded (metric: ${clip(name)}, label name: ${clip(labelName)}, value: ${goQuote(clip(value))}, length: ${valueLength}, limit: ${limits.labelValueLengthLimit})`;
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
