/**
 * A response's header fields as Go's net/http holds them (`http.Header`): keyed by the canonical
 * form of the name textproto gives it, values in arrival order, `get` returning the first. Names
 * that are not tokens are kept as written, so `Content-Length :` is not Content-Length to Go.
 */

// RFC 9110 §5.6.2 tchar, as net/http/lex.go's isTokenTable.
const TOKEN = new Uint8Array(128);
for (const c of "!#$%&'*+-.^_`|~") TOKEN[c.charCodeAt(0)] = 1;
for (let c = 0x30; c <= 0x39; c++) TOKEN[c] = 1;
for (let c = 0x41; c <= 0x5a; c++) TOKEN[c] = 1;
for (let c = 0x61; c <= 0x7a; c++) TOKEN[c] = 1;

/** True when every byte of `name` is a token character (and there is at least one). */
export function isToken(name: string): boolean {
  if (name.length === 0) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c >= 128 || TOKEN[c] !== 1) return false;
  }
  return true;
}

/**
 * textproto.CanonicalMIMEHeaderKey: `content-type` → `Content-Type`; a name with any non-token
 * byte is returned unchanged.
 */
export function canonicalKey(name: string): string {
  if (!isToken(name)) return name;
  let out = '';
  let upper = true;
  for (let i = 0; i < name.length; i++) {
    const c = name[i]!;
    out += upper ? c.toUpperCase() : c.toLowerCase();
    upper = c === '-';
  }
  return out;
}

/** `http.Header`: canonical name → values. */
export class GoHeader {
  readonly #fields = new Map<string, string[]>();

  /** Adds a value under a name already canonicalized by the reader. */
  add(key: string, value: string): void {
    const values = this.#fields.get(key);
    if (values) values.push(value);
    else this.#fields.set(key, [value]);
  }

  /** `Header.Get`: the first value of the field, or undefined when it is absent. */
  get(name: string): string | undefined {
    return this.#fields.get(canonicalKey(name))?.[0];
  }

  /** Every value of the field (`Header[key]`), or undefined when it is absent. */
  values(name: string): readonly string[] | undefined {
    return this.#fields.get(canonicalKey(name));
  }

  delete(name: string): void {
    this.#fields.delete(canonicalKey(name));
  }
}
