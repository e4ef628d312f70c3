/**
 * A map from 52-bit hashes to line numbers in two typed arrays (open addressing, linear probing):
 * the lint pass keeps one entry per series, and a `Map` of boxed doubles costs several times the
 * memory and time for that.
 */
export class HashLines {
  private keys = new Float64Array(1024);
  private lines = new Int32Array(1024);
  private size = 0;

  /** The line stored for `key`, or 0 after storing `line` for it (lines are 1-based). */
  getOrSet(key: number, line: number): number {
    if (this.size * 2 >= this.keys.length) this.grow();
    // Keys are stored plus one so that 0 marks an empty slot.
    const k = key + 1;
    const mask = this.keys.length - 1;
    let i = (k >>> 0) & mask;
    for (;;) {
      const found = this.keys[i]!;
      if (found === 0) {
        this.keys[i] = k;
        this.lines[i] = line;
        this.size++;
        return 0;
      }
      if (found === k) return this.lines[i]!;
      i = (i + 1) & mask;
    }
  }

  private grow(): void {
    const keys = this.keys;
    const lines = this.lines;
    this.keys = new Float64Array(keys.length * 2);
    this.lines = new Int32Array(keys.length * 2);
    const mask = this.keys.length - 1;
    for (let j = 0; j < keys.length; j++) {
      const k = keys[j]!;
      if (k === 0) continue;
      let i = (k >>> 0) & mask;
      while (this.keys[i] !== 0) i = (i + 1) & mask;
      this.keys[i] = k;
      this.lines[i] = lines[j]!;
    }
  }
}
