/**
 * Prometheus's per-sample limits, applied to each sample as it is parsed, the way
 * scrape/scrape.go verifyLabelLimits sees the sample: after the target's labels are attached
 * (`job`, `instance`, static labels; a clashing sample label becomes `exported_<name>` since
 * honor_labels is false), with `__name__` counted as a label and lengths in UTF-8 bytes.
 */
import type { SampleRef } from '#lib/exposition/index.ts';
import type { ScrapeLimits } from './types.ts';

export interface LabelLimitWatch {
  /** The first sample that broke a label limit, in Prometheus's words; null while none has. */
  violation: string | null;
  check(sample: SampleRef): void;
}

function clip(text: string): string {
  return text.length > 50 ? text.slice(0, 50) : text;
}

export function watchLabelLimits(
  limits: ScrapeLimits,
  targetLabels: Record<string, string>,
): LabelLimitWatch {
  const target = Object.entries(targetLabels).filter(([, v]) => v !== '');
  const targetNames = new Set(target.map(([k]) => k));
  const watch: LabelLimitWatch = {
    violation: null,
    check(sample) {
      // Prometheus stops at the first violation, and only that one is reported.
      if (watch.violation) return;
      const name = sample.name;
      // The sample as Prometheus's labels.Labels holds it: sorted by name, so the first violation
      // found is the one Prometheus reports.
      const labels: [string, string][] = [['__name__', name], ...target];
      sample.forEachLabel((labelName, value) => {
        if (value !== '')
          labels.push([targetNames.has(labelName) ? `exported_${labelName}` : labelName, value]);
      });
      labels.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      let violation: string | null = null;
      if (limits.labelLimit > 0 && labels.length > limits.labelLimit) {
        violation = `label_limit exceeded (metric: ${clip(name)}, number of labels: ${labels.length}, limit: ${limits.labelLimit})`;
      }
      for (const [labelName, value] of labels) {
        if (violation) break;
        const nameLength = Buffer.byteLength(labelName);
        const valueLength = Buffer.byteLength(value);
        if (limits.labelNameLengthLimit > 0 && nameLength > limits.labelNameLengthLimit) {
          violation = `label_name_length_limit exceeded (metric: ${clip(name)}, label name: ${clip(labelName)}, length: ${nameLength}, limit: ${limits.labelNameLengthLimit})`;
        } else if (limits.labelValueLengthLimit > 0 && valueLength > limits.labelValueLengthLimit) {
          violation = `label_value_length_limit exceeded (metric: ${clip(name)}, label name: ${clip(labelName)}, value: ${JSON.stringify(clip(value))}, length: ${valueLength}, limit: ${limits.labelValueLengthLimit})`;
        }
      }
      watch.violation = violation;
    },
  };
  return watch;
}

/** True when any label limit is set, so per-sample label checks are worth their cost. */
export function hasLabelLimits(limits: ScrapeLimits): boolean {
  return (
    limits.labelLimit > 0 || limits.labelNameLengthLimit > 0 || limits.labelValueLengthLimit > 0
  );
}
