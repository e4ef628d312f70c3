/**
 * JSON read the way Go's `encoding/json` reads it, so a broken target file or http_sd response is
 * refused with the words Prometheus logs (`invalid character '}' looking for beginning of object
 * key string`, `unexpected end of JSON input`), with the byte offset of the fault for a line and
 * column. The grammar and messages are golang/go `src/encoding/json/scanner.go`; `JSON.parse`
 * words its errors differently in every V8 release, and drops duplicate keys that Go still decodes
 * (and may complain about).
 *
 * The result keeps every object entry in order, duplicates included, with offsets, for the typed
 * decoding in `group-json.ts`.
 */
import { goQuoteByte } from './go-strings.ts';

/** A JSON value with the offset of its first byte. */
export type JsonNode =
  | { kind: 'object'; offset: number; entries: JsonEntry[] }
  | { kind: 'array'; offset: number; items: JsonNode[] }
  | { kind: 'string'; offset: number; value: string }
  | { kind: 'number'; offset: number }
  | { kind: 'bool'; offset: number }
  | { kind: 'null'; offset: number };

/** One `"key": value` of an object, in document order. */
export interface JsonEntry {
  key: string;
  keyOffset: number;
  value: JsonNode;
}

/** The value, or Go's syntax error and the offset of the byte it is about. */
export type JsonParse =
  { ok: true; value: JsonNode } | { ok: false; message: string; offset: number };

type Container =
  | { kind: 'object'; node: Extract<JsonNode, { kind: 'object' }>; key: string; keyOffset: number }
  | { kind: 'array'; node: Extract<JsonNode, { kind: 'array' }> };

// encoding/json maxNestingDepth.
const MAX_DEPTH = 10_000;
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });
const isSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const isDigit = (c: number | undefined): boolean => c !== undefined && c >= 0x30 && c <= 0x39;
const isHex = (c: number | undefined): boolean =>
  c !== undefined && (isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46));

class SyntaxFault extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(message);
    this.offset = offset;
  }
}

// Go's scanner, at the end of the input, steps once more with a space: in the middle of a number
// or literal that space is the "invalid character"; elsewhere the input simply ended.
function fault(b: Uint8Array, i: number, context: string): SyntaxFault {
  if (i >= b.length) {
    return context === ''
      ? new SyntaxFault('unexpected end of JSON input', b.length)
      : new SyntaxFault(`invalid character ' ' ${context}`, b.length);
  }
  return new SyntaxFault(`invalid character ${goQuoteByte(b[i]!)} ${context}`, i);
}

function readString(b: Uint8Array, start: number): { value: string; end: number } {
  let i = start + 1;
  let escaped = false;
  for (;;) {
    const c = b[i];
    if (c === undefined) throw fault(b, i, '');
    if (c === 0x22) break;
    if (c < 0x20) throw fault(b, i, 'in string literal');
    if (c === 0x5c) {
      escaped = true;
      const e = b[i + 1];
      if (e === 0x75) {
        for (let h = i + 2; h < i + 6; h++) {
          if (!isHex(b[h])) throw fault(b, h, 'in \\u hexadecimal character escape');
        }
        i += 6;
        continue;
      }
      if (e === undefined || !'"\\/bfnrt'.includes(String.fromCharCode(e))) {
        throw fault(b, i + 1, 'in string escape code');
      }
      i += 2;
      continue;
    }
    i++;
  }
  const raw = b.subarray(start + 1, i);
  return { value: escaped ? unescapeGo(raw) : utf8.decode(raw), end: i + 1 };
}

const SIMPLE: Record<number, string> = {
  0x22: '"',
  0x5c: '\\',
  0x2f: '/',
  0x62: '\b',
  0x66: '\f',
  0x6e: '\n',
  0x72: '\r',
  0x74: '\t',
};

// encoding/json unquote: a \u escape of half a surrogate pair, unpaired, becomes U+FFFD.
function unescapeGo(raw: Uint8Array): string {
  let out = '';
  let from = 0;
  let i = 0;
  const u4 = (at: number): number =>
    Number.parseInt(String.fromCharCode(...raw.subarray(at, at + 4)), 16);
  while (i < raw.length) {
    if (raw[i] !== 0x5c) {
      i++;
      continue;
    }
    out += utf8.decode(raw.subarray(from, i));
    const e = raw[i + 1]!;
    if (e !== 0x75) {
      out += SIMPLE[e]!;
      i += 2;
    } else {
      const r = u4(i + 2);
      i += 6;
      if (r >= 0xd800 && r < 0xdc00 && raw[i] === 0x5c && raw[i + 1] === 0x75) {
        const low = u4(i + 2);
        if (low >= 0xdc00 && low < 0xe000) {
          out += String.fromCharCode(r, low);
          i += 6;
          from = i;
          continue;
        }
      }
      out += r >= 0xd800 && r < 0xe000 ? '\ufffd' : String.fromCharCode(r);
    }
    from = i;
  }
  return out + utf8.decode(raw.subarray(from));
}

