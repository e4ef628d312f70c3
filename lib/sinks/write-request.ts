/**
 * A hand-written protobuf encoder for remote_write 1.0's `WriteRequest` (prometheus/prompb
 * `remote.proto` and `types.proto`): three small messages do not justify a protobuf runtime in every
 * Lambda bundle.
 *
 * ```proto
 * message WriteRequest { repeated TimeSeries timeseries = 1; repeated MetricMetadata metadata = 3; }
 * message TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2; }
 * message Label        { string name = 1; string value = 2; }
 * message Sample       { double value = 1; int64 timestamp = 2; }
 * message MetricMetadata { MetricType type = 1; string metric_family_name = 2; string help = 4; string unit = 5; }
 * ```
 * Wire format: https://protobuf.dev/programming-guides/encoding/.
 */

/** One label pair; `name` sorted and unique within a series (the caller's duty). */
export interface Label {
  name: string;
  value: string;
}

/** One sample: a float and milliseconds since the epoch. */
export interface WireSample {
  value: number;
  timestampMs: number;
}

export interface TimeSeries {
  labels: Label[];
  samples: WireSample[];
}

/** prompb MetricMetadata.MetricType. */
export const METRIC_TYPE = { unknown: 0, counter: 1, gauge: 2 } as const;

export interface MetricMetadata {
  type: (typeof METRIC_TYPE)[keyof typeof METRIC_TYPE];
  name: string;
  help: string;
  unit: string;
}

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;

const utf8 = new TextEncoder();

/** A growable byte buffer with the few protobuf primitives the three messages need. */
class ProtoWriter {
  private buf = new Uint8Array(256);
  private view = new DataView(this.buf.buffer);
  length = 0;

  private ensure(extra: number): void {
    if (this.length + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  varint(value: number): void {
    this.ensure(10);
    if (value < 0) {
      // Negative int64 values take ten bytes in two's complement.
      let big = BigInt.asUintN(64, BigInt(value));
      while (big >= 0x80n) {
        this.buf[this.length++] = Number(big & 0x7fn) | 0x80;
        big >>= 7n;
      }
      this.buf[this.length++] = Number(big);
      return;
    }
    let n = value;
    while (n >= 0x80) {
      this.buf[this.length++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.buf[this.length++] = n;
  }

  tag(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }

  double(field: number, value: number): void {
    this.tag(field, WIRE_FIXED64);
    this.ensure(8);
    this.view.setFloat64(this.length, value, true);
    this.length += 8;
  }

  int64(field: number, value: number): void {
    this.tag(field, WIRE_VARINT);
    this.varint(Math.trunc(value));
  }

  bytes(field: number, bytes: Uint8Array): void {
    this.tag(field, WIRE_LEN);
    this.varint(bytes.length);
    this.ensure(bytes.length);
    this.buf.set(bytes, this.length);
    this.length += bytes.length;
  }

  string(field: number, value: string): void {
    this.bytes(field, utf8.encode(value));
  }

  /** Writes a length-delimited sub-message built by `build` on a scratch writer. */
  message(field: number, scratch: ProtoWriter, build: (w: ProtoWriter) => void): void {
    scratch.length = 0;
    build(scratch);
    this.bytes(field, scratch.finish());
  }

  /** A view of the bytes written so far; valid until the next write. */
  finish(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}

/**
 * Encodes a `WriteRequest`. Proto3 leaves default values (0, "") out of the wire; an empty label
 * value is therefore indistinguishable from an absent label, as in Prometheus.
 */
export function encodeWriteRequest(
  series: readonly TimeSeries[],
  metadata: readonly MetricMetadata[] = [],
): Uint8Array {
  const out = new ProtoWriter();
  const seriesWriter = new ProtoWriter();
  const inner = new ProtoWriter();
  for (const ts of series) {
    out.message(1, seriesWriter, (w) => {
      for (const label of ts.labels) {
        w.message(1, inner, (l) => {
          if (label.name !== '') l.string(1, label.name);
          if (label.value !== '') l.string(2, label.value);
        });
      }
      for (const sample of ts.samples) {
        w.message(2, inner, (s) => {
          if (!Object.is(sample.value, 0)) s.double(1, sample.value);
          if (sample.timestampMs !== 0) s.int64(2, sample.timestampMs);
        });
      }
    });
  }
  for (const meta of metadata) {
    out.message(3, seriesWriter, (m) => {
      if (meta.type !== 0) {
        m.tag(1, WIRE_VARINT);
        m.varint(meta.type);
      }
      m.string(2, meta.name);
      if (meta.help !== '') m.string(4, meta.help);
      if (meta.unit !== '') m.string(5, meta.unit);
    });
  }
  return out.finish().slice();
}
