/**
 * How yaml.v2 sees a scalar, for its error messages (`cannot unmarshal !!int `5` into []string`):
 * the tag resolve.go gives a plain scalar under YAML 1.1 rules (`yes` is a bool, `0x10` an int,
 * `2001-12-14` a timestamp), and the text it stores when the target is a string.
 * go.yaml.in/yaml/v2 `resolve.go` (gopkg.in/yaml.v2 v2.4.0 in Prometheus 2.42).
 */
import type { Scalar } from 'yaml';

const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const BOOLS = new Set(
  'y Y yes Yes YES on On ON n N no No NO off Off OFF true True TRUE false False FALSE'.split(' '),
);
const FLOATS = new Set(
  '.nan .NaN .NAN .inf .Inf .INF +.inf +.Inf +.INF -.inf -.Inf -.INF'.split(' '),
);
const INT = /^[-+]?(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const TIMESTAMP = /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt ].*)?$/;

function plainTag(text: string): string {
  if (NULLS.has(text)) return '!!null';
  if (BOOLS.has(text)) return '!!bool';
  if (FLOATS.has(text)) return '!!float';
  if (text === '<<') return '!!merge';
  if (!/^[-+.0-9]/.test(text)) return '!!str';
  if (TIMESTAMP.test(text)) return '!!timestamp';
  const plain = text.replaceAll('_', '');
  if (INT.test(plain)) return '!!int';
  if (FLOAT.test(plain)) return '!!float';
  return '!!str';
}

/** A scalar's text as yaml.v2 stores it in a Go string: `!!binary` decoded, all else as read. */
export function scalarText(s: Scalar): string {
  return s.value instanceof Uint8Array ? new TextDecoder().decode(s.value) : String(s.value);
}

/** The short tag yaml.v2 names a scalar by: its explicit tag, else what resolve.go makes of it. */
export function scalarTag(s: Scalar): string {
  if (s.tag) return s.tag.replace('tag:yaml.org,2002:', '!!');
  return s.type === 'PLAIN' ? plainTag(scalarText(s)) : '!!str';
}
