/**
 * A small direct-mapped cache from short ASCII byte ranges to strings, so that the label names and
 * values an exposition repeats on every line (`le`, `verb`, `"GET"`) are built once and shared.
 * A miss only costs a decode; collisions simply replace the slot.
 */
import { asciiString } from './text.ts';

const SLOTS = 1024;
const MAX_LEN = 48;

export class StringCache {
  private readonly keys: (Uint8Array | null)[] = new Array<Uint8Array | null>(SLOTS).fill(null);
  private readonly values: string[] = new Array<string>(SLOTS).fill('');

  /** The string for ASCII bytes `b[s..e)`, from the cache when the same bytes were seen. */
  get(b: Uint8Array, s: number, e: number): string {
    const len = e - s;
    if (len === 0) return '';
    if (len > MAX_LEN) return asciiString(b, s, e);
    let h = len;
    const stop = Math.min(e, s + 8);
    for (let i = s; i < stop; i++) h = (h * 31 + b[i]!) | 0;
    h = (h * 31 + b[e - 1]! + (b[e - 2] ?? 0) * 7) | 0;
    const slot = (h ^ (h >>> 10)) & (SLOTS - 1);
    const key = this.keys[slot];
    if (key?.length === len) {
      let i = 0;
      while (i < len && key[i] === b[s + i]) i++;
      if (i === len) return this.values[slot]!;
    }
    const value = asciiString(b, s, e);
    this.keys[slot] = b.slice(s, e);
    this.values[slot] = value;
    return value;
  }
}
