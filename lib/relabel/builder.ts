/**
 * Prometheus's `labels.Builder` as relabeling sees it (HEAD `model/labels/labels_common.go`,
 * `labels_slicelabels.go`; v2.42.0 `model/labels/labels.go`):
 *
 * - `set(name, "")` deletes (an empty value is an absent label); an empty input value is absent;
 * - `Range` visits a snapshot: the base labels nobody has set or deleted, in sorted order, then
 *   the labels set since, in the order they were first set (setting an already-set label keeps
 *   its place; deleting it and setting it again moves it to the end). That order decides which
 *   label wins when `labelmap` maps two names to one.
 *
 * Speed (this runs for every target): the input's names are sorted and indexed once per *shape*
 * (the same key sequence, which targets of one discovery share), so a target costs one array of
 * base values plus a Map of what the rules set; the sorted output is a merge of the untouched
 * base with the few added names rather than a sort.
 */
import { setLabel } from '#lib/discovery/target-groups.ts';
import type { LabelSet } from '#lib/discovery/types.ts';
import { compareCodePoints, needsCodePointOrder, shapeOf, type Shape } from './shape.ts';

/** The label set a rule chain works on. One per target; not shared. */
export class LabelBuilder {
  readonly #input: LabelSet;
  readonly #shape: Shape;
  /** Untouched base values by sorted index; undefined once set, deleted, or empty. */
  readonly #base: (string | undefined)[];
  /** Go's `add` list: names set since the start, in the order they were first set. */
  #added: Map<string, string> | null = null;
  #compare: (a: string, b: string) => number;

  constructor(input: LabelSet) {
    this.#input = input;
    const shape = shapeOf(Object.keys(input));
    this.#shape = shape;
    this.#compare = shape.compare;
    const names = shape.sorted;
    const base = new Array<string | undefined>(names.length);
    for (let i = 0; i < names.length; i++) base[i] = input[names[i]!] || undefined;
    this.#base = base;
  }

  /** The value of `name`, "" when absent. */
  get(name: string): string {
    const added = this.#added?.get(name);
    if (added !== undefined) return added;
    const i = this.#shape.index.get(name);
    return i === undefined ? '' : (this.#base[i] ?? '');
  }

  /** Sets `name`; an empty value deletes it (`Builder.Set`). */
  set(name: string, value: string): void {
    if (value === '') {
      this.del(name);
      return;
    }
    const i = this.#shape.index.get(name);
    if (i !== undefined) this.#base[i] = undefined;
    else if (needsCodePointOrder(name)) this.#compare = compareCodePoints;
    (this.#added ??= new Map()).set(name, value);
  }

  /** Deletes `name` (`Builder.Del`). */
  del(name: string): void {
    const i = this.#shape.index.get(name);
    if (i !== undefined) this.#base[i] = undefined;
    this.#added?.delete(name);
  }

  /** Deletes every current label whose name `drop` picks (order does not matter here). */
  deleteWhere(drop: (name: string) => boolean): void {
    const names = this.#shape.sorted;
    const base = this.#base;
    for (let i = 0; i < names.length; i++) {
      if (base[i] !== undefined && drop(names[i]!)) base[i] = undefined;
    }
    if (this.#added !== null) for (const name of this.#added.keys()) if (drop(name)) this.del(name);
  }

  /** Calls `f` with every untouched base label, in sorted order. */
  #forEachBase(f: (name: string, value: string) => void): void {
    const names = this.#shape.sorted;
    const base = this.#base;
    for (let i = 0; i < names.length; i++) {
      const value = base[i];
      if (value !== undefined) f(names[i]!, value);
    }
  }

  /**
   * Calls `f` for each label of Prometheus 3's `Builder.Range` snapshot, in its order (see the
   * module comment). `f` may set and delete: the snapshot is taken first.
   */
  forEachRange(f: (name: string, value: string) => void): void {
    const names = this.#shape.sorted;
    const base = this.#base.slice();
    const added = this.#added === null ? null : [...this.#added];
    for (let i = 0; i < names.length; i++) {
      const value = base[i];
      if (value !== undefined) f(names[i]!, value);
    }
    if (added !== null) for (const [name, value] of added) f(name, value);
  }

  /**
   * Calls `f` for every current label in sorted order: the untouched base merged with the sorted
   * added names.
   */
  #forEachSorted(f: (name: string, value: string) => void): void {
    const added = this.#added;
    if (added === null || added.size === 0) {
      this.#forEachBase(f);
      return;
    }
    const compare = this.#compare;
    const extra = [...added.keys()];
    if (extra.length > 1) extra.sort(compare);
    let j = 0;
    this.#forEachBase((name, value) => {
      while (j < extra.length && compare(extra[j]!, name) < 0) {
        f(extra[j]!, added.get(extra[j]!)!);
        j++;
      }
      f(name, value);
    });
    for (; j < extra.length; j++) f(extra[j]!, added.get(extra[j]!)!);
  }

  /**
   * Prometheus 2.42's range: the label set the rule started from, sorted. Before the first rule
   * that is the input itself, empty values included (`Process` hands it over untouched).
   */
  sortedEntries(includeEmptyInput: boolean): [string, string][] {
    if (includeEmptyInput) return this.#shape.sorted.map((name) => [name, this.#input[name]!]);
    const entries: [string, string][] = [];
    this.#forEachSorted((name, value) => entries.push([name, value]));
    return entries;
  }

  /** The current labels, keys sorted. A new object each call. */
  labels(): LabelSet {
    const out: LabelSet = {};
    this.#forEachSorted((name, value) => {
      // A plain object: `__proto__` is defined as an own key rather than assigned.
      setLabel(out, name, value);
    });
    return out;
  }
}
