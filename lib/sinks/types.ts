/**
 * A sink receives every result of a run and returns nothing that could change a verdict. It
 * buffers or streams as it likes; `flush()` is called once, in a `finally`, so a thrown error in
 * the run never loses what was buffered. A sink that fails retries with backoff and then reports
 * through `SinkContext.warn`; it never throws out of `flush()`.
 */
import type { CheckResult, Sample } from '#lib/result/types.ts';

export interface SinkInput {
  result: CheckResult;
  /** Scraped samples whose names matched a remote_write `forward` pattern (empty otherwise). */
  forwarded: Sample[];
}

export interface SinkContext {
  /** One line for a person: "sink remote_write failed after 3 attempts: …". No secrets. */
  warn(message: string): void;
}

export interface Sink {
  readonly name: string;
  write(input: SinkInput): void;
  flush(): Promise<void>;
}
