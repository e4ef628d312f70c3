/**
 * An ordered YAML mapping, as prometheus-operator builds its configuration (gopkg.in/yaml.v2
 * `MapSlice`): keys keep the order they were appended in, so a generated scrape config reads
 * exactly as the operator writes it, and `toPlain` gives the object YAML or JSON would parse.
 */

/** A YAML value: a scalar, a list, an ordered mapping, or a plain mapping (emitted sorted). */
export type YamlValue =
  string | number | boolean | null | MapSlice | YamlValue[] | { readonly [key: string]: YamlValue };

/** An ordered mapping. */
export class MapSlice {
  readonly items: [string, YamlValue][] = [];

  constructor(items: readonly (readonly [string, YamlValue])[] = []) {
    for (const [k, v] of items) this.items.push([k, v]);
  }

  /** Appends a key, keeping any earlier one (as yaml.MapSlice does). Returns this. */
  push(key: string, value: YamlValue): this {
    this.items.push([key, value]);
    return this;
  }

  /** The first value under `key`, or undefined. */
  get(key: string): YamlValue | undefined {
    return this.items.find(([k]) => k === key)?.[1];
  }

  get length(): number {
    return this.items.length;
  }
}

/** Sorts a Go map's keys as `stringMapToMapSlice` does, so the output is deterministic. */
export function sortedMap<V extends YamlValue>(m: Readonly<Record<string, V>>): MapSlice {
  return new MapSlice(
    Object.keys(m)
      .sort()
      .map((k) => [k, m[k]!] as const),
  );
}

/** The value as plain JSON data: mappings become objects (key order kept), lists arrays. */
export function toPlain(value: YamlValue): unknown {
  if (value instanceof MapSlice) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of value.items) out[k] = toPlain(v);
    return out;
  }
  if (Array.isArray(value)) return value.map(toPlain);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) out[k] = toPlain(value[k]!);
    return out;
  }
  return value;
}
