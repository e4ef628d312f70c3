/**
 * Go's `strings.ToLower` / `strings.ToUpper`, used by the `lowercase` and `uppercase` actions
 * (`model/relabel/relabel.go`). Go maps each rune on its own with Unicode's *simple* case mapping
 * (`unicode.ToUpper`, the `CaseRanges` table built from UnicodeData.txt). JavaScript applies the
 * *full* mappings of SpecialCasing.txt and context (final sigma), so `'ß'.toUpperCase()` is `SS`
 * where Go keeps `ß`, `'ﬁ'` becomes `FI` where Go keeps `ﬁ`, and `'İ'.toLowerCase()` is `i̇`
 * (two code points) where Go gives `i`.
 *
 * For one code point whose JavaScript mapping is one code point, that mapping *is* the simple
 * mapping (SpecialCasing only lists multi-code-point results and context rules, and mapping a
 * lone code point gives no context). The code points JavaScript expands are the table below; Go's
 * simple mapping for them comes from golang/go `src/unicode/tables.go` `_CaseRanges`
 * (e.g. `{0x1F80, 0x1F87, d{8, 0, 8}}`, `{0x0130, 0x0130, d{0, -199, 0}}`); every other one of them
 * has no simple mapping, so Go leaves it unchanged.
 */

/** Simple uppercase for the code points whose full uppercase is several code points. */
const UPPER_SPECIAL = new Map<number, number>([
  ...Array.from({ length: 8 }, (_, i) => [0x1f80 + i, 0x1f88 + i] as const),
  ...Array.from({ length: 8 }, (_, i) => [0x1f90 + i, 0x1f98 + i] as const),
  ...Array.from({ length: 8 }, (_, i) => [0x1fa0 + i, 0x1fa8 + i] as const),
  [0x1fb3, 0x1fbc],
  [0x1fc3, 0x1fcc],
  [0x1ff3, 0x1ffc],
]);

/** Simple lowercase for the only code point whose full lowercase is several: U+0130 `İ` → `i`. */
const LOWER_SPECIAL = new Map<number, number>([[0x0130, 0x0069]]);

/** One direction of Go's case mapping, with the results seen so far. */
interface CaseMapping {
  /** Go's simple mapping where JavaScript's full one gives several code points. */
  special: ReadonlyMap<number, number>;
  memo: Map<string, string>;
  /** JavaScript's full mapping. */
  full: (s: string) => string;
}

const UPPER: CaseMapping = {
  special: UPPER_SPECIAL,
  memo: new Map(),
  full: (s) => s.toUpperCase(),
};
const LOWER: CaseMapping = {
  special: LOWER_SPECIAL,
  memo: new Map(),
  full: (s) => s.toLowerCase(),
};

function mapRune(ch: string, { special, memo, full }: CaseMapping): string {
  const known = memo.get(ch);
  if (known !== undefined) return known;
  const cp = ch.codePointAt(0)!;
  const mapped = full(ch);
  let result: string;
  if (mapped.length === 1 || (mapped.length === 2 && mapped.codePointAt(0)! > 0xffff)) {
    result = mapped;
  } else {
    const simple = special.get(cp);
    result = simple === undefined ? ch : String.fromCodePoint(simple);
  }
  memo.set(ch, result);
  return result;
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x80) return false;
  return true;
}

function mapString(s: string, mapping: CaseMapping): string {
  // ASCII: JavaScript and Go agree, and this is nearly every label value.
  if (isAscii(s)) return mapping.full(s);
  let out = '';
  for (const ch of s) out += mapRune(ch, mapping);
  return out;
}

/** Go's `strings.ToUpper`: per-rune simple mapping. `goToUpper('straße') === 'STRAßE'`. */
export function goToUpper(s: string): string {
  return mapString(s, UPPER);
}

/** Go's `strings.ToLower`: per-rune simple mapping. `goToLower('İSTANBUL') === 'istanbul'`. */
export function goToLower(s: string): string {
  return mapString(s, LOWER);
}