function readNumber(b: Uint8Array, start: number): number {
  let i = start;
  if (b[i] === 0x2d) {
    i++;
    if (!isDigit(b[i])) throw fault(b, i, 'in numeric literal');
  }
  if (b[i] === 0x30) i++;
  else while (isDigit(b[i])) i++;
  if (b[i] === 0x2e) {
    i++;
    if (!isDigit(b[i])) throw fault(b, i, 'after decimal point in numeric literal');
    while (isDigit(b[i])) i++;
  }
  if (b[i] === 0x65 || b[i] === 0x45) {
    i++;
    if (b[i] === 0x2b || b[i] === 0x2d) i++;
    if (!isDigit(b[i])) throw fault(b, i, 'in exponent of numeric literal');
    while (isDigit(b[i])) i++;
  }
  return i;
}

function readLiteral(b: Uint8Array, start: number, word: string): number {
  for (let k = 1; k < word.length; k++) {
    if (b[start + k] !== word.charCodeAt(k)) {
      throw fault(b, start + k, `in literal ${word} (expecting '${word[k]!}')`);
    }
  }
  return start + word.length;
}

/** Reads one JSON document as Go's `json.Unmarshal` would before decoding it. */
export function parseGoJson(b: Uint8Array): JsonParse {
  try {
    return { ok: true, value: parse(b) };
  } catch (error) {
    if (error instanceof SyntaxFault)
      return { ok: false, message: error.message, offset: error.offset };
    throw error;
  }
}

function parse(b: Uint8Array): JsonNode {
  const stack: Container[] = [];
  let root: JsonNode | undefined;
  // What may come next: a value, a value or ']', a key or '}', a key, ':', or what follows a value.
  let state: 'value' | 'valueOrEnd' | 'keyOrEnd' | 'key' | 'colon' | 'after' = 'value';
  let i = 0;

  const place = (node: JsonNode): void => {
    const top = stack.at(-1);
    if (!top) root = node;
    else if (top.kind === 'array') top.node.items.push(node);
    else top.node.entries.push({ key: top.key, keyOffset: top.keyOffset, value: node });
    state = 'after';
  };

  for (;;) {
    while (i < b.length && isSpace(b[i]!)) i++;
    if (i >= b.length) {
      if (state === 'after' && stack.length === 0) return root!;
      throw fault(b, i, '');
    }
    const c = b[i]!;
    if (state === 'valueOrEnd' && c === 0x5d) {
      stack.pop();
      i++;
      state = 'after';
      continue;
    }
    if (state === 'keyOrEnd' && c === 0x7d) {
      stack.pop();
      i++;
      state = 'after';
      continue;
    }
    if (state === 'key' || state === 'keyOrEnd') {
      if (c !== 0x22) throw fault(b, i, 'looking for beginning of object key string');
      const top = stack.at(-1) as Extract<Container, { kind: 'object' }>;
      const { value, end } = readString(b, i);
      top.key = value;
      top.keyOffset = i;
      i = end;
      state = 'colon';
      continue;
    }
    if (state === 'colon') {
      if (c !== 0x3a) throw fault(b, i, 'after object key');
      i++;
      state = 'value';
      continue;
    }
    if (state === 'after') {
      const top = stack.at(-1);
      if (!top) throw fault(b, i, 'after top-level value');
      if (top.kind === 'object') {
        if (c === 0x2c) state = 'key';
        else if (c === 0x7d) stack.pop();
        else throw fault(b, i, 'after object key:value pair');
      } else if (c === 0x2c) state = 'value';
      else if (c === 0x5d) stack.pop();
      else throw fault(b, i, 'after array element');
      i++;
      continue;
    }
    // A value begins.
    const offset = i;
    if (c === 0x7b || c === 0x5b) {
      if (stack.length >= MAX_DEPTH) throw fault(b, i, 'exceeded max depth');
      if (c === 0x7b) {
        const node: JsonNode = { kind: 'object', offset, entries: [] };
        place(node);
        stack.push({ kind: 'object', node, key: '', keyOffset: 0 });
        state = 'keyOrEnd';
      } else {
        const node: JsonNode = { kind: 'array', offset, items: [] };
        place(node);
        stack.push({ kind: 'array', node });
        state = 'valueOrEnd';
      }
      i++;
    } else if (c === 0x22) {
      const { value, end } = readString(b, i);
      place({ kind: 'string', offset, value });
      i = end;
    } else if (c === 0x2d || isDigit(c)) {
      i = readNumber(b, i);
      place({ kind: 'number', offset });
    } else if (c === 0x74 || c === 0x66) {
      i = readLiteral(b, i, c === 0x74 ? 'true' : 'false');
      place({ kind: 'bool', offset });
    } else if (c === 0x6e) {
      i = readLiteral(b, i, 'null');
      place({ kind: 'null', offset });
    } else {
      throw fault(b, i, 'looking for beginning of value');
    }
  }
}
