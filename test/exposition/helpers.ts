/** Shared by the exposition tests: fixtures, chunked parsing, and the cursor's entries as data. */
import { readFileSync } from 'node:fs';
import { createCursor, Entry, ExpositionStream } from '#lib/exposition/index.ts';
import type {
  ExpositionFormat,
  ExpositionOptions,
  ExpositionResult,
} from '#lib/exposition/index.ts';

export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`fixtures/${name}`, import.meta.url)));
}

export const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Parses `input` fed as the pieces between `cuts` (sorted offsets). */
export function parseChunked(
  input: Uint8Array,
  cuts: readonly number[],
  options: ExpositionOptions,
): ExpositionResult {
  const stream = new ExpositionStream(options);
  let prev = 0;
  for (const cut of [...cuts, input.length]) {
    // Copy each piece into a fresh buffer, and scribble over it afterwards: nothing may keep a view.
    const piece = input.slice(prev, cut);
    stream.write(piece);
    piece.fill(0x21);
    prev = cut;
  }
  return stream.end();
}

export type ParsedEntry =
  | { kind: 'help'; name: string; text: string }
  | { kind: 'type'; name: string; type: string }
  | { kind: 'unit'; name: string; unit: string }
  | { kind: 'comment'; text: string }
  | { kind: 'eof' }
  | {
      kind: 'sample';
      name: string;
      labels: [string, string][];
      value: number;
      timestampMs: number | null;
      exemplar?: unknown;
    };

/** Every entry the pull cursor reads from `input`, in order; throws on a parse failure. */
export function entries(input: Uint8Array, format: ExpositionFormat): ParsedEntry[] {
  const withLf = input[input.length - 1] === 0x0a ? input : new Uint8Array([...input, 0x0a]);
  const cursor = createCursor(format);
  cursor.reset(withLf, 0, withLf.length, 1);
  const out: ParsedEntry[] = [];
  for (;;) {
    const kind = cursor.next();
    switch (kind) {
      case Entry.End:
        return out;
      case Entry.Invalid:
        throw new Error(JSON.stringify(cursor.failure));
      case Entry.Help:
        out.push({ kind: 'help', name: cursor.metaName(), text: cursor.helpText() });
        break;
      case Entry.Type:
        out.push({ kind: 'type', name: cursor.metaName(), type: cursor.typeName() });
        break;
      case Entry.Unit:
        out.push({ kind: 'unit', name: cursor.metaName(), unit: cursor.unitText() });
        break;
      case Entry.Comment:
        out.push({ kind: 'comment', text: cursor.commentText() });
        break;
      case Entry.Eof:
        out.push({ kind: 'eof' });
        break;
      case Entry.Sample: {
        const labels: [string, string][] = [];
        cursor.forEachLabel((n, v) => labels.push([n, v]));
        const e: ParsedEntry = {
          kind: 'sample',
          name: cursor.metricName(),
          labels,
          value: cursor.value,
          timestampMs: cursor.timestampMs,
        };
        const ex = cursor.exemplar();
        if (ex !== null) e.exemplar = ex;
        out.push(e);
        break;
      }
    }
  }
}

/** `line:column: message`, or 'ok'. */
export function outcome(r: ExpositionResult): string {
  return r.error === null ? 'ok' : `${r.error.line}:${r.error.column}: ${r.error.message}`;
}
