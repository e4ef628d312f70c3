/**
 * The cursor's current sample as the stream hands it on: a `SampleRef` view for `onSample`, or a
 * `Sample` record for `collect: 'families'`.
 */
import type { Exemplar, Sample } from '#lib/result/types.ts';
import { jsonValue } from '#lib/result/types.ts';
import type { Scanner } from './scanner.ts';
import type { SampleRef } from './types.ts';

/**
 * The `SampleRef` handed to `onSample`: one object per stream, reading the cursor's current
 * sample. Valid only during the callback; what it returns are copies.
 */
export class SampleView implements SampleRef {
  readonly #cursor: Scanner;

  constructor(cursor: Scanner) {
    this.#cursor = cursor;
  }

  get name(): string {
    return this.#cursor.metricName();
  }

  get value(): number {
    return this.#cursor.value;
  }

  get timestampMs(): number | null {
    return this.#cursor.timestampMs;
  }

  get labelCount(): number {
    return this.#cursor.labelCount;
  }

  forEachLabel(fn: (name: string, value: string) => void): void {
    this.#cursor.forEachLabel(fn);
  }

  labels(): Record<string, string> {
    return this.#cursor.labelRecord();
  }

  exemplar(): Exemplar | null {
    return this.#cursor.exemplar();
  }
}

/** The cursor's current sample as a fresh record, exemplar included (Sample). */
export function copySample(c: Scanner): Sample {
  const sample: Sample = {
    name: c.metricName(),
    labels: c.labelRecord(),
    value: jsonValue(c.value),
    timestampMs: c.timestampMs,
  };
  const exemplar = c.exemplar();
  if (exemplar !== null) sample.exemplar = exemplar;
  return sample;
}
