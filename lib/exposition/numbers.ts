/**
 * Numbers read straight from the bytes of a line, as Prometheus reads them.
 *
 * Values (and OpenMetrics timestamps) go through Prometheus's `parseFloat`
 * (`model/textparse/promparse.go`): Go's `strconv.ParseFloat(s, 64)` after refusing any of `p`,
 * `P` and `_` ("Keep to pre-Go 1.13 float formats"). What that leaves is decimal floats with an
 * optional sign, fraction and exponent (`1`, `-1.5`, `.5`, `1.`, `1e-3`), and, case-insensitively,
 * `inf`, `infinity` (with an optional sign) and `nan` (without one). Hexadecimal floats need a `p`
 * exponent in Go, so none survive. A well-formed number beyond float64's range is Go's `ErrRange`,
 * which Prometheus reports as a failure; underflow is not an error
 * (https://pkg.go.dev/strconv#ParseFloat).
 *
 * Text 0.0.4 timestamps are promlex.l's `{D}+` read by `strconv.ParseInt(s, 10, 64)`: digits only,
 * within int64.
 */

/** Where a number parse left its result. One per cursor; never shared between streams. */
export class NumberOut {
  value = 0;
  /** 0: parsed; 1: not a number in this grammar; 2: out of range. */
  error: 0 | 1 | 2 = 0;
}

/** Exact powers of ten a double holds, for the Clinger fast path (10^0..10^22). */
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

function lower(c: number | undefined): number {
  return c === undefined ? -1 : c | 0x20;
}

function matchesWord(b: Uint8Array, i: number, e: number, word: string): boolean {
  if (e - i !== word.length) return false;
  for (let k = 0; k < word.length; k++) if (lower(b[i + k]) !== word.charCodeAt(k)) return false;
  return true;
}

function latin1(b: Uint8Array, s: number, e: number): string {
  let out = '';
  for (let i = s; i < e; i++) out += String.fromCharCode(b[i]!);
  return out;
}

/**
 * Parses `b[s..e)` as Prometheus parses a sample value. Sets `out.value`, or `out.error` when the
 * bytes are not a number (1) or overflow float64 (2).
 */
export function parseFloatBytes(b: Uint8Array, s: number, e: number, out: NumberOut): void {
  out.error = 0;
  let i = s;
  let negative = false;
  let c = b[i];
  if (c === 0x2b || c === 0x2d) {
    negative = c === 0x2d;
    i++;
    c = b[i];
  }
  const digitsStart = i;
  if (i >= e) {
    out.error = 1;
    return;
  }
  // Specials: Go's strconv.special(). Only "inf"/"infinity" take a sign; "nan" takes none.
  const l = lower(c);
  if (l === 0x69 /* i */) {
    if (matchesWord(b, i, e, 'inf') || matchesWord(b, i, e, 'infinity')) {
      out.value = negative ? -Infinity : Infinity;
      return;
    }
    out.error = 1;
    return;
  }
  if (l === 0x6e /* n */) {
    if (i === s && matchesWord(b, i, e, 'nan')) {
      out.value = NaN;
      return;
    }
    out.error = 1;
    return;
  }
  // Decimal mantissa: digits with at most one dot, at least one digit (Go's readFloat).
  let mantissa = 0;
  let significant = 0; // digits accumulated into mantissa, leading zeros excluded
  let sawDigits = false;
  let sawDot = false;
  let dropped = false; // more than 15 significant digits: leave it to the exact slow path
  let exp10 = 0;
  for (; i < e; i++) {
    c = b[i]!;
    if (c >= 0x30 && c <= 0x39) {
      sawDigits = true;
      if (mantissa === 0 && c === 0x30) {
        if (sawDot) exp10--;
        continue;
      }
      if (significant < 15) {
        mantissa = mantissa * 10 + (c - 0x30);
        significant++;
        if (sawDot) exp10--;
      } else {
        dropped = true;
      }
    } else if (c === 0x2e && !sawDot) {
      sawDot = true;
    } else {
      break;
    }
  }
  if (!sawDigits) {
    out.error = 1;
    return;
  }
  let expPart = 0;
  if (i < e) {
    c = b[i]!;
    if (c !== 0x65 && c !== 0x45) {
      out.error = 1; // "1_2", "0x1p-3", "1z", "1\r": Go stops here and finds bytes left over
      return;
    }
    i++;
    let expNegative = false;
    c = b[i];
    if (c === 0x2b || c === 0x2d) {
      expNegative = c === 0x2d;
      i++;
    }
    if (i >= e) {
      out.error = 1;
      return;
    }
    for (; i < e; i++) {
      c = b[i]!;
      if (c < 0x30 || c > 0x39) {
        out.error = 1;
        return;
      }
      if (expPart < 100000) expPart = expPart * 10 + (c - 0x30);
    }
    if (expNegative) expPart = -expPart;
  }
  const exponent = exp10 + expPart;
  let value: number;
  if (!dropped && mantissa === 0) {
    value = 0;
  } else if (!dropped && exponent >= 0 && exponent <= 22) {
    value = mantissa * POW10[exponent]!; // exact operands, one rounding: correctly rounded
  } else if (!dropped && exponent < 0 && exponent >= -22) {
    value = mantissa / POW10[-exponent]!;
  } else {
    // The exact path: the syntax is already checked, and JavaScript's Number() rounds
    // correctly, as Go does.
    value = Number(latin1(b, digitsStart, e));
  }
  if (value === Infinity) {
    out.error = 2;
    return;
  }
  out.value = negative ? -value : value;
}

const INT64_MAX = '9223372036854775807';

/**
 * Parses `b[s..e)` (digits only, as promlex.l's `{D}+` guarantees) as Go's
 * `strconv.ParseInt(s, 10, 64)`. Sets `out.error = 2` past int64. Values past 2^53 lose precision
 * in a JavaScript number; Prometheus keeps them exact, but no real timestamp is that large.
 */
export function parseIntBytes(b: Uint8Array, s: number, e: number, out: NumberOut): void {
  out.error = 0;
  let n = 0;
  if (e - s <= 15) {
    for (let i = s; i < e; i++) n = n * 10 + (b[i]! - 0x30);
    out.value = n;
    return;
  }
  let k = s;
  while (k < e - 1 && b[k] === 0x30) k++; // leading zeros do not count towards the range
  const digits = latin1(b, k, e);
  if (
    digits.length > INT64_MAX.length ||
    (digits.length === INT64_MAX.length && digits > INT64_MAX)
  ) {
    out.error = 2;
    return;
  }
  out.value = Number(digits);
}
